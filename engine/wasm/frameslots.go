package wasm

// SlotWidth is the number of 64-bit frame slots a value of type t takes
// (docs/frame-layout.md): two for a v128, one for everything else.
func SlotWidth(t ValType) uint32 {
	if t.Kind == KindV128 {
		return 2
	}
	return 1
}

// FrameSlots numbers the slots of a function's frame the way every tier
// does (docs/frame-layout.md): parameters, declared locals, hidden locals,
// then the operand stack. The interpreter works in these slots; AOT code
// commits references into them at safepoints (and, in debug builds, every
// value), so stack maps and the debugger mean the same slots in both.
type FrameSlots struct {
	local  []uint32 // each local's first slot
	locals uint32   // the first operand slot
}

// NewFrameSlots numbers the locals of a function with these parameters
// and declared locals, plus hidden locals (one slot each: the exnref of a
// legacy try block).
func NewFrameSlots(params, locals []ValType, hidden int) FrameSlots {
	var s FrameSlots
	n := uint32(0)
	for _, ts := range [][]ValType{params, locals} {
		for _, t := range ts {
			s.local = append(s.local, n)
			n += SlotWidth(t)
		}
	}
	for i := 0; i < hidden; i++ {
		s.local = append(s.local, n)
		n++
	}
	s.locals = n
	return s
}

// Local is the first slot of local i (parameters first, then declared,
// then hidden locals).
func (s FrameSlots) Local(i uint32) uint32 { return s.local[i] }

// NumLocals is the number of slots the locals take: the first operand
// stack slot.
func (s FrameSlots) NumLocals() uint32 { return s.locals }

// Operand is the slot of an operand with below slots of operands under it
// on the stack (the sum of SlotWidth over the operands below).
func (s FrameSlots) Operand(below uint32) uint32 { return s.locals + below }
