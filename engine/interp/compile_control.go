package interp

import (
	"fmt"

	"github.com/gcscope/gcscope/engine/runtime"
	"github.com/gcscope/gcscope/engine/wasm"
)

func isControl(o wasm.Opcode) bool {
	switch o {
	case wasm.OpUnreachable, wasm.OpNop, wasm.OpBlock, wasm.OpLoop, wasm.OpIf, wasm.OpElse,
		wasm.OpEnd, wasm.OpBr, wasm.OpBrIf, wasm.OpBrTable, wasm.OpReturn,
		wasm.OpCall, wasm.OpCallIndirect, wasm.OpCallRef, wasm.OpReturnCall,
		wasm.OpReturnCallIndirect, wasm.OpReturnCallRef,
		wasm.OpTry, wasm.OpCatch, wasm.OpCatchAll, wasm.OpDelegate, wasm.OpRethrow,
		wasm.OpThrow, wasm.OpThrowRef, wasm.OpTryTable,
		wasm.OpBrOnNull, wasm.OpBrOnNonNull, wasm.OpBrOnCast, wasm.OpBrOnCastFail:
		return true
	}
	return false
}

func (c *compiler) openBlock(in *wasm.Instr) (*ctl, error) {
	params, results, err := c.blockSig(in.Block)
	if err != nil {
		return nil, err
	}
	if len(params) > len(c.stack) {
		return nil, fmt.Errorf("type mismatch: block needs %d values", len(params))
	}
	c.ctrl = append(c.ctrl, ctl{op: in.Op, params: params, results: results,
		height: len(c.stack) - len(params), slotBase: c.top(len(params)), start: c.mark(), elseFix: -1, handler: -1})
	return &c.ctrl[len(c.ctrl)-1], nil
}

func (c *compiler) control(in *wasm.Instr) error {
	switch in.Op {
	case wasm.OpNop:
	case wasm.OpUnreachable:
		c.emit(instr{op: opUnreachable})
		c.markDead()
	case wasm.OpBlock, wasm.OpLoop:
		_, err := c.openBlock(in)
		return err
	case wasm.OpIf:
		cond := c.top(1)
		if err := c.pop(1); err != nil {
			return err
		}
		fused, ok := c.fuseCmp(cond, true)
		b, err := c.openBlock(in)
		if err != nil {
			return err
		}
		if ok {
			b.elseFix = c.emit(fused)
		} else {
			b.elseFix = c.emit(instr{op: opBrUnless, d: cond})
		}
	case wasm.OpElse:
		b := &c.ctrl[len(c.ctrl)-1]
		if b.op != wasm.OpIf || b.elseFix < 0 {
			return fmt.Errorf("else without if")
		}
		idx := c.emit(instr{op: opBr})
		b.fixups = append(b.fixups, func(pc uint32) { c.out.instrs[idx].imm = uint64(pc) })
		c.out.instrs[b.elseFix].imm = uint64(c.mark())
		b.elseFix = -1
		c.reset(b, b.params)
	case wasm.OpEnd:
		return c.end()
	case wasm.OpBr:
		if err := c.branchTo(opBr, in.Index, 0); err != nil {
			return err
		}
		c.markDead()
	case wasm.OpBrIf:
		cond := c.top(1)
		if err := c.pop(1); err != nil {
			return err
		}
		if t, arity, _, err := c.label(in.Index); err == nil && len(arity) == 0 {
			if fused, ok := c.fuseCmp(cond, false); ok {
				idx := c.emit(fused)
				c.target(t, func(pc uint32) { c.out.instrs[idx].imm = uint64(pc) })
				return nil
			}
		}
		return c.branchTo(opBrIf, in.Index, cond)
	case wasm.OpBrTable:
		return c.brTable(in)
	case wasm.OpReturn:
		rs := c.f.Type.Comp.Results
		c.emit(instr{op: opReturn, a: c.top(len(rs)), c: slots(rs)})
		c.markDead()
	case wasm.OpCall, wasm.OpReturnCall:
		return c.call(in)
	case wasm.OpCallIndirect, wasm.OpReturnCallIndirect, wasm.OpCallRef, wasm.OpReturnCallRef:
		return c.callIndirect(in)
	case wasm.OpBrOnNull, wasm.OpBrOnNonNull:
		return c.brOnNull(in)
	case wasm.OpBrOnCast, wasm.OpBrOnCastFail:
		return c.brOnCast(in)
	default:
		return c.exceptionControl(in)
	}
	return nil
}

// fuseCmp removes a just-emitted comparison whose result is the branch
// condition in slot cond and returns the fused compare-and-branch (jumping
// when the comparison holds, or when it fails if negate: if's else jump).
func (c *compiler) fuseCmp(cond uint32, negate bool) (instr, bool) {
	n := len(c.out.instrs)
	if n == 0 || n-1 < c.barrier {
		return instr{}, false
	}
	last := c.out.instrs[n-1]
	if last.a != cond {
		return instr{}, false
	}
	o, ok := brCmpOps[last.op]
	if !ok {
		return instr{}, false
	}
	if negate {
		o = brNegate[o]
	}
	// A comparison with a constant just put in its second operand's
	// slot keeps the constant in the branch instead.
	if k, ok := brConstOps[o]; ok && n-2 >= c.barrier {
		if prev := c.out.instrs[n-2]; prev.op == opConst && prev.a == last.c && last.b != last.c {
			c.out.instrs = c.out.instrs[:n-2]
			c.out.offsets = c.out.offsets[:n-2]
			return instr{op: k, a: last.b, b: uint32(prev.imm)}, true
		}
	}
	c.out.instrs = c.out.instrs[:n-1]
	c.out.offsets = c.out.offsets[:n-1]
	return instr{op: o, a: last.b, b: last.c}, true
}

