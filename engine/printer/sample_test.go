package printer

import (
	"math"

	"github.com/gcscope/gcscope/engine/wasm"
)

// Hand-built modules for the golden and line-map tests. They are built in
// Go rather than parsed so the printer can be tested on its own.

func ins(op wasm.Opcode) wasm.Instr { return wasm.Instr{Op: op} }

func idx(op wasm.Opcode, i uint32) wasm.Instr { return wasm.Instr{Op: op, Index: i} }

func i32c(v int32) wasm.Instr { return wasm.Instr{Op: wasm.OpI32Const, Value: uint64(uint32(v))} }

func blk(op wasm.Opcode, bt wasm.BlockType) wasm.Instr { return wasm.Instr{Op: op, Block: bt} }

var (
	noBlock  = wasm.BlockType{}
	i32Block = wasm.BlockType{Kind: wasm.BlockValue, Value: wasm.I32}
	end      = ins(wasm.OpEnd)
)

func ref(nullable bool, ti uint32) wasm.ValType { return wasm.RefType(nullable, wasm.HeapType(ti)) }

// gcModule has rec groups, subtypes, structs with named and packed fields,
// arrays, casts and a vtable-style call_ref: the GC side of the printer.
func gcModule() *wasm.Module {
	m := &wasm.Module{
		Types: []wasm.SubType{
			/*0*/ {Final: true, Comp: wasm.CompositeType{Kind: wasm.CompFunc, Params: []wasm.ValType{ref(false, 1)}, Results: []wasm.ValType{wasm.I32}}},
			/*1*/ {Final: false, Comp: wasm.CompositeType{Kind: wasm.CompStruct, Fields: []wasm.FieldType{
				{Storage: wasm.StorageType{Val: ref(false, 2)}},
			}}},
			/*2*/ {Final: true, Comp: wasm.CompositeType{Kind: wasm.CompStruct, Fields: []wasm.FieldType{
				{Storage: wasm.StorageType{Val: ref(false, 0)}},
			}}},
			/*3*/ {Final: true, Supers: []uint32{1}, Comp: wasm.CompositeType{Kind: wasm.CompStruct, Fields: []wasm.FieldType{
				{Storage: wasm.StorageType{Val: ref(false, 2)}},
				{Storage: wasm.StorageType{Val: wasm.I32}, Mutable: true},
				{Storage: wasm.StorageType{Packed: wasm.PackedI8, Val: wasm.I32}},
			}}},
			/*4*/ {Final: true, Comp: wasm.CompositeType{Kind: wasm.CompArray, Fields: []wasm.FieldType{
				{Storage: wasm.StorageType{Packed: wasm.PackedI16, Val: wasm.I32}, Mutable: true},
			}}},
			/*5*/ {Final: true, Comp: wasm.CompositeType{Kind: wasm.CompFunc, Results: []wasm.ValType{wasm.I32}}},
			/*6*/ {Final: true, Comp: wasm.CompositeType{Kind: wasm.CompFunc, Params: []wasm.ValType{wasm.AnyRef}, Results: []wasm.ValType{wasm.I32}}},
		},
		RecGroups: []wasm.RecGroup{{First: 0, Count: 3}, {First: 3, Count: 1}, {First: 4, Count: 1}, {First: 5, Count: 1}, {First: 6, Count: 1}},
		Funcs: []wasm.Func{
			{TypeIndex: 0, Body: []wasm.Instr{ // area: the square's side, squared
				idx(wasm.OpLocalGet, 0),
				{Op: wasm.OpRefCast, Ref: ref(false, 3)},
				{Op: wasm.OpStructGet, Index: 3, Index2: 1},
				idx(wasm.OpLocalGet, 0),
				{Op: wasm.OpRefCast, Ref: ref(false, 3)},
				{Op: wasm.OpStructGet, Index: 3, Index2: 1},
				ins(wasm.OpI32Mul),
				end,
			}},
			{TypeIndex: 5, Locals: []wasm.ValType{ref(true, 1)}, Body: []wasm.Instr{ // main
				{Op: wasm.OpRefFunc, Index: 0},
				idx(wasm.OpStructNew, 2),
				i32c(7),
				i32c(-1),
				idx(wasm.OpStructNew, 3),
				idx(wasm.OpLocalTee, 0),
				ref0(),
				{Op: wasm.OpStructGet, Index: 1, Index2: 0},
				{Op: wasm.OpStructGet, Index: 2, Index2: 0},
				idx(wasm.OpCallRef, 0),
				end,
			}},
			{TypeIndex: 6, Body: []wasm.Instr{ // classify
				blk(wasm.OpBlock, wasm.BlockType{Kind: wasm.BlockValue, Value: wasm.I31Ref}),
				idx(wasm.OpLocalGet, 0),
				{Op: wasm.OpBrOnCast, Index: 0, Ref2: wasm.AnyRef, Ref: wasm.I31Ref},
				{Op: wasm.OpRefTestNull, Ref: wasm.RefType(true, wasm.HeapStruct)},
				ins(wasm.OpReturn),
				end,
				ins(wasm.OpI31GetS),
				i32c(3),
				{Op: wasm.OpArrayNewDefault, Index: 4},
				ins(wasm.OpArrayLen),
				ins(wasm.OpI32Add),
				end,
			}},
		},
		Exports: []wasm.Export{{Name: "main", Kind: wasm.ExternFunc, Index: 1}},
		Names: &wasm.Names{
			Funcs:  wasm.NameMap{0: "area", 1: "main", 2: "classify"},
			Types:  wasm.NameMap{0: "fn", 1: "shape", 2: "vtable", 3: "square", 4: "chars"},
			Fields: wasm.IndirectNameMap{1: {0: "vt"}, 2: {0: "area"}, 3: {0: "vt", 1: "side", 2: "tag"}},
			Locals: wasm.IndirectNameMap{0: {0: "self"}, 1: {0: "s"}, 2: {0: "v"}},
			Labels: wasm.IndirectNameMap{2: {0: "is_i31"}},
		},
	}
	return m
}

