package compile

import (
	"github.com/llir/llvm/ir"
	"github.com/llir/llvm/ir/constant"
	"github.com/llir/llvm/ir/enum"
	"github.com/llir/llvm/ir/types"

	"github.com/gcscope/gcscope/engine/wasm"
)

// blockWasm returns a block type's parameter and result Wasm types (for
// knowing which values are references).
func (f *funcGen) blockWasm(bt wasm.BlockType) (params, results []wasm.ValType) {
	switch bt.Kind {
	case wasm.BlockEmpty:
		return nil, nil
	case wasm.BlockValue:
		return nil, []wasm.ValType{bt.Value}
	}
	ct := &f.g.m.Types[bt.Index].Comp
	return ct.Params, ct.Results
}

// blockSig returns a block type's parameter and result types.
func (f *funcGen) blockSig(bt wasm.BlockType) (params, results []types.Type, err error) {
	switch bt.Kind {
	case wasm.BlockEmpty:
		return nil, nil, nil
	case wasm.BlockValue:
		t, err := llType(bt.Value)
		return nil, []types.Type{t}, err
	}
	if int(bt.Index) >= len(f.g.m.Types) {
		return nil, nil, unsupported("block type %d", bt.Index)
	}
	ct := &f.g.m.Types[bt.Index].Comp
	for _, p := range ct.Params {
		t, err := llType(p)
		if err != nil {
			return nil, nil, err
		}
		params = append(params, t)
	}
	for _, r := range ct.Results {
		t, err := llType(r)
		if err != nil {
			return nil, nil, err
		}
		results = append(results, t)
	}
	return params, results, nil
}

// control translates structured control flow; it reports whether in was
// a control instruction.
func (f *funcGen) control(in *wasm.Instr) (bool, error) {
	switch in.Op {
	case wasm.OpBlock, wasm.OpLoop, wasm.OpIf:
		if f.dead {
			f.ctrls = append(f.ctrls, &ctrl{op: in.Op, dead: true})
			return true, nil
		}
		ps, rs, err := f.blockSig(in.Block)
		if err != nil {
			return true, err
		}
		var cond valueT
		if in.Op == wasm.OpIf {
			cond = f.pop()
		}
		c := &ctrl{op: in.Op, params: ps, results: rs, height: len(f.stack) - len(ps)}
		c.wparams, c.wresults = f.blockWasm(in.Block)
		switch in.Op {
		case wasm.OpBlock:
			c.end, c.resVars = f.newBlock(), f.allocas(rs)
		case wasm.OpLoop:
			c.header, c.parVars = f.newBlock(), f.allocas(ps)
			f.storeVars(c.parVars, f.popN(len(ps)))
			f.cur.NewBr(c.header)
			f.cur = c.header
			for k, v := range c.parVars {
				f.pushT(f.cur.NewLoad(ps[k], v), c.wparams[k])
			}
			if !f.chunkHeader(c) && !f.unrollSkipsCheck() { // loopchunk.go, loopunroll.go
				f.interruptCheck()
			}
		case wasm.OpIf:
			c.end, c.resVars = f.newBlock(), f.allocas(rs)
			then, els := f.newBlock(), f.newBlock()
			c.elseB = els
			c.paramVals = append([]valueT(nil), f.stack[len(f.stack)-len(ps):]...)
			f.cur.NewCondBr(f.cur.NewICmp(enum.IPredNE, cond, i32c(0)), then, els)
			f.cur = then
		}
		f.dbgOpen(c)
		f.ctrls = append(f.ctrls, c)
	case wasm.OpElse:
		c := f.ctrls[len(f.ctrls)-1]
		if c.dead {
			return true, nil
		}
		f.fallToEnd(c)
		f.cur, c.elseB = c.elseB, nil
		f.stack = append(f.stack[:c.height], c.paramVals...)
		f.dead = false
		f.dbgElse(c)
	case wasm.OpEnd:
		return true, f.end()
	case wasm.OpBr:
		if !f.dead {
			f.branch(int(in.Index))
			f.dead = true
		}
	case wasm.OpBrIf:
		if !f.dead && !f.chunkGuard(in) { // loopchunk.go
			cond := f.pop()
			taken, cont := f.newBlock(), f.newBlock()
			f.cur.NewCondBr(f.cur.NewICmp(enum.IPredNE, cond, i32c(0)), taken, cont)
			f.cur = taken
			f.branch(int(in.Index))
			f.cur = cont
		}
	case wasm.OpBrTable:
		if !f.dead {
			f.brTable(in)
			f.dead = true
		}
	case wasm.OpReturn:
		if !f.dead && !f.debugReturn() {
			f.branch(len(f.ctrls) - 1)
		}
		f.dead = true
	case wasm.OpUnreachable:
		if !f.dead {
			f.emitTrap(TrapUnreachable)
			f.dead = true
		}
	default:
		return f.exnControl(in)
	}
	return true, nil
}

