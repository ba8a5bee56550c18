package validate

import (
	"github.com/gcscope/gcscope/engine/wasm"
)

// reference checks the reference instructions of typed function
// references and GC that are not about structs, arrays or casts.
func (c *checker) reference(in *wasm.Instr) error {
	switch in.Op {
	case wasm.OpRefNull:
		h, err := c.mc.heapType(in.Ref.Heap)
		if err != nil {
			return err
		}
		c.push(wasm.RefType(true, h))
	case wasm.OpRefIsNull:
		if _, err := c.popRef(); err != nil {
			return err
		}
		c.push(wasm.I32)
	case wasm.OpRefFunc:
		if _, err := c.mc.funcTypeOf(in.Index); err != nil {
			return err
		}
		// Constant expressions are what declares a function, so only
		// bodies need the check.
		if !c.constMode && !c.mc.declared[in.Index] {
			return c.errf("undeclared function reference %d", in.Index)
		}
		c.push(wasm.RefType(false, wasm.HeapType(c.mc.ids[c.mc.funcs[in.Index]])))
	case wasm.OpRefEq:
		if err := c.popVals([]wasm.ValType{wasm.EqRef, wasm.EqRef}, "instruction"); err != nil {
			return err
		}
		c.push(wasm.I32)
	case wasm.OpRefAsNonNull:
		r, err := c.popRef()
		if err != nil {
			return err
		}
		c.push(wasm.RefType(false, r.Heap))
	case wasm.OpBrOnNull:
		f, err := c.label(in.Index)
		if err != nil {
			return err
		}
		r, err := c.popRef()
		if err != nil {
			return err
		}
		lt := f.labelTypes()
		if err := c.popVals(lt, "instruction"); err != nil {
			return err
		}
		c.pushAll(lt)
		c.push(wasm.RefType(false, r.Heap))
	case wasm.OpBrOnNonNull:
		f, err := c.label(in.Index)
		if err != nil {
			return err
		}
		lt := f.labelTypes()
		if len(lt) == 0 || !lt[len(lt)-1].IsRef() {
			return c.errf("type mismatch: br_on_non_null needs a label whose last value is a reference, not %s", wasm.TypeString(lt))
		}
		r, err := c.popRef()
		if err != nil {
			return err
		}
		if !c.mc.sub(wasm.RefType(false, r.Heap), lt[len(lt)-1]) {
			return c.errf("type mismatch: instruction requires [%s] but stack has [%s]", lt[len(lt)-1], r)
		}
		rest := lt[:len(lt)-1]
		if err := c.popVals(rest, "instruction"); err != nil {
			return err
		}
		c.pushAll(rest)
	case wasm.OpRefI31:
		if _, err := c.popExpect(wasm.I32); err != nil {
			return err
		}
		c.push(wasm.RefType(false, wasm.HeapI31))
	case wasm.OpI31GetS, wasm.OpI31GetU:
		if _, err := c.popExpect(wasm.I31Ref); err != nil {
			return err
		}
		c.push(wasm.I32)
	case wasm.OpAnyConvertExtern, wasm.OpExternConvertAny:
		// The conversion keeps nullability: a non-null externref becomes a
		// non-null anyref and the other way round.
		from, to := wasm.ExternRef, wasm.HeapAny
		if in.Op == wasm.OpExternConvertAny {
			from, to = wasm.AnyRef, wasm.HeapExtern
		}
		r, err := c.popExpect(from)
		if err != nil {
			return err
		}
		c.push(wasm.RefType(r.Kind == wasm.KindRef && r.Nullable, to))
	}
	return nil
}
