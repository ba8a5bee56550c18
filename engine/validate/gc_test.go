package validate

import (
	"testing"

	"github.com/gcscope/gcscope/engine/wasm"
)

func TestStructsAndArrays(t *testing.T) {
	I32 := wasm.I32
	// 0: struct {mut i32, i8, immutable anyref}; 1: array (mut i16);
	// 2: array (mut i32); 3: array anyref (immutable); 4: array (mut eqref).
	types := func() *wasm.Module {
		return withTypes(
			structType(field(I32, true), packed(wasm.PackedI8, false), field(wasm.AnyRef, false)),
			arrayType(packed(wasm.PackedI16, true)),
			arrayType(field(I32, true)),
			arrayType(field(wasm.AnyRef, false)),
			arrayType(field(wasm.EqRef, true)),
		)
	}
	r := func(nullable bool, ti uint32) wasm.ValType { return wasm.RefType(nullable, wasm.HeapType(ti)) }
	get := func(op wasm.Opcode, f uint32) *wasm.Module {
		return addFunc(types(), vt(r(true, 0)), vt(I32), nil, idx(wasm.OpLocalGet, 0), idx2(op, 0, f))
	}
	copyArr := func(dst, src uint32) *wasm.Module {
		return addFunc(types(), vt(r(false, dst), r(false, src)), nil, nil,
			idx(wasm.OpLocalGet, 0), i32c(0), idx(wasm.OpLocalGet, 1), i32c(0), i32c(0), idx2(wasm.OpArrayCopy, dst, src))
	}
	runCases(t, []vcase{
		{"struct.new", addFunc(types(), nil, vt(r(false, 0)), nil, i32c(1), i32c(2), refNull(wasm.HeapNone), idx(wasm.OpStructNew, 0)), ""},
		{"struct.new wrong field", addFunc(types(), nil, vt(r(false, 0)), nil, i32c(1), refNull(wasm.HeapNone), i32c(2), idx(wasm.OpStructNew, 0)), "type mismatch"},
		{"struct.new on array", addFunc(types(), nil, nil, nil, idx(wasm.OpStructNew, 1)), "type mismatch"},
		{"struct.new unknown type", addFunc(types(), nil, nil, nil, idx(wasm.OpStructNew, 99)), "unknown type 99"},
		{"struct.get", get(wasm.OpStructGet, 0), ""},
		{"struct.get packed", get(wasm.OpStructGet, 1), "type mismatch"},
		{"struct.get_s packed", get(wasm.OpStructGetS, 1), ""},
		{"struct.get_u unpacked", get(wasm.OpStructGetU, 0), "type mismatch"},
		{"struct.get unknown field", get(wasm.OpStructGet, 3), "unknown field"},
		{"struct.set immutable", addFunc(types(), vt(r(true, 0)), nil, nil, idx(wasm.OpLocalGet, 0), i32c(0), idx2(wasm.OpStructSet, 0, 1)), "immutable field"},
		{"struct.set", addFunc(types(), vt(r(true, 0)), nil, nil, idx(wasm.OpLocalGet, 0), i32c(0), idx2(wasm.OpStructSet, 0, 0)), ""},
		{"struct.new_default non-defaultable", addFunc(withTypes(structType(field(wasm.RefType(false, wasm.HeapAny), false))), nil, nil, nil,
			idx(wasm.OpStructNewDefault, 0), ins(wasm.OpDrop)), "type mismatch"},
		{"array.new_fixed", addFunc(types(), nil, vt(r(false, 2)), nil, i32c(1), i32c(2), idx2(wasm.OpArrayNewFixed, 2, 2)), ""},
		{"array.new_fixed short", addFunc(types(), nil, vt(r(false, 2)), nil, i32c(1), idx2(wasm.OpArrayNewFixed, 2, 2)), "type mismatch"},
		{"array.new_fixed huge unreachable", addFunc(types(), nil, vt(r(false, 2)), nil, ins(wasm.OpUnreachable), idx2(wasm.OpArrayNewFixed, 2, 0xFFFFFFFF)), ""},
		{"array.set immutable", addFunc(types(), vt(r(true, 3)), nil, nil, idx(wasm.OpLocalGet, 0), i32c(0), refNull(wasm.HeapNone), idx(wasm.OpArraySet, 3)), "immutable array"},
		{"array.get_u packed", addFunc(types(), vt(r(true, 1)), vt(I32), nil, idx(wasm.OpLocalGet, 0), i32c(0), idx(wasm.OpArrayGetU, 1)), ""},
		{"array.get packed", addFunc(types(), vt(r(true, 1)), vt(I32), nil, idx(wasm.OpLocalGet, 0), i32c(0), idx(wasm.OpArrayGet, 1)), "type mismatch"},
		{"array.len", addFunc(types(), vt(r(true, 1)), vt(I32), nil, idx(wasm.OpLocalGet, 0), ins(wasm.OpArrayLen)), ""},
		{"array.len on struct", addFunc(types(), vt(r(true, 0)), vt(I32), nil, idx(wasm.OpLocalGet, 0), ins(wasm.OpArrayLen)), "type mismatch"},
		{"array.copy same", copyArr(2, 2), ""},
		{"array.copy packed vs i32", copyArr(2, 1), "array types do not match"},
		{"array.copy anyref into eqref", copyArr(4, 3), "array types do not match"},
		{"array.copy into immutable", copyArr(3, 4), "immutable array"},
		{"array.new_data on refs", addFunc(types(), nil, nil, nil, i32c(0), i32c(0), idx2(wasm.OpArrayNewData, 3, 0), ins(wasm.OpDrop)), "array type is not numeric or vector"},
		{"array.fill", addFunc(types(), vt(r(true, 2)), nil, nil, idx(wasm.OpLocalGet, 0), i32c(0), i32c(5), i32c(1), idx(wasm.OpArrayFill, 2)), ""},
		{"array.new_elem unknown segment", addFunc(types(), nil, nil, nil, i32c(0), i32c(0), idx2(wasm.OpArrayNewElem, 3, 0), ins(wasm.OpDrop)), "unknown elem segment 0"},
	})
}