func (f *funcGen) storeVars(vars []*ir.InstAlloca, vs []valueT) {
	for k, v := range vs {
		f.cur.NewStore(v, vars[k])
	}
}

// branch jumps to label depth l with the label's values from the stack
// (which stay on it: the caller decides whether code after is dead).
func (f *funcGen) branch(l int) {
	c := f.ctrls[len(f.ctrls)-1-l]
	if c.op == wasm.OpLoop {
		f.storeVars(c.parVars, f.stack[len(f.stack)-len(c.params):])
		f.cur.NewBr(c.header)
		return
	}
	f.storeVars(c.resVars, f.stack[len(f.stack)-len(c.results):])
	c.endReached = true
	f.dbgToEnd(c)
	f.cur.NewBr(c.end)
}

// brTable is a switch whose arms store the label's values and jump; the
// arms are shared per distinct label.
func (f *funcGen) brTable(in *wasm.Instr) {
	idx := f.pop()
	labels := in.Ext.Labels
	arms := map[uint32]*ir.Block{}
	from := f.cur
	arm := func(l uint32) *ir.Block {
		if b, ok := arms[l]; ok {
			return b
		}
		b := f.newBlock()
		f.cur = b
		f.branch(int(l))
		arms[l] = b
		return b
	}
	def := arm(labels[len(labels)-1])
	var cases []*ir.Case
	for k, l := range labels[:len(labels)-1] {
		cases = append(cases, ir.NewCase(constant.NewInt(types.I32, int64(k)), arm(l)))
	}
	from.NewSwitch(idx, def, cases...)
	f.cur = from
}

// fallToEnd ends the current arm of c by falling through to its end.
func (f *funcGen) fallToEnd(c *ctrl) {
	if f.dead {
		return
	}
	f.storeVars(c.resVars, f.stack[len(f.stack)-len(c.results):])
	c.endReached = true
	f.dbgToEnd(c)
	f.cur.NewBr(c.end)
}

func (f *funcGen) end() error {
	c := f.ctrls[len(f.ctrls)-1]
	f.ctrls = f.ctrls[:len(f.ctrls)-1]
	if c.dead {
		return nil
	}
	f.closeTry(c)
	if c.op == wasm.OpLoop {
		// Only fallthrough reaches a loop's end: the values stay.
		return nil
	}
	f.fallToEnd(c)
	if c.elseB != nil {
		// An if without else passes its params through.
		f.cur = c.elseB
		f.storeVars(c.resVars, c.paramVals)
		c.endReached = true
		f.dbgIfToEnd(c)
		f.cur.NewBr(c.end)
	}
	f.stack = f.stack[:c.height]
	f.cur = c.end
	if !c.endReached {
		f.cur.NewUnreachable()
		// Code after a block nobody leaves is dead: nothing is appended
		// to the terminated block until an else or end moves on.
		f.dead = true
		return nil
	}
	f.dead = false
	f.dbgAtEnd(c)
	for k, v := range c.resVars {
		f.pushT(f.cur.NewLoad(c.results[k], v), c.wresults[k])
	}
	if len(f.ctrls) == 0 {
		f.debugFuncEnd()
		f.ret()
	}
	return nil
}

// ret returns the function's results from the stack.
func (f *funcGen) ret() {
	rs := f.popN(len(f.ft.Results))
	f.debugResults(rs)
	f.dbgHandBack() // debug_handback.go
	switch {
	case len(rs) == 0:
		f.cur.NewRet(nil)
	case len(rs) == 1:
		f.cur.NewRet(rs[0])
	default:
		k := 0
		for _, v := range rs {
			k = putSlot(f.cur, f.out, k, v)
		}
		f.cur.NewRet(nil)
	}
}
