package validate

import (
	"testing"

	"github.com/gcscope/gcscope/engine/wasm"
)

func TestNumericAndStack(t *testing.T) {
	I32, I64 := wasm.I32, wasm.I64
	runCases(t, []vcase{
		{"add", fn(vt(I32, I32), vt(I32), idx(wasm.OpLocalGet, 0), idx(wasm.OpLocalGet, 1), ins(wasm.OpI32Add)), ""},
		{"add wrong type", fn(vt(I64), vt(I32), idx(wasm.OpLocalGet, 0), i32c(1), ins(wasm.OpI32Add)),
			"type mismatch: instruction requires [i32 i32] but stack has [i64 i32]"},
		{"empty stack", fn(nil, vt(I32), ins(wasm.OpI32Eqz)), "type mismatch: instruction requires [i32] but stack has []"},
		{"extra value at end", fn(nil, nil, i32c(1)), "type mismatch: block requires [] but stack has [i32]"},
		{"missing result", fn(nil, vt(I32)), "type mismatch"},
		{"unreachable is polymorphic", fn(nil, vt(I32), ins(wasm.OpUnreachable), ins(wasm.OpI32Add)), ""},
		{"polymorphic still typed", fn(nil, vt(I32), ins(wasm.OpUnreachable), i64c(0), ins(wasm.OpI32Add)), "type mismatch"},
		{"unknown local", fn(nil, nil, idx(wasm.OpLocalGet, 0), ins(wasm.OpDrop)), "unknown local 0"},
		{"unknown global", fn(nil, nil, idx(wasm.OpGlobalGet, 3), ins(wasm.OpDrop)), "unknown global 3"},
		{"unknown function", fn(nil, nil, idx(wasm.OpCall, 9)), "unknown function 9"},
		{"unknown operator", fn(nil, nil, ins(wasm.Opcode(0xFF))), "unknown operator"},
		{"select numeric", fn(vt(I32), vt(I32), i32c(1), i32c(2), idx(wasm.OpLocalGet, 0), ins(wasm.OpSelect)), ""},
		{"select differing", fn(vt(I32), vt(I32), i32c(1), i64c(2), idx(wasm.OpLocalGet, 0), ins(wasm.OpSelect)), "type mismatch"},
		{"select refs untyped", fn(nil, nil, refNull(wasm.HeapFunc), refNull(wasm.HeapFunc), i32c(0), ins(wasm.OpSelect), ins(wasm.OpDrop)), "type mismatch"},
		{"select typed refs", fn(nil, nil, refNull(wasm.HeapFunc), refNull(wasm.HeapFunc), i32c(0),
			wasm.Instr{Op: wasm.OpSelectT, Ext: &wasm.InstrExt{Types: vt(wasm.FuncRef)}}, ins(wasm.OpDrop)), ""},
		{"select typed arity", fn(nil, nil, i32c(0), i32c(0), i32c(0),
			wasm.Instr{Op: wasm.OpSelectT, Ext: &wasm.InstrExt{Types: vt(I32, I32)}}, ins(wasm.OpDrop)), "invalid result arity"},
		{"select typed no ext", fn(nil, nil, wasm.Instr{Op: wasm.OpSelectT}), "invalid result arity"},
		{"select bot and number", fn(nil, vt(I32), ins(wasm.OpUnreachable), i32c(1), ins(wasm.OpSelect)), ""},
	})
}

