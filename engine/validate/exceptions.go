package validate

import (
	"github.com/gcscope/gcscope/engine/wasm"
)

// exnRef is the non-null exception reference catch_ref and catch_all_ref
// pass to their label.
var exnRef = wasm.RefType(false, wasm.HeapExn)

// exception checks Wasm 3.0 exception handling (throw, throw_ref,
// try_table) and the legacy proposal's try/catch/catch_all/delegate/rethrow
// that real compilers still emit.
func (c *checker) exception(in *wasm.Instr) error {
	switch in.Op {
	case wasm.OpThrow:
		ft, err := c.mc.tagType(in.Index)
		if err != nil {
			return err
		}
		if err := c.popVals(ft.Params, "instruction"); err != nil {
			return err
		}
		c.setUnreachable()
	case wasm.OpThrowRef:
		if _, err := c.popExpect(wasm.ExnRef); err != nil {
			return err
		}
		c.setUnreachable()
	case wasm.OpTryTable:
		return c.tryTable(in)
	case wasm.OpTry:
		params, results, err := c.blockType(in.Block)
		if err != nil {
			return err
		}
		if err := c.popVals(params, "instruction"); err != nil {
			return err
		}
		c.pushCtrl(wasm.OpTry, params, results)
	case wasm.OpCatch, wasm.OpCatchAll:
		if op := c.top().op; op != wasm.OpTry && op != wasm.OpCatch {
			return c.errf("type mismatch: %s without a matching try", in.Op)
		}
		var payload []wasm.ValType
		if in.Op == wasm.OpCatch {
			ft, err := c.mc.tagType(in.Index)
			if err != nil {
				return err
			}
			payload = ft.Params
		}
		f, err := c.popCtrl()
		if err != nil {
			return err
		}
		c.reopen(in.Op, f)
		c.pushAll(payload)
	case wasm.OpDelegate:
		if c.top().op != wasm.OpTry {
			return c.errf("type mismatch: delegate without a matching try")
		}
		f, err := c.popCtrl()
		if err != nil {
			return err
		}
		// The label is counted from outside the try block.
		if _, err := c.label(in.Index); err != nil {
			return err
		}
		if c.keepBlocks && f.block >= 0 {
			c.blocks[f.block].End = c.pc
		}
		c.pushAll(f.results)
	case wasm.OpRethrow:
		f, err := c.label(in.Index)
		if err != nil {
			return err
		}
		if f.op != wasm.OpCatch && f.op != wasm.OpCatchAll {
			return c.errf("invalid rethrow label %d", in.Index)
		}
		c.setUnreachable()
	}
	return nil
}

// tryTable checks a try_table: each catch clause's label (counted from
// outside the try_table) must accept what the clause passes it.
func (c *checker) tryTable(in *wasm.Instr) error {
	params, results, err := c.blockType(in.Block)
	if err != nil {
		return err
	}
	if in.Ext != nil {
		for _, ct := range in.Ext.Catches {
			if err := c.catchClause(ct); err != nil {
				return err
			}
		}
	}
	if err := c.popVals(params, "instruction"); err != nil {
		return err
	}
	c.pushCtrl(wasm.OpTryTable, params, results)
	return nil
}

func (c *checker) catchClause(ct wasm.Catch) error {
	var sent []wasm.ValType
	switch ct.Kind {
	case wasm.CatchTag, wasm.CatchTagRef:
		ft, err := c.mc.tagType(ct.Tag)
		if err != nil {
			return err
		}
		sent = append(sent, ft.Params...)
		if ct.Kind == wasm.CatchTagRef {
			sent = append(sent, exnRef)
		}
	case wasm.CatchAll:
	case wasm.CatchAllRef:
		sent = []wasm.ValType{exnRef}
	default:
		return c.errf("type mismatch: unknown catch clause kind %d", ct.Kind)
	}
	f, err := c.label(ct.Label)
	if err != nil {
		return err
	}
	lt := f.labelTypes()
	if len(lt) != len(sent) {
		return c.errf("type mismatch: catch passes %s to a label of %s", wasm.TypeString(sent), wasm.TypeString(lt))
	}
	for i := range sent {
		if !c.mc.sub(sent[i], lt[i]) {
			return c.errf("type mismatch: catch passes %s to a label of %s", wasm.TypeString(sent), wasm.TypeString(lt))
		}
	}
	return nil
}
