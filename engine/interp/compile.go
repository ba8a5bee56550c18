package interp

import (
	"fmt"

	"github.com/gcscope/gcscope/engine/runtime"
	"github.com/gcscope/gcscope/engine/wasm"
)

// ctl is an open block during compilation.
type ctl struct {
	op              wasm.Opcode // OpBlock, OpLoop, OpIf, OpTry, OpTryTable; 0 for the function
	params, results []wasm.ValType
	height          int    // operand stack depth below the block's params
	start           uint32 // a loop's first pc
	fixups          []func(pc uint32)
	slotBase        uint32 // the slot of the block's first param (or result)
	elseFix         int    // the if's opBrUnless, or -1
	handler         int    // the try's or try_table's handler, or -1
	catchPhase      bool
	exnSlot         uint32
}

// compiler turns one function body into code. It tracks the operand
// stack's types as validation would, which gives every operand a static
// slot and the stack maps their reference-ness.
type compiler struct {
	f      *runtime.Func
	inst   *runtime.Instance
	m      *wasm.Module
	out    *code
	locals []wasm.ValType
	// localSlot is each local's first slot; slotOf each operand's.
	localSlot []uint32
	stack     []wasm.ValType
	slotOf    []uint32
	next      uint32 // the first free slot
	ctrl      []ctl
	dead      bool // compiling unreachable code: skip until the block ends
	deadDep   int  // blocks opened inside dead code
	off       uint32
	nextExn   uint32
	allMaps   bool
	// noFuse keeps every Wasm instruction its own interpreter instruction
	// (debug code: a breakpoint or a step can stop at any of them).
	noFuse bool
	// barrier is the first instruction index fusion may remove: every
	// jump target is at or after it.
	barrier int
}

// compile compiles f's body, with stack maps at safepoints.
func compile(f *runtime.Func) (*code, error) { return compileWith(f, false, false) }

// compileAllMaps compiles f's body with a stack map at every instruction,
// for the debugger.
func compileAllMaps(f *runtime.Func) (*code, error) { return compileWith(f, true, false) }

// compileDebug compiles f's body for a debugger: no fusion, so every Wasm
// instruction can be stopped at, and a stack map at every instruction.
func compileDebug(f *runtime.Func) (*code, error) { return compileWith(f, true, true) }

func compileWith(f *runtime.Func, allMaps, noFuse bool) (cd *code, err error) {
	defer func() {
		if p := recover(); p != nil {
			cd, err = nil, fmt.Errorf("compile func %d: internal error: %v", f.Index, p)
		}
	}()
	c := &compiler{f: f, inst: f.Inst, m: f.Inst.Module, allMaps: allMaps, noFuse: noFuse}
	c.out = &code{fn: f, stackMaps: map[uint32][]uint32{}}
	if len(f.Inst.Mems) > 0 {
		c.out.mem = f.Inst.Mems[0]
	}
	ft := &f.Type.Comp
	c.locals = append(append([]wasm.ValType(nil), ft.Params...), f.Def.Locals...)
	// Legacy try blocks each get a hidden local holding the caught
	// exception for rethrow.
	nTry := 0
	for i := range f.Def.Body {
		if f.Def.Body[i].Op == wasm.OpTry {
			nTry++
		}
	}
	firstExn := len(c.locals)
	for i := 0; i < nTry; i++ {
		c.locals = append(c.locals, wasm.ExnRef)
	}
	// Slots: one per value, two for a v128.
	var n uint32
	for _, t := range c.locals {
		c.localSlot = append(c.localSlot, n)
		n += width(t)
	}
	if firstExn < len(c.locals) {
		c.nextExn = c.localSlot[firstExn]
	}
	c.out.locals = c.locals
	c.out.localSlots = c.localSlot
	if allMaps {
		c.out.shapes = map[uint32]opShape{}
	}
	c.out.nParams = slots(ft.Params)
	c.out.nLocals = n
	c.out.maxHeight = n
	c.next = n
	c.ctrl = append(c.ctrl, ctl{results: ft.Results, elseFix: -1, handler: -1, slotBase: n})
	body := f.Def.Body
	useIndex := true
	for i := range body {
		if body[i].Offset != 0 {
			useIndex = false
			break
		}
	}
	if len(body) > 0 {
		c.out.entryOff = body[0].Offset
	}
	for i := range body {
		in := &body[i]
		c.off = in.Offset
		if useIndex {
			c.off = uint32(i) // a module without offsets: number the instructions
		}
		if c.noFuse {
			c.barrier = len(c.out.instrs) // nothing emitted so far may be fused away
		}
		if err := c.instr(in); err != nil {
			return nil, fmt.Errorf("func %d at offset 0x%x (%s): %w", f.Index, c.off, in.Op, err)
		}
		if len(c.ctrl) == 0 {
			break
		}
	}
	if len(c.ctrl) != 0 {
		return nil, fmt.Errorf("func %d: body does not end", f.Index)
	}
	return c.out, nil
}