func TestControl(t *testing.T) {
	I32, I64 := wasm.I32, wasm.I64
	m := fn(nil, vt(I32), block(wasm.OpBlock, I32), i32c(1), idx(wasm.OpBr, 0), end())
	brTable := func(labels ...uint32) wasm.Instr {
		return wasm.Instr{Op: wasm.OpBrTable, Ext: &wasm.InstrExt{Labels: labels}}
	}
	loopParams := withTypes(fnType(vt(I32), vt(I64)))
	addFunc(loopParams, vt(I32), vt(I64), nil, idx(wasm.OpLocalGet, 0), blockFn(wasm.OpLoop, 0),
		idx(wasm.OpBr, 0), end())
	runCases(t, []vcase{
		{"br with value", m, ""},
		{"br unknown label", fn(nil, nil, idx(wasm.OpBr, 1)), "unknown label 1"},
		{"br to function", fn(nil, vt(I32), i32c(1), idx(wasm.OpBr, 0)), ""},
		{"loop label takes params", loopParams, ""},
		{"if without else needs equal types", fn(vt(I32), vt(I32), idx(wasm.OpLocalGet, 0), block(wasm.OpIf, I32), i32c(1), end()), "type mismatch"},
		{"if else", fn(vt(I32), vt(I32), idx(wasm.OpLocalGet, 0), block(wasm.OpIf, I32), i32c(1), ins(wasm.OpElse), i32c(2), end()), ""},
		{"else branch wrong", fn(vt(I32), vt(I32), idx(wasm.OpLocalGet, 0), block(wasm.OpIf, I32), i32c(1), ins(wasm.OpElse), i64c(2), end()), "type mismatch"},
		{"else without if", fn(nil, nil, block(wasm.OpBlock), ins(wasm.OpElse), end()), "type mismatch"},
		{"br_table same arity", fn(vt(I32), vt(I32), block(wasm.OpBlock, I32), i32c(7), idx(wasm.OpLocalGet, 0), brTable(0, 1), end()), ""},
		{"br_table arity differs", fn(vt(I32), nil, block(wasm.OpBlock, I32), i32c(7), idx(wasm.OpLocalGet, 0), brTable(0, 1), end(), ins(wasm.OpDrop)), "type mismatch"},
		{"br_table no labels", fn(vt(I32), nil, idx(wasm.OpLocalGet, 0), wasm.Instr{Op: wasm.OpBrTable}), "unknown label"},
		{"br_table unreachable mixed", fn(nil, nil, block(wasm.OpBlock, wasm.FuncRef), block(wasm.OpBlock, wasm.ExternRef),
			ins(wasm.OpUnreachable), i32c(0), brTable(0, 1), end(), ins(wasm.OpDrop), refNull(wasm.HeapFunc), end(), ins(wasm.OpDrop)), ""},
		{"return", fn(nil, vt(I32), i32c(1), ins(wasm.OpReturn), ins(wasm.OpI32Add)), ""},
		{"missing end", &wasm.Module{Types: []wasm.SubType{fnType(nil, nil)}, Funcs: []wasm.Func{{Body: []wasm.Instr{block(wasm.OpBlock), end()}}}}, "unexpected end"},
		{"after end", &wasm.Module{Types: []wasm.SubType{fnType(nil, nil)}, Funcs: []wasm.Func{{Body: []wasm.Instr{end(), ins(wasm.OpNop)}}}}, "type mismatch"},
		{"empty body", &wasm.Module{Types: []wasm.SubType{fnType(nil, nil)}, Funcs: []wasm.Func{{}}}, "unexpected end"},
		{"block type unknown", fn(nil, nil, blockFn(wasm.OpBlock, 7), end()), "unknown type 7"},
	})
}

func TestCalls(t *testing.T) {
	I32, I64 := wasm.I32, wasm.I64
	// Type 0: [i32]->[i32]; func 0 of type 0.
	base := func() *wasm.Module {
		m := withTypes(fnType(vt(I32), vt(I32)))
		m.Funcs = append(m.Funcs, wasm.Func{TypeIndex: 0, Body: []wasm.Instr{idx(wasm.OpLocalGet, 0), end()}})
		return m
	}
	table := func(m *wasm.Module, elem wasm.ValType) *wasm.Module {
		m.Tables = append(m.Tables, wasm.Table{Type: wasm.TableType{Elem: elem, Limits: wasm.Limits{Min: 1}}})
		return m
	}
	runCases(t, []vcase{
		{"call", addFunc(base(), nil, vt(I32), nil, i32c(1), idx(wasm.OpCall, 0)), ""},
		{"call wrong arg", addFunc(base(), nil, vt(I32), nil, i64c(1), idx(wasm.OpCall, 0)), "type mismatch"},
		{"return_call", addFunc(base(), nil, vt(I32), nil, i32c(1), idx(wasm.OpReturnCall, 0)), ""},
		{"return_call result mismatch", addFunc(base(), nil, vt(I64), nil, i32c(1), idx(wasm.OpReturnCall, 0)), "type mismatch"},
		{"call_indirect", addFunc(table(base(), wasm.FuncRef), nil, vt(I32), nil, i32c(1), i32c(0), idx2(wasm.OpCallIndirect, 0, 0)), ""},
		{"call_indirect extern table", addFunc(table(base(), wasm.ExternRef), nil, vt(I32), nil, i32c(1), i32c(0), idx2(wasm.OpCallIndirect, 0, 0)), "type mismatch"},
		{"call_indirect no table", addFunc(base(), nil, vt(I32), nil, i32c(1), i32c(0), idx2(wasm.OpCallIndirect, 0, 0)), "unknown table 0"},
		{"call_indirect bad type", addFunc(table(base(), wasm.FuncRef), nil, vt(I32), nil, i32c(1), i32c(0), idx2(wasm.OpCallIndirect, 50, 0)), "unknown type 50"},
		{"call_ref", addFunc(base(), vt(wasm.RefType(false, 0)), vt(I32), nil, i32c(1), idx(wasm.OpLocalGet, 0), idx(wasm.OpCallRef, 0)), ""},
		{"call_ref nullable ok", addFunc(base(), vt(wasm.RefType(true, 0)), vt(I32), nil, i32c(1), idx(wasm.OpLocalGet, 0), idx(wasm.OpCallRef, 0)), ""},
		{"call_ref funcref", addFunc(base(), vt(wasm.FuncRef), vt(I32), nil, i32c(1), idx(wasm.OpLocalGet, 0), idx(wasm.OpCallRef, 0)), "type mismatch"},
		{"return_call_ref", addFunc(base(), vt(wasm.RefType(false, 0)), vt(I32), nil, i32c(1), idx(wasm.OpLocalGet, 0), idx(wasm.OpReturnCallRef, 0)), ""},
	})
}

