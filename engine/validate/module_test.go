package validate

import (
	"reflect"
	"testing"

	"github.com/gcscope/gcscope/engine/types"
	"github.com/gcscope/gcscope/engine/wasm"
)

func TestModuleLevel(t *testing.T) {
	I32 := wasm.I32
	lim := func(min, max uint64, hasMax bool) wasm.Limits { return wasm.Limits{Min: min, Max: max, HasMax: hasMax} }
	memMod := func(mt wasm.MemoryType) *wasm.Module { return &wasm.Module{Memories: []wasm.Memory{{Type: mt}}} }
	tabMod := func(tt wasm.TableType, init wasm.Expr) *wasm.Module {
		return &wasm.Module{Tables: []wasm.Table{{Type: tt, Init: init}}}
	}
	global := func(t wasm.ValType, mut bool, init ...wasm.Instr) wasm.Global {
		return wasm.Global{Type: wasm.GlobalType{Val: t, Mutable: mut}, Init: append(wasm.Expr(init), end())}
	}
	imported := func(mut bool) wasm.Import {
		return wasm.Import{Module: "m", Name: "g", Kind: wasm.ExternGlobal, Global: wasm.GlobalType{Val: I32, Mutable: mut}}
	}
	start := func(params []wasm.ValType) *wasm.Module {
		m := addFunc(&wasm.Module{}, params, nil, nil)
		zero := uint32(0)
		m.Start = &zero
		return m
	}
	runCases(t, []vcase{
		{"memory max pages", memMod(wasm.MemoryType{Limits: lim(65536, 65536, true)}), ""},
		{"memory too big", memMod(wasm.MemoryType{Limits: lim(65537, 0, false)}), "memory size must be at most 65536 pages (4GiB)"},
		{"memory64 big", memMod(wasm.MemoryType{Limits: lim(1<<40, 0, false), Addr64: true}), ""},
		{"memory64 too big", memMod(wasm.MemoryType{Limits: lim(0, 1<<48+1, true), Addr64: true}), "memory size"},
		{"memory min>max", memMod(wasm.MemoryType{Limits: lim(2, 1, true)}), "size minimum must not be greater than maximum"},
		{"shared needs max", memMod(wasm.MemoryType{Limits: lim(1, 0, false), Shared: true}), "shared memory must have maximum"},
		{"two memories", &wasm.Module{Memories: []wasm.Memory{{}, {}}}, ""},
		{"table min>max", tabMod(wasm.TableType{Elem: wasm.FuncRef, Limits: lim(2, 1, true)}, nil), "size minimum must not be greater than maximum"},
		{"table too big", tabMod(wasm.TableType{Elem: wasm.FuncRef, Limits: lim(1<<32, 0, false)}, nil), "table size"},
		{"table64 big", tabMod(wasm.TableType{Elem: wasm.FuncRef, Limits: lim(1<<32, 0, false), Addr64: true}, nil), ""},
		{"non-null table needs init", tabMod(wasm.TableType{Elem: wasm.RefType(false, wasm.HeapFunc)}, nil), "type mismatch"},
		{"table init wrong type", tabMod(wasm.TableType{Elem: wasm.FuncRef}, wasm.Expr{refNull(wasm.HeapExtern), end()}), "type mismatch"},
		{"table of numbers", tabMod(wasm.TableType{Elem: I32}, nil), "type mismatch"},
		{"global const", &wasm.Module{Globals: []wasm.Global{global(I32, false, i32c(1), i32c(2), ins(wasm.OpI32Add))}}, ""},
		{"global not const", &wasm.Module{Globals: []wasm.Global{global(I32, false, i32c(1), ins(wasm.OpI32Eqz))}}, "constant expression required"},
		{"global wrong type", &wasm.Module{Globals: []wasm.Global{global(I32, false, i64c(1))}}, "type mismatch"},
		{"global two values", &wasm.Module{Globals: []wasm.Global{global(I32, false, i32c(1), i32c(1))}}, "type mismatch"},
		{"global empty init", &wasm.Module{Globals: []wasm.Global{{Type: wasm.GlobalType{Val: I32}}}}, "unexpected end"},
		{"global uses earlier", &wasm.Module{Globals: []wasm.Global{global(I32, false, i32c(1)), global(I32, false, idx(wasm.OpGlobalGet, 0))}}, ""},
		{"global uses later", &wasm.Module{Globals: []wasm.Global{global(I32, false, idx(wasm.OpGlobalGet, 1)), global(I32, false, i32c(1))}}, "unknown global 1"},
		{"global uses mutable import", &wasm.Module{Imports: []wasm.Import{imported(true)}, Globals: []wasm.Global{global(I32, false, idx(wasm.OpGlobalGet, 0))}}, "constant expression required"},
		{"global uses import", &wasm.Module{Imports: []wasm.Import{imported(false)}, Globals: []wasm.Global{global(I32, false, idx(wasm.OpGlobalGet, 0))}}, ""},
		{"table init sees only imports", &wasm.Module{Globals: []wasm.Global{global(wasm.FuncRef, false, refNull(wasm.HeapFunc))},
			Tables: []wasm.Table{{Type: wasm.TableType{Elem: wasm.FuncRef}, Init: wasm.Expr{idx(wasm.OpGlobalGet, 0), end()}}}}, "unknown global 0"},
		{"data offset global", &wasm.Module{Memories: []wasm.Memory{{}}, Globals: []wasm.Global{global(I32, false, i32c(1))},
			Datas: []wasm.DataSegment{{Offset: wasm.Expr{idx(wasm.OpGlobalGet, 0), end()}}}}, ""},
		{"data no memory", &wasm.Module{Datas: []wasm.DataSegment{{Offset: wasm.Expr{i32c(0), end()}}}}, "unknown memory 0"},
		{"data memory64 offset", &wasm.Module{Memories: []wasm.Memory{{Type: wasm.MemoryType{Addr64: true}}},
			Datas: []wasm.DataSegment{{Offset: wasm.Expr{i32c(0), end()}}}}, "type mismatch"},
		{"elem unknown table", &wasm.Module{Elems: []wasm.ElemSegment{{Type: wasm.FuncRef, Offset: wasm.Expr{i32c(0), end()}}}}, "unknown table 0"},
		{"elem type vs table", &wasm.Module{Tables: []wasm.Table{{Type: wasm.TableType{Elem: wasm.FuncRef}}},
			Elems: []wasm.ElemSegment{{Type: wasm.ExternRef, Offset: wasm.Expr{i32c(0), end()}}}}, "type mismatch"},
		{"elem item type", &wasm.Module{Elems: []wasm.ElemSegment{{Mode: wasm.SegmentPassive, Type: wasm.FuncRef, Init: []wasm.Expr{{refNull(wasm.HeapExtern), end()}}}}}, "type mismatch"},
		{"duplicate export", &wasm.Module{Memories: []wasm.Memory{{}}, Exports: []wasm.Export{{Name: "a", Kind: wasm.ExternMemory}, {Name: "a", Kind: wasm.ExternMemory}}}, "duplicate export name"},
		{"export unknown", &wasm.Module{Exports: []wasm.Export{{Name: "a", Kind: wasm.ExternGlobal, Index: 2}}}, "unknown global 2"},
		{"start ok", start(nil), ""},
		{"start with params", start(vt(I32)), "start function"},
		{"start unknown", &wasm.Module{Start: new(uint32)}, "unknown function 0"},
		{"tag with results", &wasm.Module{Types: []wasm.SubType{fnType(nil, vt(I32))}, Tags: []wasm.Tag{{}}}, "non-empty tag result type"},
		{"tag of struct", &wasm.Module{Types: []wasm.SubType{structType()}, Tags: []wasm.Tag{{}}}, "type mismatch"},
		{"import func bad type", &wasm.Module{Imports: []wasm.Import{{Kind: wasm.ExternFunc, TypeIndex: 3}}}, "unknown type 3"},
		{"import bad kind", &wasm.Module{Imports: []wasm.Import{{Kind: 9}}}, "unknown import kind"},
		{"func of struct type", &wasm.Module{Types: []wasm.SubType{structType()}, Funcs: []wasm.Func{{Body: []wasm.Instr{end()}}}}, "type mismatch"},
		{"sub type", &wasm.Module{Types: []wasm.SubType{structType(), {Supers: []uint32{0}, Comp: wasm.CompositeType{Kind: wasm.CompStruct}}}}, "sub type"},
	})
}

