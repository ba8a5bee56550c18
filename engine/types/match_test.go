package types

import (
	"testing"

	"github.com/gcscope/gcscope/engine/wasm"
)

func TestMatch(t *testing.T) {
	lim := func(min, max uint64, hasMax bool) wasm.Limits { return wasm.Limits{Min: min, Max: max, HasMax: hasMax} }
	limits := []struct {
		have, want wasm.Limits
		ok         bool
	}{
		{lim(2, 0, false), lim(1, 0, false), true},
		{lim(1, 0, false), lim(2, 0, false), false},
		{lim(1, 0, false), lim(1, 5, true), false},
		{lim(1, 4, true), lim(1, 5, true), true},
		{lim(1, 6, true), lim(1, 5, true), false},
	}
	for _, c := range limits {
		if MatchLimits(c.have, c.want) != c.ok {
			t.Errorf("MatchLimits(%+v, %+v) != %v", c.have, c.want, c.ok)
		}
	}
	r := NewRegistry()
	m := module([]wasm.SubType{{Comp: wasm.CompositeType{Kind: wasm.CompFunc}}},
		[]wasm.SubType{{Final: true, Supers: []uint32{0}, Comp: wasm.CompositeType{Kind: wasm.CompFunc}}})
	ids := mustIntern(t, r, m)
	if !r.MatchFunc(ids[1], ids[0]) || r.MatchFunc(ids[0], ids[1]) {
		t.Error("MatchFunc must follow declared subtyping")
	}
	if !MatchTag(ids[0], ids[0]) || MatchTag(ids[1], ids[0]) {
		t.Error("MatchTag must need equal types")
	}
	nonNull := wasm.RefType(false, wasm.HeapFunc)
	if !r.MatchGlobal(wasm.GlobalType{Val: nonNull}, wasm.GlobalType{Val: wasm.FuncRef}) {
		t.Error("immutable globals are covariant")
	}
	if r.MatchGlobal(wasm.GlobalType{Val: nonNull, Mutable: true}, wasm.GlobalType{Val: wasm.FuncRef, Mutable: true}) {
		t.Error("mutable globals are invariant")
	}
	if r.MatchGlobal(wasm.GlobalType{Val: wasm.I32, Mutable: true}, wasm.GlobalType{Val: wasm.I32}) {
		t.Error("mutability must agree")
	}
	tt := wasm.TableType{Elem: wasm.FuncRef, Limits: lim(1, 0, false)}
	if !MatchTable(tt, tt) || MatchTable(tt, wasm.TableType{Elem: wasm.ExternRef}) {
		t.Error("MatchTable")
	}
	mt := wasm.MemoryType{Limits: lim(1, 2, true), Shared: true}
	if !MatchMemory(mt, mt) || MatchMemory(mt, wasm.MemoryType{Limits: lim(1, 2, true)}) {
		t.Error("MatchMemory")
	}
}