func TestLocalsAndGlobals(t *testing.T) {
	I32 := wasm.I32
	nonNull := wasm.RefType(false, wasm.HeapFunc)
	withGlobal := func(mut bool) *wasm.Module {
		m := &wasm.Module{Globals: []wasm.Global{{Type: wasm.GlobalType{Val: I32, Mutable: mut}, Init: wasm.Expr{i32c(0), end()}}}}
		return addFunc(m, nil, nil, nil, i32c(1), idx(wasm.OpGlobalSet, 0))
	}
	refFunc := idx(wasm.OpRefFunc, 0)
	m := &wasm.Module{Elems: []wasm.ElemSegment{{Mode: wasm.SegmentDeclarative, Type: wasm.FuncRef, Init: []wasm.Expr{{refFunc, end()}}}}}
	runCases(t, []vcase{
		{"non-null local unset", addFunc(&wasm.Module{}, nil, nil, vt(nonNull), idx(wasm.OpLocalGet, 0), ins(wasm.OpDrop)), "uninitialized local"},
		{"non-null local set", addFunc(m, nil, nil, vt(nonNull), refFunc, idx(wasm.OpLocalSet, 0), idx(wasm.OpLocalGet, 0), ins(wasm.OpDrop)), ""},
		{"init forgotten after block", addFunc(&wasm.Module{Elems: m.Elems}, nil, nil, vt(nonNull), block(wasm.OpBlock), refFunc, idx(wasm.OpLocalSet, 0), end(),
			idx(wasm.OpLocalGet, 0), ins(wasm.OpDrop)), "uninitialized local"},
		{"tee initializes", addFunc(&wasm.Module{Elems: m.Elems}, nil, nil, vt(nonNull), refFunc, idx(wasm.OpLocalTee, 0), ins(wasm.OpDrop), idx(wasm.OpLocalGet, 0), ins(wasm.OpDrop)), ""},
		{"nullable local defaults", addFunc(&wasm.Module{}, nil, nil, vt(wasm.FuncRef), idx(wasm.OpLocalGet, 0), ins(wasm.OpDrop)), ""},
		{"mutable global", withGlobal(true), ""},
		{"immutable global", withGlobal(false), "immutable global"},
		{"local bad type", addFunc(&wasm.Module{}, nil, nil, vt(wasm.RefType(true, 40))), "unknown type 40"},
	})
}