func TestErrorPlace(t *testing.T) {
	m := withTypes(fnType(nil, nil))
	m.Funcs = append(m.Funcs, wasm.Func{Body: []wasm.Instr{end()}})
	m.Funcs = append(m.Funcs, wasm.Func{Body: []wasm.Instr{
		{Op: wasm.OpNop, Offset: 0x30, Pos: wasm.Pos{Line: 3, Col: 4}},
		{Op: wasm.OpI32Eqz, Offset: 0x31, Pos: wasm.Pos{Line: 3, Col: 9}},
		end()}})
	m.Imports = []wasm.Import{{Kind: wasm.ExternFunc}}
	err := Module(m)
	e, ok := err.(*wasm.Error)
	if !ok {
		t.Fatalf("got %v", err)
	}
	// Function 2 in the function index space: one import, then two bodies.
	if e.Func != 2 || e.Offset != 0x31 || e.Pos != (wasm.Pos{Line: 3, Col: 9}) {
		t.Errorf("error placed at func %d offset %#x pos %v: %v", e.Func, e.Offset, e.Pos, e)
	}
	if got := e.Error(); got != "3:9, func 2, offset 0x31: type mismatch: instruction requires [i32] but stack has [] (i32.eqz)" {
		t.Errorf("Error() = %q", got)
	}
}