func TestReferencesAndCasts(t *testing.T) {
	I32 := wasm.I32
	// 0: open struct, 1: its subtype, 2: a function type.
	types := func() *wasm.Module {
		m := withTypes(
			wasm.SubType{Comp: wasm.CompositeType{Kind: wasm.CompStruct}},
			wasm.SubType{Final: true, Supers: []uint32{0}, Comp: wasm.CompositeType{Kind: wasm.CompStruct, Fields: []wasm.FieldType{field(I32, false)}}},
			fnType(nil, nil),
		)
		return m
	}
	r := func(nullable bool, h wasm.HeapType) wasm.ValType { return wasm.RefType(nullable, h) }
	cast := func(op wasm.Opcode, h wasm.HeapType) wasm.Instr {
		return wasm.Instr{Op: op, Ref: r(op == wasm.OpRefCastNull || op == wasm.OpRefTestNull, h)}
	}
	brOnCast := func(op wasm.Opcode, label uint32, from, to wasm.ValType) wasm.Instr {
		return wasm.Instr{Op: op, Index: label, Ref2: from, Ref: to}
	}
	runCases(t, []vcase{
		{"ref.cast down", addFunc(types(), vt(wasm.AnyRef), vt(r(false, 1)), nil, idx(wasm.OpLocalGet, 0), cast(wasm.OpRefCast, 1)), ""},
		{"ref.cast null result", addFunc(types(), vt(wasm.AnyRef), vt(r(false, 1)), nil, idx(wasm.OpLocalGet, 0), cast(wasm.OpRefCastNull, 1)), "type mismatch"},
		{"ref.test other hierarchy", addFunc(types(), vt(wasm.ExternRef), vt(I32), nil, idx(wasm.OpLocalGet, 0), cast(wasm.OpRefTest, 1)), "type mismatch"},
		{"ref.test func", addFunc(types(), vt(wasm.FuncRef), vt(I32), nil, idx(wasm.OpLocalGet, 0), cast(wasm.OpRefTest, 2)), ""},
		{"ref.cast unknown type", addFunc(types(), vt(wasm.AnyRef), nil, nil, idx(wasm.OpLocalGet, 0), cast(wasm.OpRefCast, 9), ins(wasm.OpDrop)), "unknown type 9"},
		{"br_on_cast", addFunc(types(), vt(r(true, 0)), vt(r(false, 1)), nil,
			block(wasm.OpBlock, r(false, 1)), idx(wasm.OpLocalGet, 0), brOnCast(wasm.OpBrOnCast, 0, r(true, 0), r(false, 1)), ins(wasm.OpDrop),
			ins(wasm.OpUnreachable), end()), ""},
		{"br_on_cast fallthrough keeps null", addFunc(types(), vt(r(true, 0)), vt(r(true, 0)), nil,
			block(wasm.OpBlock, r(false, 1)), idx(wasm.OpLocalGet, 0), brOnCast(wasm.OpBrOnCast, 0, r(true, 0), r(false, 1)), ins(wasm.OpReturn), end(), ins(wasm.OpUnreachable)), ""},
		{"br_on_cast target not below source", addFunc(types(), vt(r(true, 1)), nil, nil,
			block(wasm.OpBlock, wasm.AnyRef), idx(wasm.OpLocalGet, 0), brOnCast(wasm.OpBrOnCast, 0, r(true, 1), r(false, 0)), ins(wasm.OpDrop), refNull(wasm.HeapNone), end(), ins(wasm.OpDrop)), "type mismatch"},
		{"br_on_cast_fail label gets diff", addFunc(types(), vt(r(true, 0)), nil, nil,
			block(wasm.OpBlock, r(false, 0)), idx(wasm.OpLocalGet, 0), brOnCast(wasm.OpBrOnCastFail, 0, r(true, 0), r(false, 1)), ins(wasm.OpDrop), ins(wasm.OpUnreachable), end(), ins(wasm.OpDrop)), "type mismatch"},
		{"br_on_cast_fail nullable label", addFunc(types(), vt(r(true, 0)), nil, nil,
			block(wasm.OpBlock, r(true, 0)), idx(wasm.OpLocalGet, 0), brOnCast(wasm.OpBrOnCastFail, 0, r(true, 0), r(false, 1)), ins(wasm.OpDrop), ins(wasm.OpUnreachable), end(), ins(wasm.OpDrop)), ""},
		{"ref.eq on eq", addFunc(types(), vt(r(true, 0), wasm.I31Ref), vt(I32), nil, idx(wasm.OpLocalGet, 0), idx(wasm.OpLocalGet, 1), ins(wasm.OpRefEq)), ""},
		{"ref.eq on any", addFunc(types(), vt(wasm.AnyRef, wasm.I31Ref), vt(I32), nil, idx(wasm.OpLocalGet, 0), idx(wasm.OpLocalGet, 1), ins(wasm.OpRefEq)), "type mismatch"},
		{"ref.i31", addFunc(types(), nil, vt(r(false, wasm.HeapI31)), nil, i32c(5), ins(wasm.OpRefI31)), ""},
		{"i31.get_s", addFunc(types(), vt(wasm.I31Ref), vt(I32), nil, idx(wasm.OpLocalGet, 0), ins(wasm.OpI31GetS)), ""},
		{"convert keeps non-null", addFunc(types(), vt(r(false, wasm.HeapExtern)), vt(r(false, wasm.HeapAny)), nil, idx(wasm.OpLocalGet, 0), ins(wasm.OpAnyConvertExtern)), ""},
		{"convert keeps nullable", addFunc(types(), vt(wasm.ExternRef), vt(r(false, wasm.HeapAny)), nil, idx(wasm.OpLocalGet, 0), ins(wasm.OpAnyConvertExtern)), "type mismatch"},
		{"extern.convert_any", addFunc(types(), vt(r(true, 1)), vt(wasm.ExternRef), nil, idx(wasm.OpLocalGet, 0), ins(wasm.OpExternConvertAny)), ""},
		{"ref.as_non_null", addFunc(types(), vt(r(true, 1)), vt(r(false, 0)), nil, idx(wasm.OpLocalGet, 0), ins(wasm.OpRefAsNonNull)), ""},
		{"ref.as_non_null number", addFunc(types(), vt(I32), nil, nil, idx(wasm.OpLocalGet, 0), ins(wasm.OpRefAsNonNull), ins(wasm.OpDrop)), "type mismatch"},
		{"br_on_null", addFunc(types(), vt(r(true, 1)), vt(r(false, 1)), nil, idx(wasm.OpLocalGet, 0), idx(wasm.OpBrOnNull, 0), ins(wasm.OpReturn)), "type mismatch"},
		{"br_on_null ok", addFunc(types(), vt(r(true, 1)), nil, nil, block(wasm.OpBlock), idx(wasm.OpLocalGet, 0), idx(wasm.OpBrOnNull, 0), ins(wasm.OpDrop), end()), ""},
		{"br_on_non_null", addFunc(types(), vt(r(true, 1)), vt(r(false, 0)), nil, idx(wasm.OpLocalGet, 0), idx(wasm.OpBrOnNonNull, 0), refNull(wasm.HeapNone), ins(wasm.OpRefAsNonNull)), ""},
		{"br_on_non_null empty label", addFunc(types(), vt(r(true, 1)), nil, nil, idx(wasm.OpLocalGet, 0), idx(wasm.OpBrOnNonNull, 0)), "type mismatch"},
		{"ref.null unknown", addFunc(types(), nil, nil, nil, refNull(77), ins(wasm.OpDrop)), "unknown type 77"},
		{"ref.is_null", addFunc(types(), vt(wasm.ExternRef), vt(I32), nil, idx(wasm.OpLocalGet, 0), ins(wasm.OpRefIsNull)), ""},
	})
}

func TestRefFuncDeclared(t *testing.T) {
	m := fn(nil, nil, idx(wasm.OpRefFunc, 0), ins(wasm.OpDrop))
	expect(t, m, "undeclared function reference")
	m.Exports = []wasm.Export{{Name: "f", Kind: wasm.ExternFunc, Index: 0}}
	expect(t, m, "")
	m.Exports = nil
	m.Globals = []wasm.Global{{Type: wasm.GlobalType{Val: wasm.FuncRef}, Init: wasm.Expr{idx(wasm.OpRefFunc, 0), end()}}}
	expect(t, m, "")
	m.Funcs[0].Body[0].Index = 5
	expect(t, m, "unknown function 5")
}
