package validate

import (
	"github.com/gcscope/gcscope/engine/wasm"
)

// blockType returns a block type's parameters and results in canonical
// form.
func (c *checker) blockType(bt wasm.BlockType) (params, results []wasm.ValType, err error) {
	switch bt.Kind {
	case wasm.BlockEmpty:
		return nil, nil, nil
	case wasm.BlockValue:
		t, err := c.mc.valType(bt.Value)
		if err != nil {
			return nil, nil, err
		}
		return nil, []wasm.ValType{t}, nil
	case wasm.BlockFunc:
		ft, err := c.mc.funcType(bt.Index)
		if err != nil {
			return nil, nil, err
		}
		return ft.Params, ft.Results, nil
	}
	return nil, nil, c.errf("type mismatch: unknown block type form %d", bt.Kind)
}

// control checks blocks, branches, returns and calls.
func (c *checker) control(in *wasm.Instr) error {
	switch in.Op {
	case wasm.OpBlock, wasm.OpLoop, wasm.OpIf:
		params, results, err := c.blockType(in.Block)
		if err != nil {
			return err
		}
		if in.Op == wasm.OpIf {
			if _, err := c.popExpect(wasm.I32); err != nil {
				return err
			}
		}
		if err := c.popVals(params, "instruction"); err != nil {
			return err
		}
		c.pushCtrl(in.Op, params, results)
	case wasm.OpElse:
		if c.top().op != wasm.OpIf {
			return c.errf("type mismatch: else without a matching if")
		}
		f, err := c.popCtrl()
		if err != nil {
			return err
		}
		c.reopen(wasm.OpElse, f)
	case wasm.OpEnd:
		return c.end()
	case wasm.OpBr:
		f, err := c.label(in.Index)
		if err != nil {
			return err
		}
		if err := c.popVals(f.labelTypes(), "instruction"); err != nil {
			return err
		}
		c.setUnreachable()
	case wasm.OpBrIf:
		f, err := c.label(in.Index)
		if err != nil {
			return err
		}
		if _, err := c.popExpect(wasm.I32); err != nil {
			return err
		}
		lt := f.labelTypes()
		if err := c.popVals(lt, "instruction"); err != nil {
			return err
		}
		c.pushAll(lt)
	case wasm.OpBrTable:
		return c.brTable(in)
	case wasm.OpReturn:
		if err := c.popVals(c.returns, "instruction"); err != nil {
			return err
		}
		c.setUnreachable()
	case wasm.OpCall, wasm.OpReturnCall:
		ft, err := c.mc.funcTypeOf(in.Index)
		if err != nil {
			return err
		}
		return c.call(in.Op == wasm.OpReturnCall, ft)
	case wasm.OpCallIndirect, wasm.OpReturnCallIndirect:
		tt, err := c.mc.table(in.Index2)
		if err != nil {
			return err
		}
		if !c.mc.sub(tt.Elem, wasm.FuncRef) {
			return c.errf("type mismatch: call_indirect needs a table of functions, table %d holds %s", in.Index2, tt.Elem)
		}
		ft, err := c.mc.funcType(in.Index)
		if err != nil {
			return err
		}
		if _, err := c.popExpect(tt.AddrType()); err != nil {
			return err
		}
		return c.call(in.Op == wasm.OpReturnCallIndirect, ft)
	case wasm.OpCallRef, wasm.OpReturnCallRef:
		ft, err := c.mc.funcType(in.Index)
		if err != nil {
			return err
		}
		if _, err := c.popExpect(wasm.RefType(true, wasm.HeapType(c.mc.ids[in.Index]))); err != nil {
			return err
		}
		return c.call(in.Op == wasm.OpReturnCallRef, ft)
	}
	return nil
}

// reopen starts the next part of a block (else, catch, catch_all) with the
// same type as the part that just ended.
func (c *checker) reopen(op wasm.Opcode, f frame) {
	block := f.block
	// An else starts with the block's parameters; a catch starts with what
	// its tag carries, which exception() pushes.
	params := f.params
	if op != wasm.OpElse {
		params = nil
	}
	c.pushCtrl(op, params, f.results)
	c.top().params = f.params
	if c.keepBlocks && block >= 0 {
		// The new part belongs to the same block: undo the record pushCtrl
		// made and note where the first other part starts.
		c.blocks = c.blocks[:len(c.blocks)-1]
		b := &c.blocks[block]
		if b.Else < 0 {
			b.Else = c.pc
		}
		b.Parts = append(b.Parts, c.pc)
		c.top().block = block
	}
}

// end closes the innermost frame.
func (c *checker) end() error {
	f, err := c.popCtrl()
	if err != nil {
		return err
	}
	if f.op == wasm.OpIf {
		// An if without else passes its parameters through the missing
		// branch, so they must match the results.
		if len(f.params) != len(f.results) {
			return c.errf("type mismatch: if without else must produce its parameters, %s, as results %s",
				wasm.TypeString(f.params), wasm.TypeString(f.results))
		}
		for i := range f.params {
			if !c.mc.sub(f.params[i], f.results[i]) {
				return c.errf("type mismatch: if without else must produce its parameters, %s, as results %s",
					wasm.TypeString(f.params), wasm.TypeString(f.results))
			}
		}
	}
	if c.keepBlocks && f.block >= 0 {
		c.blocks[f.block].End = c.pc
	}
	if len(c.ctrls) > 0 {
		c.pushAll(f.results)
	}
	return nil
}

func (c *checker) brTable(in *wasm.Instr) error {
	if in.Ext == nil || len(in.Ext.Labels) == 0 {
		return c.errf("unknown label: br_table has no default label")
	}
	if _, err := c.popExpect(wasm.I32); err != nil {
		return err
	}
	labels := in.Ext.Labels
	def, err := c.label(labels[len(labels)-1])
	if err != nil {
		return err
	}
	arity := len(def.labelTypes())
	for _, l := range labels[:len(labels)-1] {
		f, err := c.label(l)
		if err != nil {
			return err
		}
		lt := f.labelTypes()
		if len(lt) != arity {
			return c.errf("type mismatch: br_table targets carry %d and %d values", len(lt), arity)
		}
		got, err := c.popKeep(lt)
		if err != nil {
			return err
		}
		c.pushAll(got)
	}
	if err := c.popVals(def.labelTypes(), "instruction"); err != nil {
		return err
	}
	c.setUnreachable()
	return nil
}

// call checks a call (or tail call) to a function of type ft.
func (c *checker) call(tail bool, ft *wasm.CompositeType) error {
	if err := c.popVals(ft.Params, "instruction"); err != nil {
		return err
	}
	if !tail {
		c.pushAll(ft.Results)
		return nil
	}
	// A tail call returns the callee's results as the caller's own.
	if len(ft.Results) != len(c.returns) {
		return c.errf("type mismatch: tail call returns %s but the function returns %s",
			wasm.TypeString(ft.Results), wasm.TypeString(c.returns))
	}
	for i := range ft.Results {
		if !c.mc.sub(ft.Results[i], c.returns[i]) {
			return c.errf("type mismatch: tail call returns %s but the function returns %s",
				wasm.TypeString(ft.Results), wasm.TypeString(c.returns))
		}
	}
	c.setUnreachable()
	return nil
}