func TestAnalyzeInfo(t *testing.T) {
	I32 := wasm.I32
	m := fn(vt(I32), vt(I32),
		block(wasm.OpBlock, I32),  // 0
		i32c(1), i32c(2), i32c(3), // 1..3: three on the stack
		ins(wasm.OpI32Add), ins(wasm.OpI32Add), // 4,5
		block(wasm.OpLoop), end(), // 6,7
		end(), // 8
	)
	reg := types.NewRegistry()
	info, err := Analyze(m, Options{Registry: reg})
	if err != nil {
		t.Fatal(err)
	}
	if info.Registry != reg || len(info.TypeIDs) != 1 {
		t.Errorf("registry/ids not reported")
	}
	fi := info.Funcs[0]
	if fi.MaxStack != 3 {
		t.Errorf("MaxStack = %d, want 3", fi.MaxStack)
	}
	want := []BlockInfo{
		{Start: 0, Else: -1, End: 8, Results: 1, LabelArity: 1},
		{Start: 6, Else: -1, End: 7},
	}
	if !reflect.DeepEqual(fi.Blocks, want) {
		t.Errorf("Blocks = %+v", fi.Blocks)
	}
	if len(fi.Locals) != 1 || fi.Locals[0] != I32 {
		t.Errorf("Locals = %v", fi.Locals)
	}
	// The shared registry gives the same ids when the module is validated
	// again.
	info2, err := Analyze(m, Options{Registry: reg})
	if err != nil || info2.TypeIDs[0] != info.TypeIDs[0] || reg.Len() != 1 {
		t.Errorf("second analysis: %v %v", err, info2)
	}
	if Module(nil) == nil {
		t.Error("nil module accepted")
	}
}

func TestOperands(t *testing.T) {
	I32 := wasm.I32
	m := withTypes(structType(field(I32, false)))
	addFunc(m, vt(wasm.RefType(false, 0)), vt(I32), nil,
		idx(wasm.OpLocalGet, 0),      // 0: []
		idx2(wasm.OpStructGet, 0, 0), // 1: [(ref 0)]
		ins(wasm.OpReturn),           // 2: [i32]
		ins(wasm.OpI32Add),           // 3: dead code
	)
	info, err := Analyze(m, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	err = info.Operands(0, func(pc int, ops []wasm.ValType, unreachable bool) {
		got = append(got, wasm.TypeString(ops))
		if unreachable != (pc >= 3) {
			t.Errorf("pc %d: unreachable = %v", pc, unreachable)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	ref := wasm.RefType(false, wasm.HeapType(info.TypeIDs[0])).String()
	want := []string{"[]", "[" + ref + "]", "[i32]", "[]", "[i32]"}
	if len(got) != len(want) {
		t.Fatalf("visited %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("pc %d: %s, want %s", i, got[i], want[i])
		}
	}
	if info.Operands(5, nil) == nil || (*Info)(nil).Operands(0, nil) == nil {
		t.Error("bad function index accepted")
	}
}

func TestDataCountMismatch(t *testing.T) {
	two := uint32(2)
	m := &wasm.Module{DataCount: &two, Datas: []wasm.DataSegment{{Mode: wasm.SegmentPassive}}}
	err := Module(m)
	if wasm.PhaseOf(err) != wasm.Malformed {
		t.Fatalf("got %v", err)
	}
}