// mark marks the current pc as a jump target (or handler boundary).
func (c *compiler) mark() uint32 {
	c.barrier = len(c.out.instrs)
	return c.pc()
}

func (c *compiler) emit(in instr) int {
	c.out.instrs = append(c.out.instrs, in)
	c.out.offsets = append(c.out.offsets, c.off)
	return len(c.out.instrs) - 1
}

func (c *compiler) pc() uint32 { return uint32(len(c.out.instrs)) }

// width is the number of slots a value of type t takes (one numbering
// for every tier: wasm.FrameSlots).
func width(t wasm.ValType) uint32 { return wasm.SlotWidth(t) }

// slots is the number of slots a sequence of values takes.
func slots(ts []wasm.ValType) uint32 {
	n := uint32(0)
	for _, t := range ts {
		n += width(t)
	}
	return n
}

// slotAt returns the slot of the operand at stack depth h (h may be the
// current depth: the next free slot).
func (c *compiler) slotAt(h int) uint32 {
	if h < len(c.stack) {
		return c.slotOf[h]
	}
	return c.next
}

// top returns the slot of the n-th operand from the top (1 = top; 0 =
// the next free slot). The top n operands occupy consecutive slots.
func (c *compiler) top(n int) uint32 { return c.slotAt(len(c.stack) - n) }

func (c *compiler) push(ts ...wasm.ValType) {
	for _, t := range ts {
		c.stack = append(c.stack, t)
		c.slotOf = append(c.slotOf, c.next)
		c.next += width(t)
	}
	if c.next > c.out.maxHeight {
		c.out.maxHeight = c.next
	}
}

func (c *compiler) pop(n int) error {
	if n > len(c.stack)-c.ctrl[len(c.ctrl)-1].height {
		return fmt.Errorf("type mismatch: operand stack underflow")
	}
	c.truncate(len(c.stack) - n)
	return nil
}

// truncate drops the operands above depth h.
func (c *compiler) truncate(h int) {
	c.next = c.slotAt(h)
	c.stack = c.stack[:h]
	c.slotOf = c.slotOf[:h]
}

// reset sets the operand stack to block b's base plus ts.
func (c *compiler) reset(b *ctl, ts []wasm.ValType) {
	c.truncate(b.height)
	c.next = b.slotBase
	c.push(ts...)
}

func (c *compiler) peek() wasm.ValType {
	if len(c.stack) == 0 {
		return wasm.ValType{Kind: wasm.KindBot}
	}
	return c.stack[len(c.stack)-1]
}

// safepoint records the stack map at the current instruction: locals
// and operands of reference type, as they are before it runs.
func (c *compiler) safepoint() {
	if _, ok := c.out.stackMaps[c.off]; ok {
		return
	}
	var refs []uint32
	for i, t := range c.locals {
		if t.IsRef() {
			refs = append(refs, c.localSlot[i])
		}
	}
	for i, t := range c.stack {
		if t.IsRef() {
			refs = append(refs, c.slotOf[i])
		}
	}
	c.out.stackMaps[c.off] = refs
}

