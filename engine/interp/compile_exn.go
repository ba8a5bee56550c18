package interp

import (
	"fmt"

	"github.com/gcscope/gcscope/engine/wasm"
)

// exceptionControl compiles throw, throw_ref, try_table and the legacy
// try/catch/catch_all/delegate/rethrow. Handlers are data (see handler),
// so entering and leaving a try costs nothing at run time.
func (c *compiler) exceptionControl(in *wasm.Instr) error {
	switch in.Op {
	case wasm.OpThrow:
		if int(in.Index) >= len(c.inst.Tags) {
			return fmt.Errorf("unknown tag %d", in.Index)
		}
		n := len(c.inst.Tags[in.Index].Type.Comp.Params)
		c.safepoint()
		c.emit(instr{op: opThrow, a: c.top(n), b: in.Index})
		c.markDead()
	case wasm.OpThrowRef:
		c.safepoint()
		c.emit(instr{op: opThrowRef, a: c.top(1)})
		c.markDead()
	case wasm.OpTryTable:
		return c.tryTable(in)
	case wasm.OpTry:
		b, err := c.openBlock(in)
		if err != nil {
			return err
		}
		b.handler = len(c.out.handlers)
		b.exnSlot = c.nextExn
		c.nextExn++
		c.out.handlers = append(c.out.handlers, handler{start: c.mark(), delegateTo: -1, exnSlot: b.exnSlot})
	case wasm.OpCatch, wasm.OpCatchAll:
		return c.legacyCatch(in)
	case wasm.OpDelegate:
		return c.delegate(in)
	case wasm.OpRethrow:
		if int(in.Index) >= len(c.ctrl) {
			return fmt.Errorf("unknown label %d", in.Index)
		}
		t := &c.ctrl[len(c.ctrl)-1-int(in.Index)]
		if t.op != wasm.OpTry || !t.catchPhase {
			return fmt.Errorf("rethrow outside a catch")
		}
		c.safepoint()
		c.emit(instr{op: opRethrow, a: t.exnSlot})
		c.markDead()
	default:
		return fmt.Errorf("unsupported instruction %s", in.Op)
	}
	return nil
}

func (c *compiler) tryTable(in *wasm.Instr) error {
	h := len(c.out.handlers)
	hd := handler{delegateTo: -1}
	type pending struct {
		t *ctl
		k int
	}
	var ps []pending
	if in.Ext != nil {
		for k, cl := range in.Ext.Catches {
			// Catch labels are relative to the blocks outside the try_table.
			t, _, dst, err := c.label(cl.Label)
			if err != nil {
				return err
			}
			cc := catchClause{kind: cl.Kind, dst: dst}
			if cl.Kind == wasm.CatchTag || cl.Kind == wasm.CatchTagRef {
				if int(cl.Tag) >= len(c.inst.Tags) {
					return fmt.Errorf("unknown tag %d", cl.Tag)
				}
				cc.tag = c.inst.Tags[cl.Tag]
			}
			hd.catches = append(hd.catches, cc)
			ps = append(ps, pending{t, k})
		}
	}
	c.out.handlers = append(c.out.handlers, hd)
	for _, p := range ps {
		k := p.k
		c.target(p.t, func(pc uint32) { c.out.handlers[h].catches[k].target = pc })
	}
	b, err := c.openBlock(in)
	if err != nil {
		return err
	}
	b.handler = h
	c.out.handlers[h].start = c.mark()
	return nil
}

func (c *compiler) legacyCatch(in *wasm.Instr) error {
	b := &c.ctrl[len(c.ctrl)-1]
	if b.op != wasm.OpTry {
		return fmt.Errorf("catch without try")
	}
	hd := &c.out.handlers[b.handler]
	if !b.catchPhase {
		hd.end = c.mark()
		b.catchPhase = true
	}
	// The try body (or the previous catch) falls through to the end.
	idx := c.emit(instr{op: opBr})
	b.fixups = append(b.fixups, func(pc uint32) { c.out.instrs[idx].imm = uint64(pc) })
	cc := catchClause{kind: wasm.CatchAll, target: c.mark(), dst: b.slotBase, legacy: true}
	c.reset(b, nil)
	if in.Op == wasm.OpCatch {
		if int(in.Index) >= len(c.inst.Tags) {
			return fmt.Errorf("unknown tag %d", in.Index)
		}
		cc.kind = wasm.CatchTag
		cc.tag = c.inst.Tags[in.Index]
		c.push(cc.tag.Type.Comp.Params...)
	}
	hd.catches = append(hd.catches, cc)
	return nil
}

// delegate closes a legacy try whose exceptions are rethrown at label L:
// the search goes on with the innermost handler at or outside that label
// that still covers its body.
func (c *compiler) delegate(in *wasm.Instr) error {
	b := &c.ctrl[len(c.ctrl)-1]
	if b.op != wasm.OpTry || b.catchPhase {
		return fmt.Errorf("delegate without try")
	}
	hd := &c.out.handlers[b.handler]
	hd.end = c.mark()
	hd.delegate = true
	hd.delegateTo = -1
	outer := len(c.ctrl) - 2 - int(in.Index)
	if outer >= len(c.ctrl)-1 || outer < -1 {
		return fmt.Errorf("unknown label %d", in.Index)
	}
	for i := outer; i >= 0; i-- {
		t := &c.ctrl[i]
		if t.handler >= 0 && !t.catchPhase {
			hd.delegateTo = t.handler
			break
		}
	}
	b.handler = -1 // end() must not touch the range again
	return c.end()
}
