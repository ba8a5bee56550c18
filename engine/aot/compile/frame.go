package compile

import (
	"fmt"
	"slices"

	"github.com/llir/llvm/ir"
	"github.com/llir/llvm/ir/constant"
	"github.com/llir/llvm/ir/types"

	"github.com/gcscope/gcscope/engine/aot/aotfile"
	"github.com/gcscope/gcscope/engine/wasm"
)

// An AOT frame in the slot stack is its header word (function << 32 |
// Wasm offset) followed by the frame's slot area, numbered as the
// interpreter numbers a frame's slots (wasm.FrameSlots): parameters,
// locals, hidden locals, operand stack. Release code keeps values in
// registers and writes only references into the area, only at safepoints
// (calls, allocations, interrupt checks, helpers that may collect); the
// stack map of each safepoint, keyed by the Wasm offset the header
// commits, lists the slots written there. docs/frame-layout.md.

// frameState is what a function's translation keeps about its frame.
type frameState struct {
	slots wasm.FrameSlots
	// lwasm are the locals' Wasm types (parameters first).
	lwasm []wasm.ValType
	// refs marks the LLVM values on the operand stack that are
	// references: they share the i32 type with numbers.
	refs map[valueT]bool
	// words is the frame size in words (1 + slot area), a constant
	// patched when the body is done, since the operand stack's maximum
	// is only known then.
	words    *constant.Int
	maxStack uint32 // slots of the highest operand stack seen
	maps     map[uint32][]uint32
	mapErr   error
	// pc is the index of the instruction being translated; live says
	// which locals may still be read from there (see liveLocals).
	pc   int
	live liveness
	// skipTop is how many operands on top of the stack the next commit
	// leaves out: the arguments of a direct native call, which the callee
	// roots as its parameters.
	skipTop int
	// skipHeader leaves the header store out of the next commit: a call
	// passing it to the callee, which owes it (recowed.go).
	skipHeader bool
	// owing collects the references a leaf call passes to its clone
	// instead of committing them (leafcall.go); nil otherwise.
	owing *[]owedRef
	// tries counts the legacy tries opened so far (frame_exn.go).
	tries int
	// stores are the commits' slot stores and keyVars the allocas whose
	// content a slot may hold, for elideCommits (commit_elide.go).
	stores  map[*ir.InstStore]slotStore
	keyVars map[valueT]bool
}

func (f *funcGen) initFrame(params, locals []wasm.ValType) {
	f.fr.slots = wasm.NewFrameSlots(params, locals, countLegacyTries(f.g.m.Funcs[f.idx].Body))
	f.fr.lwasm = append(append([]wasm.ValType(nil), params...), locals...)
	f.fr.refs = map[valueT]bool{}
	f.fr.words = constant.NewInt(types.I64, 1)
	f.fr.maps = map[uint32][]uint32{}
	f.fr.live = newLiveness(f.g.m.Funcs[f.idx].Body, len(f.fr.lwasm))
}

// frameSlots is the size of the slot area.
func (f *funcGen) frameSlots() uint32 { return f.fr.slots.NumLocals() + f.fr.maxStack }

// finishFrame fixes the frame size once the body is translated.
func (f *funcGen) finishFrame() error {
	f.fr.words.X.SetInt64(int64(1 + f.frameSlots()))
	return f.fr.mapErr
}

// pushRef pushes a reference value.
func (f *funcGen) pushRef(v valueT) {
	f.fr.refs[v] = true
	f.push(v)
}

// pushT pushes a value of Wasm type t.
func (f *funcGen) pushT(v valueT, t wasm.ValType) {
	if t.IsRef() {
		f.fr.refs[v] = true
	}
	f.push(v)
}

// noteHeight records the operand stack's height in slots after a push,
// and returns it.
func (f *funcGen) noteHeight() uint32 {
	h := uint32(0)
	for _, v := range f.stack {
		h += uint32(slotWidth(v.Type()))
	}
	f.fr.maxStack = max(f.fr.maxStack, h)
	return h
}

// isRef reports whether v (an operand) is a reference.
func (f *funcGen) isRef(v valueT) bool { return f.fr.refs[v] }

// slotPtrAt addresses slot s of this frame's slot area.
func (f *funcGen) slotPtrAt(s uint32) valueT {
	return f.cur.NewGetElementPtr(types.I64, f.top, i64c(int64(1+s)))
}

// storeRefs writes every reference-typed local and operand to its slot
// and records the stack map of the current offset. Nothing is written in
// functions without references.
func (f *funcGen) storeRefs() {
	var live []uint32
	for i, t := range f.fr.lwasm {
		if t.IsRef() && f.fr.live.mayRead(i, f.fr.pc) {
			s := f.fr.slots.Local(uint32(i))
			if !f.localsInSlots() { // else the slot is its home (debug_slots.go)
				v := f.cur.NewLoad(f.ltypes[i], f.locals[i])
				if !f.oweRef(s, v) { // a leaf call's clone stores it (leafcall.go)
					f.storeSlotValue(s, v, f.locals[i], v)
				}
			}
			live = append(live, s)
		}
	}
	below := uint32(0)
	for k, v := range f.stack {
		if f.isRef(v) && k < len(f.stack)-f.fr.skipTop {
			s := f.fr.slots.Operand(below)
			if !f.oweRef(s, v) {
				f.storeSlotValue(s, v, v, nil)
			}
			live = append(live, s)
		}
		below += uint32(slotWidth(v.Type()))
	}
	live = f.storeLegacyExnrefs(live)
	f.recordMap(live)
}

// recordMap keeps the stack map of the current offset. Each instruction
// commits once, with the operand stack as it is before the instruction;
// the function entry's check shares the first instruction's offset and
// its empty stack. Should two safepoints at one offset still differ, the
// later one nulls the slots only the earlier one wrote, and a later one
// adding slots is an error (the earlier commit would not write them).
func (f *funcGen) recordMap(live []uint32) {
	old, ok := f.fr.maps[f.curOff]
	if !ok {
		if len(live) > 0 {
			f.fr.maps[f.curOff] = live
		}
		return
	}
	for _, s := range live {
		if !slices.Contains(old, s) && f.fr.mapErr == nil {
			f.fr.mapErr = fmt.Errorf("aot: internal error: safepoints at offset %d disagree on the live references", f.curOff)
		}
	}
	for _, s := range old {
		if !slices.Contains(live, s) {
			f.storeSlotValue(s, i64c(0), zeroKey, nil)
		}
	}
}

// stackMaps returns the recorded maps sorted by offset.
func (f *funcGen) stackMaps() []aotfile.WasmStackMap {
	out := make([]aotfile.WasmStackMap, 0, len(f.fr.maps))
	for off, s := range f.fr.maps {
		out = append(out, aotfile.WasmStackMap{Offset: off, Slots: s})
	}
	slices.SortFunc(out, func(a, b aotfile.WasmStackMap) int { return int(int64(a.Offset) - int64(b.Offset)) })
	return out
}