// blockSig returns a block type's params and results.
func (c *compiler) blockSig(bt wasm.BlockType) ([]wasm.ValType, []wasm.ValType, error) {
	switch bt.Kind {
	case wasm.BlockEmpty:
		return nil, nil, nil
	case wasm.BlockValue:
		return nil, []wasm.ValType{bt.Value}, nil
	}
	if int(bt.Index) >= len(c.m.Types) {
		return nil, nil, fmt.Errorf("unknown type %d", bt.Index)
	}
	ft := &c.m.Types[bt.Index].Comp
	return ft.Params, ft.Results, nil
}

// label returns the block a branch of depth l targets, its arity and the
// slot its values go to.
func (c *compiler) label(l uint32) (*ctl, []wasm.ValType, uint32, error) {
	if int(l) >= len(c.ctrl) {
		return nil, nil, 0, fmt.Errorf("unknown label %d", l)
	}
	t := &c.ctrl[len(c.ctrl)-1-int(l)]
	arity := t.results
	if t.op == wasm.OpLoop {
		arity = t.params
	}
	return t, arity, t.slotBase, nil
}

// target arranges for set to receive the label's pc: now for a loop,
// when the block ends otherwise.
func (c *compiler) target(t *ctl, set func(pc uint32)) {
	if t.op == wasm.OpLoop {
		set(t.start)
		return
	}
	t.fixups = append(t.fixups, set)
}

// branchTo emits a branch op (br, br_if, br_on_*) to label l carrying the
// top n operands (n = the label's arity).
func (c *compiler) branchTo(o op, l uint32, cond uint32) error {
	t, arity, dst, err := c.label(l)
	if err != nil {
		return err
	}
	n := len(arity)
	if n > len(c.stack) {
		return fmt.Errorf("type mismatch: branch needs %d values", n)
	}
	idx := c.emit(instr{op: o, a: c.top(n), b: dst, c: slots(arity), d: cond})
	c.target(t, func(pc uint32) { c.out.instrs[idx].imm = c.out.instrs[idx].imm&^0xFFFFFFFF | uint64(pc) })
	return nil
}

// markDead starts skipping unreachable code until the current block ends.
func (c *compiler) markDead() {
	c.dead = true
	c.deadDep = 0
}

func (c *compiler) instr(in *wasm.Instr) error {
	if c.dead {
		switch in.Op {
		case wasm.OpBlock, wasm.OpLoop, wasm.OpIf, wasm.OpTry, wasm.OpTryTable:
			c.deadDep++
			return nil
		case wasm.OpEnd:
			if c.deadDep > 0 {
				c.deadDep--
				return nil
			}
		case wasm.OpDelegate:
			if c.deadDep > 0 {
				c.deadDep--
				return nil
			}
		case wasm.OpElse, wasm.OpCatch, wasm.OpCatchAll:
			if c.deadDep > 0 {
				return nil
			}
		default:
			return nil
		}
		c.dead = false
		// The block's operands are gone; reset to its entry height.
		cur := &c.ctrl[len(c.ctrl)-1]
		if in.Op == wasm.OpEnd || in.Op == wasm.OpDelegate {
			// As if the block had produced its results.
			c.reset(cur, cur.results)
		} else {
			c.reset(cur, nil)
		}
	}
	if c.allMaps && !c.dead {
		c.safepoint()
		if _, ok := c.out.shapes[c.off]; !ok {
			base := 0
			if len(c.ctrl) > 0 {
				base = c.ctrl[len(c.ctrl)-1].height
			}
			c.out.shapes[c.off] = opShape{types: append([]wasm.ValType(nil), c.stack...), blockBase: base}
		}
	}
	if isControl(in.Op) {
		return c.control(in)
	}
	return c.operation(in)
}
