package validate

import (
	"github.com/gcscope/gcscope/engine/wasm"
)

// function checks one function body; fi, if not nil, receives what the
// check learned.
func (c *checker) function(fidx uint32, f *wasm.Func, fi *FuncInfo) error {
	c.reset()
	c.fn = int64(fidx)
	c.constMode = false
	c.keepBlocks = fi != nil
	fail := func(err error) error {
		e := c.at(err)
		if !e.Pos.IsValid() {
			e.Pos = f.Pos
		}
		if e.Offset < 0 && f.Offset != 0 && c.in == nil {
			e.Offset = int64(f.Offset)
		}
		return e
	}
	ft, err := c.mc.funcType(f.TypeIndex)
	if err != nil {
		return fail(err)
	}
	c.locals = append(c.locals[:0], ft.Params...)
	for _, t := range f.Locals {
		ct, err := c.mc.valType(t)
		if err != nil {
			return fail(err)
		}
		c.locals = append(c.locals, ct)
	}
	c.inited = c.inited[:0]
	for i, t := range c.locals {
		c.inited = append(c.inited, i < len(ft.Params) || t.Defaultable())
	}
	c.returns = ft.Results
	c.pushCtrl(0, nil, ft.Results)
	if err := c.run(f.Body); err != nil {
		return fail(err)
	}
	if fi != nil {
		fi.Locals = append([]wasm.ValType(nil), c.locals...)
		fi.MaxStack = c.maxStack
		fi.Blocks = c.blocks
	}
	return nil
}

// run checks an instruction sequence whose outermost frame is already
// pushed; the sequence must end exactly with the End closing that frame.
func (c *checker) run(body []wasm.Instr) error {
	for i := range body {
		if len(c.ctrls) == 0 {
			c.in, c.pc = &body[i], i
			return c.errf("type mismatch: instruction after the final end")
		}
		c.in, c.pc = &body[i], i
		var err error
		if c.constMode {
			err = c.checkConstInstr(c.in)
		} else if c.visit != nil {
			c.visit(i, c.vals, c.top().unreachable)
		}
		if err == nil {
			err = c.instr(c.in)
		}
		if err != nil {
			// Name the instruction after the spec's words, which scripts
			// match as a prefix.
			e := c.at(err)
			e.Msg += " (" + c.in.Op.String() + ")"
			return e
		}
	}
	if len(c.ctrls) != 0 {
		return c.errf("unexpected end of instructions: missing end")
	}
	return nil
}

// constExpr checks a constant expression of type want, in which global.get
// may name the first nglobals globals.
func (c *checker) constExpr(e wasm.Expr, want wasm.ValType, nglobals int) error {
	c.reset()
	c.fn = -1
	c.constMode = true
	c.constGlobals = nglobals
	c.keepBlocks = false
	c.locals = c.locals[:0]
	c.inited = c.inited[:0]
	c.returns = nil
	c.pushCtrl(0, nil, []wasm.ValType{want})
	err := c.run(e)
	c.constMode = false
	return err
}

// checkConstInstr allows only constant instructions (Wasm 3.0 with
// extended-const and GC allocation).
func (c *checker) checkConstInstr(in *wasm.Instr) error {
	switch in.Op {
	case wasm.OpI32Const, wasm.OpI64Const, wasm.OpF32Const, wasm.OpF64Const, wasm.OpV128Const,
		wasm.OpI32Add, wasm.OpI32Sub, wasm.OpI32Mul, wasm.OpI64Add, wasm.OpI64Sub, wasm.OpI64Mul,
		wasm.OpRefNull, wasm.OpRefFunc, wasm.OpRefI31, wasm.OpEnd,
		wasm.OpStructNew, wasm.OpStructNewDefault, wasm.OpArrayNew, wasm.OpArrayNewDefault,
		wasm.OpArrayNewFixed, wasm.OpAnyConvertExtern, wasm.OpExternConvertAny:
		return nil
	case wasm.OpGlobalGet:
		if int64(in.Index) >= int64(c.constGlobals) {
			return c.errf("unknown global %d", in.Index)
		}
		if c.mc.globals[in.Index].Mutable {
			return c.errf("constant expression required: global %d is mutable", in.Index)
		}
		return nil
	}
	return c.errf("constant expression required: %s is not constant", in.Op)
}