func ref0() wasm.Instr { return idx(wasm.OpLocalGet, 0) }

// mvpModule covers the other sections and instruction forms: imports of
// every kind, memories, tables with initialisers, globals, segments,
// control flow, memory arguments, floats and vectors, exceptions.
func mvpModule() *wasm.Module {
	f32 := func(f float32) wasm.Instr {
		return wasm.Instr{Op: wasm.OpF32Const, Value: uint64(math.Float32bits(f))}
	}
	f64bits := func(b uint64) wasm.Instr { return wasm.Instr{Op: wasm.OpF64Const, Value: b} }
	start := uint32(2)
	vec := &wasm.InstrExt{Bytes: [16]byte{1, 0, 0, 0, 2, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0x80}}
	return &wasm.Module{
		Types: []wasm.SubType{
			{Final: true, Comp: wasm.CompositeType{Kind: wasm.CompFunc, Params: []wasm.ValType{wasm.I32}}},
			{Final: true, Comp: wasm.CompositeType{Kind: wasm.CompFunc, Params: []wasm.ValType{wasm.I32, wasm.I64}, Results: []wasm.ValType{wasm.I32}}},
			{Final: true, Comp: wasm.CompositeType{Kind: wasm.CompFunc}},
		},
		Imports: []wasm.Import{
			{Module: "env", Name: "log", Kind: wasm.ExternFunc, TypeIndex: 0},
			{Module: "env", Name: "mem\"ory", Kind: wasm.ExternMemory, Memory: wasm.MemoryType{Limits: wasm.Limits{Min: 1, Max: 2, HasMax: true}, Shared: true}},
			{Module: "env", Name: "g", Kind: wasm.ExternGlobal, Global: wasm.GlobalType{Val: wasm.ExternRef}},
			{Module: "env", Name: "t", Kind: wasm.ExternTable, Table: wasm.TableType{Elem: wasm.FuncRef, Limits: wasm.Limits{Min: 3}}},
			{Module: "env", Name: "oops", Kind: wasm.ExternTag, TypeIndex: 0},
		},
		Memories: []wasm.Memory{{Type: wasm.MemoryType{Limits: wasm.Limits{Min: 1}, Addr64: true}}},
		Tables: []wasm.Table{
			{Type: wasm.TableType{Elem: wasm.RefType(false, wasm.HeapFunc), Limits: wasm.Limits{Min: 1, Max: 1, HasMax: true}, Addr64: true},
				Init: wasm.Expr{idx(wasm.OpRefFunc, 1), end}},
		},
		Tags: []wasm.Tag{{Type: wasm.TagType{TypeIndex: 2}}},
		Globals: []wasm.Global{
			{Type: wasm.GlobalType{Val: wasm.I32, Mutable: true}, Init: wasm.Expr{i32c(-5), end}},
			{Type: wasm.GlobalType{Val: wasm.F64}, Init: wasm.Expr{f64bits(0x7ff8000000000001), end}},
			{Type: wasm.GlobalType{Val: wasm.I32}, Init: wasm.Expr{idx(wasm.OpGlobalGet, 1), i32c(8), ins(wasm.OpI32Add), end}},
			{Type: wasm.GlobalType{Val: wasm.V128}, Init: wasm.Expr{{Op: wasm.OpV128Const, Ext: vec}, end}},
		},
		Exports: []wasm.Export{
			{Name: "run", Kind: wasm.ExternFunc, Index: 1},
			{Name: "mem", Kind: wasm.ExternMemory, Index: 1},
			{Name: "weird name", Kind: wasm.ExternGlobal, Index: 1},
		},
		Start: &start,
		Elems: []wasm.ElemSegment{
			{Mode: wasm.SegmentActive, Table: 0, Offset: wasm.Expr{i32c(0), end}, Type: wasm.FuncRef,
				Init: []wasm.Expr{{idx(wasm.OpRefFunc, 1), end}, {{Op: wasm.OpRefNull, Ref: wasm.FuncRef}, end}}},
			{Mode: wasm.SegmentPassive, Type: wasm.RefType(false, wasm.HeapFunc), Init: []wasm.Expr{{idx(wasm.OpRefFunc, 2), end}}},
			{Mode: wasm.SegmentDeclarative, Type: wasm.FuncRef, Init: []wasm.Expr{{idx(wasm.OpRefFunc, 0), end}}},
			{Mode: wasm.SegmentActive, Table: 1, Offset: wasm.Expr{{Op: wasm.OpI64Const, Value: 0}, end}, Type: wasm.RefType(false, wasm.HeapFunc)},
		},
		Datas: []wasm.DataSegment{
			{Mode: wasm.SegmentActive, Memory: 1, Offset: wasm.Expr{{Op: wasm.OpI64Const, Value: 16}, end}, Init: []byte("hi\x00\"\\\n\xff")},
			{Mode: wasm.SegmentPassive, Init: []byte("passive")},
		},
		Funcs: []wasm.Func{
			{TypeIndex: 1, Locals: []wasm.ValType{wasm.F32, wasm.F64, wasm.V128}, Body: []wasm.Instr{
				blk(wasm.OpBlock, noBlock),
				blk(wasm.OpLoop, noBlock),
				idx(wasm.OpLocalGet, 0),
				{Op: wasm.OpBrTable, Ext: &wasm.InstrExt{Labels: []uint32{0, 1, 2}}},
				end,
				end,
				idx(wasm.OpLocalGet, 0),
				blk(wasm.OpIf, i32Block),
				i32c(1),
				ins(wasm.OpElse),
				i32c(2),
				end,
				ins(wasm.OpDrop),
				{Op: wasm.OpI32Const, Value: 0},
				{Op: wasm.OpI32Load, Index: 1, Align: 2, Value: 4},
				ins(wasm.OpDrop),
				{Op: wasm.OpI64Const, Value: 8},
				{Op: wasm.OpI64Load8U, Align: 0, Value: 0},
				ins(wasm.OpDrop),
				{Op: wasm.OpI32Const, Value: 0},
				{Op: wasm.OpI32Load, Index: 1, Align: 0},
				ins(wasm.OpDrop),
				f32(float32(math.Inf(-1))),
				idx(wasm.OpLocalSet, 2),
				f32(0.1),
				idx(wasm.OpLocalSet, 2),
				f64bits(1 << 63), // -0.0
				idx(wasm.OpLocalSet, 3),
				f64bits(math.Float64bits(1e300)),
				idx(wasm.OpLocalSet, 3),
				{Op: wasm.OpV128Const, Ext: vec},
				{Op: wasm.OpV128Const, Ext: vec},
				{Op: wasm.OpI8x16Shuffle, Ext: &wasm.InstrExt{Bytes: [16]byte{0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 31}}},
				{Op: wasm.OpI32x4ExtractLane, Lane: 3},
				ins(wasm.OpDrop),
				i32c(1),
				i32c(2),
				idx(wasm.OpLocalGet, 0),
				{Op: wasm.OpSelectT, Ext: &wasm.InstrExt{Types: []wasm.ValType{wasm.I32}}},
				ins(wasm.OpDrop),
				blk(wasm.OpTryTable, noBlock),
				{Op: wasm.OpTryTable, Ext: &wasm.InstrExt{Catches: []wasm.Catch{{Kind: wasm.CatchTag, Tag: 0, Label: 0}, {Kind: wasm.CatchAllRef, Label: 1}}}},
				i32c(9),
				idx(wasm.OpThrow, 0),
				end,
				end,
				blk(wasm.OpTry, noBlock),
				idx(wasm.OpCall, 2),
				idx(wasm.OpCatch, 1),
				idx(wasm.OpRethrow, 0),
				ins(wasm.OpCatchAll),
				end,
				blk(wasm.OpTry, noBlock),
				idx(wasm.OpCall, 2),
				idx(wasm.OpDelegate, 0),
				i32c(0),
				{Op: wasm.OpI32Const, Value: 0},
				{Op: wasm.OpI32Const, Value: 4},
				{Op: wasm.OpMemoryInit, Index: 1, Index2: 1},
				{Op: wasm.OpI32Const, Value: 0},
				{Op: wasm.OpI32Const, Value: 0},
				{Op: wasm.OpI32Const, Value: 1},
				{Op: wasm.OpTableCopy, Index: 1, Index2: 0},
				{Op: wasm.OpCallIndirect, Index: 1, Index2: 1},
				end,
			}},
			{TypeIndex: 2, Body: []wasm.Instr{end}},
		},
		Names: &wasm.Names{Funcs: wasm.NameMap{0: "log", 2: "start"}, Locals: wasm.IndirectNameMap{1: {0: "x", 3: "d"}},
			Globals: wasm.NameMap{1: "nan payload"}},
		Customs: []wasm.Custom{{Name: "producers", Data: []byte{1, 2, 3}, After: wasm.SectionData}},
	}
}