// end closes the innermost block: patches its branches, and for the
// function emits the final return that branches to its label also use.
func (c *compiler) end() error {
	b := &c.ctrl[len(c.ctrl)-1]
	if b.elseFix >= 0 {
		c.out.instrs[b.elseFix].imm = uint64(c.mark())
	}
	if b.handler >= 0 && !b.catchPhase {
		c.out.handlers[b.handler].end = c.mark()
	}
	pc := c.mark()
	for _, fix := range b.fixups {
		fix(pc)
	}
	c.reset(b, b.results)
	if len(c.ctrl) == 1 {
		c.emit(instr{op: opReturn, a: b.slotBase, c: slots(b.results)})
	}
	c.ctrl = c.ctrl[:len(c.ctrl)-1]
	return nil
}

func (c *compiler) brTable(in *wasm.Instr) error {
	if in.Ext == nil || len(in.Ext.Labels) == 0 {
		return fmt.Errorf("br_table without labels")
	}
	idxSlot := c.top(1)
	if err := c.pop(1); err != nil {
		return err
	}
	ti := len(c.out.brTables)
	tab := make([]brTarget, len(in.Ext.Labels))
	c.out.brTables = append(c.out.brTables, tab)
	for k, l := range in.Ext.Labels {
		t, arity, dst, err := c.label(l)
		if err != nil {
			return err
		}
		tab[k] = brTarget{src: c.top(len(arity)), dst: dst, n: slots(arity)}
		k := k
		c.target(t, func(pc uint32) { c.out.brTables[ti][k].pc = pc })
	}
	c.emit(instr{op: opBrTable, a: idxSlot, imm: uint64(ti)})
	c.markDead()
	return nil
}

func (c *compiler) funcType(idx uint32) (*wasm.CompositeType, error) {
	if int(idx) >= len(c.m.Types) || c.m.Types[idx].Comp.Kind != wasm.CompFunc {
		return nil, fmt.Errorf("unknown function type %d", idx)
	}
	return &c.m.Types[idx].Comp, nil
}

func (c *compiler) call(in *wasm.Instr) error {
	if int(in.Index) >= len(c.inst.Funcs) {
		return fmt.Errorf("unknown function %d", in.Index)
	}
	ft := &c.inst.Funcs[in.Index].Type.Comp
	c.safepoint()
	base := c.top(len(ft.Params))
	if err := c.pop(len(ft.Params)); err != nil {
		return err
	}
	o := opCall
	if in.Op == wasm.OpReturnCall {
		o = opReturnCall
	}
	c.emit(instr{op: o, a: base, imm: uint64(in.Index)})
	if o == opReturnCall {
		c.markDead()
		return nil
	}
	c.push(ft.Results...)
	return nil
}

func (c *compiler) callIndirect(in *wasm.Instr) error {
	ft, err := c.funcType(in.Index)
	if err != nil {
		return err
	}
	c.safepoint()
	callee := c.top(1)
	if err := c.pop(1); err != nil {
		return err
	}
	base := c.top(len(ft.Params))
	if err := c.pop(len(ft.Params)); err != nil {
		return err
	}
	var o op
	switch in.Op {
	case wasm.OpCallIndirect:
		o = opCallIndirect
	case wasm.OpReturnCallIndirect:
		o = opReturnCallIndirect
	case wasm.OpCallRef:
		o = opCallRef
	default:
		o = opReturnCallRef
	}
	c.emit(instr{op: o, a: base, b: in.Index2, c: callee, imm: uint64(c.inst.Types[in.Index])})
	if o == opReturnCallIndirect || o == opReturnCallRef {
		c.markDead()
		return nil
	}
	c.push(ft.Results...)
	return nil
}

func (c *compiler) brOnNull(in *wasm.Instr) error {
	rt := c.peek()
	ref := c.top(1)
	if in.Op == wasm.OpBrOnNull {
		if err := c.pop(1); err != nil {
			return err
		}
		if err := c.branchTo(opBrOnNull, in.Index, ref); err != nil {
			return err
		}
		rt.Nullable = false
		c.push(rt)
		return nil
	}
	if err := c.branchTo(opBrOnNonNull, in.Index, ref); err != nil {
		return err
	}
	return c.pop(1)
}

func (c *compiler) castOf(t wasm.ValType) uint32 {
	c.out.casts = append(c.out.casts, castInfo{heap: runtime.Canon(t, c.inst.Types).Heap, nullable: t.Nullable})
	return uint32(len(c.out.casts) - 1)
}

func (c *compiler) brOnCast(in *wasm.Instr) error {
	ref := c.top(1)
	ci := c.castOf(in.Ref)
	o := opBrOnCast
	if in.Op == wasm.OpBrOnCastFail {
		o = opBrOnCastFail
	}
	// The branch carries the reference (typed as the target on success,
	// as the source's remainder on failure); the slot is the same.
	if err := c.branchTo(o, in.Index, ref); err != nil {
		return err
	}
	c.out.instrs[len(c.out.instrs)-1].imm |= uint64(ci) << 32
	if err := c.pop(1); err != nil {
		return err
	}
	if o == opBrOnCast {
		t := in.Ref2
		t.Nullable = in.Ref2.Nullable && !in.Ref.Nullable
		c.push(t)
	} else {
		c.push(in.Ref)
	}
	return nil
}
