package runtime_test

import (
	"errors"
	"testing"

	"github.com/gcscope/gcscope/engine/interp"
	"github.com/gcscope/gcscope/engine/runtime"
	"github.com/gcscope/gcscope/engine/wasm"
)

func newStore(t *testing.T) *runtime.Store {
	t.Helper()
	s, err := runtime.NewStore(runtime.Config{Engine: interp.New()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func i32c(v int32) wasm.Instr { return wasm.Instr{Op: wasm.OpI32Const, Value: uint64(uint32(v))} }

var end = wasm.Instr{Op: wasm.OpEnd}

// A module built by hand: a struct type, a global initialized by an
// extended constant expression, another by struct.new, an exported
// function reading the first, and an exported mutable global.
func handModule() *wasm.Module {
	st := wasm.SubType{Final: true, Comp: wasm.CompositeType{Kind: wasm.CompStruct,
		Fields: []wasm.FieldType{{Storage: wasm.StorageType{Val: wasm.I32}}}}}
	ft := wasm.SubType{Final: true, Comp: wasm.CompositeType{Kind: wasm.CompFunc, Results: []wasm.ValType{wasm.I32}}}
	return &wasm.Module{
		Types:     []wasm.SubType{st, ft},
		RecGroups: []wasm.RecGroup{{First: 0, Count: 1}, {First: 1, Count: 1}},
		Globals: []wasm.Global{
			{Type: wasm.GlobalType{Val: wasm.I32}, Init: wasm.Expr{i32c(40), i32c(2), {Op: wasm.OpI32Add}, end}},
			{Type: wasm.GlobalType{Val: wasm.RefType(false, 0)}, Init: wasm.Expr{i32c(7), {Op: wasm.OpStructNew, Index: 0}, end}},
			{Type: wasm.GlobalType{Val: wasm.I64, Mutable: true}, Init: wasm.Expr{{Op: wasm.OpI64Const, Value: 5}, end}},
		},
		Funcs: []wasm.Func{{TypeIndex: 1, Body: []wasm.Instr{
			{Op: wasm.OpGlobalGet, Index: 0, Offset: 10},
			{Op: wasm.OpGlobalGet, Index: 1, Offset: 12},
			{Op: wasm.OpStructGet, Index: 0, Index2: 0, Offset: 14},
			{Op: wasm.OpI32Add, Offset: 18},
			{Op: wasm.OpEnd, Offset: 19},
		}}},
		Exports: []wasm.Export{
			{Name: "f", Kind: wasm.ExternFunc, Index: 0},
			{Name: "g", Kind: wasm.ExternGlobal, Index: 2},
			{Name: "s", Kind: wasm.ExternGlobal, Index: 1},
		},
	}
}

func TestHandBuiltModule(t *testing.T) {
	s := newStore(t)
	inst, err := s.Instantiate(handModule(), nil)
	if err != nil {
		t.Fatal(err)
	}
	f, ok := inst.Export("f").(*runtime.Func)
	if !ok {
		t.Fatal("no func export")
	}
	res, err := f.Call(nil)
	if err != nil || len(res) != 1 || res[0].Bits != 49 {
		t.Fatalf("f() = %v, %v", res, err)
	}
	g := inst.Export("g").(*runtime.Global)
	if err := g.Set(runtime.I64(-3)); err != nil || int64(g.Get().Bits) != -3 {
		t.Errorf("global set/get: %v %v", g.Get(), err)
	}
	if err := inst.Export("s").(*runtime.Global).Set(runtime.I32(1)); err == nil {
		t.Error("immutable global accepted a Set")
	}
	if info := s.Describe(inst.Export("s").(*runtime.Global).Get()); info.Kind != runtime.RefStruct {
		t.Errorf("struct global describes as %+v", info)
	}
	if info := s.Describe(f.Ref()); info.Kind != runtime.RefFunc || info.Func != f {
		t.Errorf("funcref describes as %+v", info)
	}
}

func TestLinkingSharesState(t *testing.T) {
	s := newStore(t)
	a, err := s.Instantiate(handModule(), nil)
	if err != nil {
		t.Fatal(err)
	}
	s.Register("a", a)
	m := &wasm.Module{
		Types:     []wasm.SubType{{Final: true, Comp: wasm.CompositeType{Kind: wasm.CompFunc, Results: []wasm.ValType{wasm.I32}}}},
		RecGroups: []wasm.RecGroup{{First: 0, Count: 1}},
		Imports: []wasm.Import{
			{Module: "a", Name: "f", Kind: wasm.ExternFunc, TypeIndex: 0},
			{Module: "a", Name: "g", Kind: wasm.ExternGlobal, Global: wasm.GlobalType{Val: wasm.I64, Mutable: true}},
		},
		Exports: []wasm.Export{{Name: "f2", Kind: wasm.ExternFunc, Index: 0}, {Name: "g2", Kind: wasm.ExternGlobal, Index: 0}},
	}
	b, err := s.Instantiate(m, nil)
	if err != nil {
		t.Fatal(err)
	}
	if b.Export("f2") != a.Export("f") || b.Export("g2") != a.Export("g") {
		t.Error("imports are not the exporting instance's objects")
	}
	// Immutable import of a mutable global must not link.
	m.Imports[1].Global.Mutable = false
	_, err = s.Instantiate(m, nil)
	var le *runtime.LinkError
	if !errors.As(err, &le) || le.Msg != "incompatible import type" {
		t.Errorf("got %v", err)
	}
	m.Imports[0].Module = "b"
	if _, err = s.Instantiate(m, nil); !errors.As(err, &le) || le.Msg != "unknown import" {
		t.Errorf("got %v", err)
	}
}

func TestHostRefs(t *testing.T) {
	s := newStore(t)
	v, err := s.HostRef(17)
	if err != nil {
		t.Fatal(err)
	}
	w, _ := s.HostRef(17)
	if v.Bits != w.Bits {
		t.Error("same host handle gave two references")
	}
	if info := s.Describe(v); info.Kind != runtime.RefHost || info.Host != 17 {
		t.Errorf("host ref describes as %+v", info)
	}
	if info := s.Describe(runtime.I31(-4)); info.Kind != runtime.RefI31 || info.I31 != -4 {
		t.Errorf("i31 describes as %+v", info)
	}
	if err := s.Heap.Collect(); err != nil {
		t.Fatal(err)
	}
	if info := s.Describe(v); info.Kind != runtime.RefHost {
		t.Error("host reference collected while the store holds it")
	}
}

func TestCallChecksArguments(t *testing.T) {
	s := newStore(t)
	ft := wasm.CompositeType{Kind: wasm.CompFunc, Params: []wasm.ValType{wasm.ExternRef, wasm.RefType(false, wasm.HeapAny)}}
	m := &wasm.Module{
		Types:     []wasm.SubType{{Final: true, Comp: ft}},
		RecGroups: []wasm.RecGroup{{First: 0, Count: 1}},
		Funcs:     []wasm.Func{{TypeIndex: 0, Body: []wasm.Instr{end}}},
		Exports:   []wasm.Export{{Name: "f", Kind: wasm.ExternFunc, Index: 0}},
	}
	inst, err := s.Instantiate(m, nil)
	if err != nil {
		t.Fatal(err)
	}
	f := inst.ExportedFunc("f")
	host, _ := s.HostRef(1)
	anyHost := host
	anyHost.Type = wasm.RefType(false, wasm.HeapAny)
	if _, err := f.Call([]runtime.Value{host, anyHost}); err != nil {
		t.Errorf("good arguments rejected: %v", err)
	}
	bad := [][]runtime.Value{
		{host, runtime.Null(wasm.HeapAny)}, // null for a non-nullable parameter
		{f.Ref(), anyHost},                 // a funcref is no externref
		{runtime.I32(1), anyHost},          // a number is no reference
		{host},                             // too few
	}
	for i, args := range bad {
		var tr *runtime.Trap
		if _, err := f.Call(args); !errors.As(err, &tr) {
			t.Errorf("case %d: got %v, want a type mismatch", i, err)
		}
	}
}

func TestTableAPI(t *testing.T) {
	s := newStore(t)
	host := s.NewHostInstance("h")
	tb := host.DefineTable("t", wasm.TableType{Elem: wasm.ExternRef, Limits: wasm.Limits{Min: 2}})
	v, _ := s.HostRef(5)
	if err := tb.Set(1, v); err != nil {
		t.Fatal(err)
	}
	got, err := tb.Get(1)
	if err != nil || s.Describe(got).Host != 5 {
		t.Errorf("Get(1) = %v, %v", got, err)
	}
	if _, err := tb.Get(2); err == nil {
		t.Error("Get past the end succeeded")
	}
	if err := tb.Set(0, runtime.I32(1)); err == nil {
		t.Error("Set of a number succeeded")
	}
}

func TestMisuse(t *testing.T) {
	var nilFunc *runtime.Func
	if _, err := nilFunc.Call(nil); err == nil {
		t.Error("nil function call succeeded")
	}
	s, err := runtime.NewStore(runtime.Config{Engine: interp.New()})
	if err != nil {
		t.Fatal(err)
	}
	inst, err := s.Instantiate(handModule(), nil)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	s.Close()
	if _, err := inst.ExportedFunc("f").Call(nil); err == nil {
		t.Error("call on a closed store succeeded")
	}
	if _, err := s.Instantiate(handModule(), nil); err == nil {
		t.Error("instantiate on a closed store succeeded")
	}
	if _, err := s.Instantiate(nil, nil); err == nil {
		t.Error("nil module accepted")
	}
}
