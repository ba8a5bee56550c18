package validate

import (
	"github.com/gcscope/gcscope/engine/types"
	"github.com/gcscope/gcscope/engine/wasm"
)

// gc checks the struct, array and cast instructions (prefix 0xFB).
func (c *checker) gc(in *wasm.Instr) error {
	switch in.Op {
	case wasm.OpStructNew, wasm.OpStructNewDefault, wasm.OpStructGet, wasm.OpStructGetS,
		wasm.OpStructGetU, wasm.OpStructSet:
		return c.structInstr(in)
	case wasm.OpRefTest, wasm.OpRefTestNull, wasm.OpRefCast, wasm.OpRefCastNull:
		return c.refTestCast(in)
	case wasm.OpBrOnCast, wasm.OpBrOnCastFail:
		return c.brOnCast(in)
	case wasm.OpArrayLen:
		if _, err := c.popExpect(wasm.ArrayRef); err != nil {
			return err
		}
		c.push(wasm.I32)
		return nil
	case wasm.OpArrayNew, wasm.OpArrayNewDefault, wasm.OpArrayNewFixed, wasm.OpArrayNewData,
		wasm.OpArrayNewElem, wasm.OpArrayGet, wasm.OpArrayGetS, wasm.OpArrayGetU, wasm.OpArraySet,
		wasm.OpArrayFill, wasm.OpArrayCopy, wasm.OpArrayInitData, wasm.OpArrayInitElem:
		return c.arrayInstr(in)
	}
	return c.errf("unknown operator %s", in.Op)
}

// ref returns the (ref null? x) of a checked type index x.
func (c *checker) ref(nullable bool, x uint32) wasm.ValType {
	return wasm.RefType(nullable, wasm.HeapType(c.mc.ids[x]))
}

// getPacked checks that plain gets read unpacked fields and _s/_u gets
// packed ones.
func (c *checker) getPacked(op wasm.Opcode, ft wasm.FieldType) error {
	signed := op == wasm.OpStructGetS || op == wasm.OpStructGetU || op == wasm.OpArrayGetS || op == wasm.OpArrayGetU
	packed := ft.Storage.Packed != wasm.NotPacked
	if packed && !signed {
		return c.errf("type mismatch: %s of a packed %s field needs _s or _u", op, ft.Storage)
	}
	if !packed && signed {
		return c.errf("type mismatch: %s needs a packed field, not %s", op, ft.Storage)
	}
	return nil
}

func (c *checker) structInstr(in *wasm.Instr) error {
	st, err := c.mc.structType(in.Index)
	if err != nil {
		return err
	}
	fields := st.Comp.Fields
	switch in.Op {
	case wasm.OpStructNew:
		want := make([]wasm.ValType, len(fields))
		for i, f := range fields {
			want[i] = f.Storage.Unpacked()
		}
		if err := c.popVals(want, "instruction"); err != nil {
			return err
		}
		c.push(c.ref(false, in.Index))
		return nil
	case wasm.OpStructNewDefault:
		for i, f := range fields {
			if !f.Storage.Unpacked().Defaultable() {
				return c.errf("type mismatch: field %d of type %d is not defaultable", i, in.Index)
			}
		}
		c.push(c.ref(false, in.Index))
		return nil
	}
	if int64(in.Index2) >= int64(len(fields)) {
		return c.errf("unknown field %d of type %d", in.Index2, in.Index)
	}
	f := fields[in.Index2]
	if in.Op == wasm.OpStructSet {
		if !f.Mutable {
			return c.errf("immutable field %d of type %d", in.Index2, in.Index)
		}
		return c.popVals([]wasm.ValType{c.ref(true, in.Index), f.Storage.Unpacked()}, "instruction")
	}
	if err := c.getPacked(in.Op, f); err != nil {
		return err
	}
	if _, err := c.popExpect(c.ref(true, in.Index)); err != nil {
		return err
	}
	c.push(f.Storage.Unpacked())
	return nil
}

// numericElem checks that an array's elements can be read from bytes.
func (c *checker) numericElem(at *types.Type) error {
	s := at.Comp.Fields[0].Storage
	if s.Packed == wasm.NotPacked && !s.Val.IsNum() && s.Val.Kind != wasm.KindV128 {
		return c.errf("array type is not numeric or vector")
	}
	return nil
}

func (c *checker) mutableArray(at *types.Type, x uint32) error {
	if !at.Comp.Fields[0].Mutable {
		return c.errf("immutable array %d", x)
	}
	return nil
}

// elemFits checks that an element segment's references fit the array.
func (c *checker) elemFits(seg uint32, at *types.Type) error {
	et, err := c.mc.elem(seg)
	if err != nil {
		return err
	}
	if want := at.Comp.Fields[0].Storage.Unpacked(); !c.mc.sub(et, want) {
		return c.errf("type mismatch: element segment of %s does not fit an array of %s", et, want)
	}
	return nil
}