func TestMemoryInstructions(t *testing.T) {
	I32, I64 := wasm.I32, wasm.I64
	mem := func(addr64, shared bool) *wasm.Module {
		return &wasm.Module{Memories: []wasm.Memory{{Type: wasm.MemoryType{Limits: wasm.Limits{Min: 1, Max: 1, HasMax: true}, Addr64: addr64, Shared: shared}}}}
	}
	lane := func(op wasm.Opcode, l uint8) wasm.Instr { return wasm.Instr{Op: op, Lane: l} }
	v128 := wasm.Instr{Op: wasm.OpV128Const, Ext: &wasm.InstrExt{}}
	runCases(t, []vcase{
		{"load", addFunc(mem(false, false), nil, vt(I32), nil, i32c(0), memarg(wasm.OpI32Load, 2, 0)), ""},
		{"load no memory", fn(nil, vt(I32), i32c(0), memarg(wasm.OpI32Load, 2, 0)), "unknown memory 0"},
		{"load over-aligned", addFunc(mem(false, false), nil, vt(I32), nil, i32c(0), memarg(wasm.OpI32Load, 3, 0)), "alignment must not be larger than natural"},
		{"load under-aligned", addFunc(mem(false, false), nil, vt(I32), nil, i32c(0), memarg(wasm.OpI32Load, 0, 0)), ""},
		{"memory64 address", addFunc(mem(true, false), nil, vt(I32), nil, i64c(0), memarg(wasm.OpI32Load, 2, 1<<40)), ""},
		{"memory64 wants i64", addFunc(mem(true, false), nil, vt(I32), nil, i32c(0), memarg(wasm.OpI32Load, 2, 0)), "type mismatch"},
		{"offset too big for i32", addFunc(mem(false, false), nil, vt(I32), nil, i32c(0), memarg(wasm.OpI32Load, 2, 1<<32)), "offset out of range"},
		{"memory.size 64", addFunc(mem(true, false), nil, vt(I64), nil, idx(wasm.OpMemorySize, 0)), ""},
		{"memory.grow 32", addFunc(mem(false, false), nil, vt(I32), nil, i32c(1), idx(wasm.OpMemoryGrow, 0)), ""},
		{"atomic natural", addFunc(mem(false, true), nil, vt(I32), nil, i32c(0), memarg(wasm.OpI32AtomicLoad, 2, 0)), ""},
		{"atomic under-aligned", addFunc(mem(false, true), nil, vt(I32), nil, i32c(0), memarg(wasm.OpI32AtomicLoad, 1, 0)), "atomic alignment must be natural"},
		{"memory.copy mixed", &wasm.Module{Memories: append(mem(true, false).Memories, mem(false, false).Memories...)}, ""},
		{"lane ok", addFunc(&wasm.Module{}, nil, vt(I32), nil, v128, lane(wasm.OpI8x16ExtractLaneS, 15)), ""},
		{"lane out of range", addFunc(&wasm.Module{}, nil, vt(I32), nil, v128, lane(wasm.OpI8x16ExtractLaneS, 16)), "invalid lane index"},
		{"shuffle lane", addFunc(&wasm.Module{}, nil, vt(wasm.V128), nil, v128, v128,
			wasm.Instr{Op: wasm.OpI8x16Shuffle, Ext: &wasm.InstrExt{Bytes: [16]byte{31, 32}}}), "invalid lane index"},
		{"shuffle no ext", addFunc(&wasm.Module{}, nil, vt(wasm.V128), nil, v128, v128, wasm.Instr{Op: wasm.OpI8x16Shuffle}), "invalid lane index"},
		{"v128.const no ext", addFunc(&wasm.Module{}, nil, vt(wasm.V128), nil, wasm.Instr{Op: wasm.OpV128Const}), "type mismatch"},
		{"load lane", addFunc(mem(false, false), nil, vt(wasm.V128), nil, i32c(0), v128,
			wasm.Instr{Op: wasm.OpV128Load8Lane, Lane: 16}), "invalid lane index"},
	})
	m := mem(true, false)
	m.Memories = append(m.Memories, mem(false, false).Memories...)
	expect(t, addFunc(m, nil, nil, nil, i64c(0), i32c(0), i32c(0), idx2(wasm.OpMemoryCopy, 0, 1)), "")
	expect(t, addFunc(mem(true, false), nil, nil, nil, i64c(0), i64c(0), i64c(0), idx2(wasm.OpMemoryCopy, 0, 0)), "")
}

func TestDataCount(t *testing.T) {
	m := &wasm.Module{Memories: []wasm.Memory{{Type: wasm.MemoryType{Limits: wasm.Limits{Min: 1}}}},
		Datas: []wasm.DataSegment{{Mode: wasm.SegmentPassive}}}
	addFunc(m, nil, nil, nil, i32c(0), i32c(0), i32c(0), idx2(wasm.OpMemoryInit, 0, 0), idx(wasm.OpDataDrop, 0))
	expect(t, m, "")
	// A binary without the data count section is the decoder's to reject
	// (it is malformed, not invalid), so the validator accepts it.
	m.Binary = []byte{0}
	expect(t, m, "")
	one := uint32(1)
	m.DataCount = &one
	expect(t, m, "")
	m.Funcs[0].Body[3].Index = 1
	expect(t, m, "unknown data segment 1")
}