func (c *checker) arrayInstr(in *wasm.Instr) error {
	at, err := c.mc.arrayType(in.Index)
	if err != nil {
		return err
	}
	elem := at.Comp.Fields[0]
	ev := elem.Storage.Unpacked()
	x := in.Index
	switch in.Op {
	case wasm.OpArrayNew:
		if err := c.popVals([]wasm.ValType{ev, wasm.I32}, "instruction"); err != nil {
			return err
		}
	case wasm.OpArrayNewDefault:
		if !ev.Defaultable() {
			return c.errf("type mismatch: elements of array type %d are not defaultable", x)
		}
		if _, err := c.popExpect(wasm.I32); err != nil {
			return err
		}
	case wasm.OpArrayNewFixed:
		// Pop one at a time rather than building an n-long list: n comes
		// from the module and may be huge.
		f := c.top()
		for i := uint64(0); i < uint64(in.Index2); i++ {
			if len(c.vals) == f.height && f.unreachable {
				break
			}
			if _, err := c.popExpect(ev); err != nil {
				return err
			}
		}
	case wasm.OpArrayNewData:
		if err := c.numericElem(at); err != nil {
			return err
		}
		if err := c.mc.data(in.Index2); err != nil {
			return err
		}
		if err := c.popVals([]wasm.ValType{wasm.I32, wasm.I32}, "instruction"); err != nil {
			return err
		}
	case wasm.OpArrayNewElem:
		if err := c.elemFits(in.Index2, at); err != nil {
			return err
		}
		if err := c.popVals([]wasm.ValType{wasm.I32, wasm.I32}, "instruction"); err != nil {
			return err
		}
	case wasm.OpArrayGet, wasm.OpArrayGetS, wasm.OpArrayGetU:
		if err := c.getPacked(in.Op, elem); err != nil {
			return err
		}
		if err := c.popVals([]wasm.ValType{c.ref(true, x), wasm.I32}, "instruction"); err != nil {
			return err
		}
		c.push(ev)
		return nil
	case wasm.OpArraySet:
		if err := c.mutableArray(at, x); err != nil {
			return err
		}
		return c.popVals([]wasm.ValType{c.ref(true, x), wasm.I32, ev}, "instruction")
	case wasm.OpArrayFill:
		if err := c.mutableArray(at, x); err != nil {
			return err
		}
		return c.popVals([]wasm.ValType{c.ref(true, x), wasm.I32, ev, wasm.I32}, "instruction")
	case wasm.OpArrayCopy:
		if err := c.mutableArray(at, x); err != nil {
			return err
		}
		src, err := c.mc.arrayType(in.Index2)
		if err != nil {
			return err
		}
		if !c.mc.reg.StorageSubtype(src.Comp.Fields[0].Storage, elem.Storage) {
			return c.errf("array types do not match: cannot copy %s elements into %s", src.Comp.Fields[0].Storage, elem.Storage)
		}
		return c.popVals([]wasm.ValType{c.ref(true, x), wasm.I32, c.ref(true, in.Index2), wasm.I32, wasm.I32}, "instruction")
	case wasm.OpArrayInitData, wasm.OpArrayInitElem:
		if err := c.mutableArray(at, x); err != nil {
			return err
		}
		if in.Op == wasm.OpArrayInitData {
			if err := c.numericElem(at); err != nil {
				return err
			}
			if err := c.mc.data(in.Index2); err != nil {
				return err
			}
		} else if err := c.elemFits(in.Index2, at); err != nil {
			return err
		}
		return c.popVals([]wasm.ValType{c.ref(true, x), wasm.I32, wasm.I32, wasm.I32}, "instruction")
	}
	c.push(c.ref(false, x))
	return nil
}

// refTestCast checks ref.test and ref.cast: the operand may be any
// reference of the target's hierarchy.
func (c *checker) refTestCast(in *wasm.Instr) error {
	h, err := c.mc.heapType(in.Ref.Heap)
	if err != nil {
		return err
	}
	nullable := in.Op == wasm.OpRefTestNull || in.Op == wasm.OpRefCastNull
	if _, err := c.popExpect(wasm.RefType(true, c.mc.reg.Top(h))); err != nil {
		return err
	}
	if in.Op == wasm.OpRefTest || in.Op == wasm.OpRefTestNull {
		c.push(wasm.I32)
	} else {
		c.push(wasm.RefType(nullable, h))
	}
	return nil
}

// brOnCast checks br_on_cast and br_on_cast_fail: Ref2 is the operand's
// type rt1, Ref the target type rt2, which must be below rt1; the label
// gets rt2 (or what fails the cast, rt1 minus rt2) and the other falls
// through.
func (c *checker) brOnCast(in *wasm.Instr) error {
	if !in.Ref.IsRef() || !in.Ref2.IsRef() {
		return c.errf("type mismatch: br_on_cast needs reference types")
	}
	rt1, err := c.mc.valType(in.Ref2)
	if err != nil {
		return err
	}
	rt2, err := c.mc.valType(in.Ref)
	if err != nil {
		return err
	}
	if !c.mc.sub(rt2, rt1) {
		return c.errf("type mismatch: cast target %s is not a subtype of the operand type %s", rt2, rt1)
	}
	f, err := c.label(in.Index)
	if err != nil {
		return err
	}
	lt := f.labelTypes()
	if len(lt) == 0 {
		return c.errf("type mismatch: %s needs a label that takes a reference", in.Op)
	}
	if _, err := c.popExpect(rt1); err != nil {
		return err
	}
	diff := wasm.RefType(rt1.Nullable && !rt2.Nullable, rt1.Heap)
	sent, fall := rt2, diff
	if in.Op == wasm.OpBrOnCastFail {
		sent, fall = diff, rt2
	}
	if last := lt[len(lt)-1]; !c.mc.sub(sent, last) {
		return c.errf("type mismatch: %s sends %s to a label of %s", in.Op, sent, wasm.TypeString(lt))
	}
	rest := lt[:len(lt)-1]
	if err := c.popVals(rest, "instruction"); err != nil {
		return err
	}
	c.pushAll(rest)
	c.push(fall)
	return nil
}
