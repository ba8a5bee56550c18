package types

import (
	"strings"
	"sync"
	"testing"

	"github.com/gcscope/gcscope/engine/wasm"
)

func ref(nullable bool, h wasm.HeapType) wasm.ValType { return wasm.RefType(nullable, h) }

func structOf(final bool, supers []uint32, fields ...wasm.ValType) wasm.SubType {
	st := wasm.SubType{Final: final, Supers: supers, Comp: wasm.CompositeType{Kind: wasm.CompStruct}}
	for _, f := range fields {
		st.Comp.Fields = append(st.Comp.Fields, wasm.FieldType{Storage: wasm.StorageType{Val: f}})
	}
	return st
}

func funcOf(params, results []wasm.ValType) wasm.SubType {
	return wasm.SubType{Final: true, Comp: wasm.CompositeType{Kind: wasm.CompFunc, Params: params, Results: results}}
}

// module builds a module from rec groups.
func module(groups ...[]wasm.SubType) *wasm.Module {
	m := &wasm.Module{}
	for _, g := range groups {
		m.RecGroups = append(m.RecGroups, wasm.RecGroup{First: uint32(len(m.Types)), Count: uint32(len(g))})
		m.Types = append(m.Types, g...)
	}
	return m
}

func mustIntern(t *testing.T, r *Registry, m *wasm.Module) []TypeID {
	t.Helper()
	ids, err := r.Intern(m)
	if err != nil {
		t.Fatalf("Intern: %v", err)
	}
	return ids
}

func TestEqualGroupsShareIDs(t *testing.T) {
	r := NewRegistry()
	// A recursive pair: a list node pointing at a box that points back.
	pair := func(base wasm.HeapType) []wasm.SubType {
		return []wasm.SubType{
			structOf(true, nil, wasm.I32, ref(true, base+1)),
			structOf(true, nil, ref(true, base)),
		}
	}
	m1 := module([]wasm.SubType{funcOf(nil, nil)}, pair(1))
	m2 := module(pair(0), []wasm.SubType{funcOf(nil, nil)}, []wasm.SubType{funcOf(nil, nil)})
	ids1 := mustIntern(t, r, m1)
	ids2 := mustIntern(t, r, m2)
	if ids1[1] != ids2[0] || ids1[2] != ids2[1] {
		t.Errorf("equal rec groups got different ids: %v %v", ids1, ids2)
	}
	if ids1[0] != ids2[2] || ids2[2] != ids2[3] {
		t.Errorf("equal function types got different ids: %v %v", ids1, ids2)
	}
	if r.Len() != 3 {
		t.Errorf("registry holds %d types, want 3", r.Len())
	}
	// The canonical composite refers to the partner by canonical id.
	c := r.Comp(ids1[1])
	if c.Fields[1].Storage.Val.Heap != wasm.HeapType(ids1[2]) {
		t.Errorf("field refers to %v, want canonical id %d", c.Fields[1].Storage.Val.Heap, ids1[2])
	}
}

func TestGroupsDifferByPositionAndFinality(t *testing.T) {
	r := NewRegistry()
	alone := module([]wasm.SubType{structOf(true, nil, wasm.I32)})
	inRec := module([]wasm.SubType{structOf(true, nil, wasm.I32), structOf(true, nil, wasm.I64)})
	open := module([]wasm.SubType{structOf(false, nil, wasm.I32)})
	a, b, c := mustIntern(t, r, alone), mustIntern(t, r, inRec), mustIntern(t, r, open)
	if a[0] == b[0] {
		t.Error("a type alone and the same type inside a bigger rec group must differ")
	}
	if a[0] == c[0] {
		t.Error("final and non-final types must differ")
	}
	// A reference inside a group vs. the same shape referring outside.
	self := module([]wasm.SubType{structOf(true, nil, ref(true, 0))})
	outer := module([]wasm.SubType{structOf(true, nil, ref(true, 0))}, []wasm.SubType{structOf(true, nil, ref(true, 0))})
	s, o := mustIntern(t, r, self), mustIntern(t, r, outer)
	if s[0] != o[0] {
		t.Error("self-referential struct should be shared")
	}
	// outer[1] refers to outer[0] from outside its group: the same type
	// when unrolled, but iso-recursively different.
	if o[1] == s[0] {
		t.Error("a struct referring to another group must differ from a self-referential one")
	}
}

func TestSubtypingAndDisplay(t *testing.T) {
	r := NewRegistry()
	m := module(
		[]wasm.SubType{structOf(false, nil)},                            // 0: base
		[]wasm.SubType{structOf(false, []uint32{0}, wasm.I32)},          // 1: mid
		[]wasm.SubType{structOf(true, []uint32{1}, wasm.I32, wasm.F64)}, // 2: leaf
		[]wasm.SubType{structOf(false, []uint32{0}, wasm.I64)},          // 3: sibling
		[]wasm.SubType{funcOf([]wasm.ValType{ref(true, 0)}, nil)},       // 4
		[]wasm.SubType{{Comp: wasm.CompositeType{Kind: wasm.CompArray, // 5
			Fields: []wasm.FieldType{{Storage: wasm.StorageType{Packed: wasm.PackedI8, Val: wasm.I32}}}}}},
	)
	ids := mustIntern(t, r, m)
	if d := r.Depth(ids[2]); d != 2 {
		t.Errorf("depth of leaf = %d, want 2", d)
	}
	disp := r.Display(ids[2])
	if len(disp) != 3 || disp[0] != ids[0] || disp[1] != ids[1] || disp[2] != ids[2] {
		t.Errorf("display = %v", disp)
	}
	cases := []struct {
		a, b int
		want bool
	}{{2, 0, true}, {2, 1, true}, {1, 2, false}, {3, 0, true}, {3, 1, false}, {2, 3, false}, {0, 0, true}}
	for _, c := range cases {
		if got := r.IsSubtype(ids[c.a], ids[c.b]); got != c.want {
			t.Errorf("IsSubtype(%d, %d) = %v, want %v", c.a, c.b, got, c.want)
		}
	}
	if !r.Type(ids[2]).SubtypeOf(r.Type(ids[0])) || r.Type(ids[3]).SubtypeOf(r.Type(ids[1])) {
		t.Error("Type.SubtypeOf disagrees with IsSubtype")
	}
	if s, ok := r.Super(ids[2]); !ok || s != ids[1] {
		t.Errorf("Super(leaf) = %v %v", s, ok)
	}
	if !r.Final(ids[2]) || r.Final(ids[1]) {
		t.Error("finality wrong")
	}
	h := func(i int) wasm.HeapType { return wasm.HeapType(ids[i]) }
	heap := []struct {
		a, b wasm.HeapType
		want bool
	}{
		{h(2), wasm.HeapStruct, true}, {h(2), wasm.HeapEq, true}, {h(2), wasm.HeapAny, true},
		{h(2), wasm.HeapArray, false}, {h(5), wasm.HeapArray, true}, {h(5), wasm.HeapStruct, false},
		{h(4), wasm.HeapFunc, true}, {h(4), wasm.HeapAny, false}, {wasm.HeapNoFunc, h(4), true},
		{wasm.HeapNone, h(2), true}, {wasm.HeapNone, h(4), false}, {wasm.HeapI31, wasm.HeapEq, true},
		{wasm.HeapEq, wasm.HeapI31, false}, {wasm.HeapNoExtern, wasm.HeapExtern, true},
		{wasm.HeapExtern, wasm.HeapAny, false}, {wasm.HeapNoExn, wasm.HeapExn, true},
		{wasm.HeapNone, wasm.HeapNoFunc, false}, {wasm.HeapBot, h(4), true}, {wasm.HeapNone, wasm.HeapAny, true},
		{wasm.HeapStruct, wasm.HeapAny, true}, {wasm.HeapArray, wasm.HeapEq, true}, {wasm.HeapAny, wasm.HeapEq, false},
		{wasm.HeapFunc, wasm.HeapAny, false}, {wasm.HeapExn, wasm.HeapAny, false},
	}
	for _, c := range heap {
		if got := r.HeapSubtype(c.a, c.b); got != c.want {
			t.Errorf("HeapSubtype(%v, %v) = %v, want %v", c.a, c.b, got, c.want)
		}
	}
	if !r.ValSubtype(ref(false, h(2)), ref(true, h(0))) || r.ValSubtype(ref(true, h(2)), ref(false, h(0))) {
		t.Error("nullability in ValSubtype wrong")
	}
	if r.ValSubtype(wasm.I32, wasm.I64) || !r.ValSubtype(wasm.ValType{Kind: wasm.KindBot}, wasm.F32) {
		t.Error("number ValSubtype wrong")
	}
	for _, c := range []struct{ h, top, bottom wasm.HeapType }{
		{h(2), wasm.HeapAny, wasm.HeapNone}, {h(4), wasm.HeapFunc, wasm.HeapNoFunc},
		{wasm.HeapI31, wasm.HeapAny, wasm.HeapNone}, {wasm.HeapNoExtern, wasm.HeapExtern, wasm.HeapNoExtern},
		{wasm.HeapExn, wasm.HeapExn, wasm.HeapNoExn}, {wasm.HeapType(1 << 40), wasm.HeapBot, wasm.HeapBot},
	} {
		if got := r.Top(c.h); got != c.top {
			t.Errorf("Top(%v) = %v, want %v", c.h, got, c.top)
		}
		if got := r.Bottom(c.h); got != c.bottom {
			t.Errorf("Bottom(%v) = %v, want %v", c.h, got, c.bottom)
		}
	}
}

func TestInvalidTypeSections(t *testing.T) {
	cases := []struct {
		name string
		m    *wasm.Module
		want string
	}{
		{"final supertype", module([]wasm.SubType{structOf(true, nil)}, []wasm.SubType{structOf(false, []uint32{0})}), "sub type"},
		{"kind mismatch", module([]wasm.SubType{structOf(false, nil)}, []wasm.SubType{{Supers: []uint32{0}, Comp: wasm.CompositeType{Kind: wasm.CompFunc}}}), "sub type"},
		{"field mismatch", module([]wasm.SubType{structOf(false, nil, wasm.I32)}, []wasm.SubType{structOf(false, []uint32{0}, wasm.I64)}), "sub type"},
		{"fewer fields", module([]wasm.SubType{structOf(false, nil, wasm.I32)}, []wasm.SubType{structOf(false, []uint32{0})}), "sub type"},
		{"forward supertype in group", module([]wasm.SubType{structOf(false, []uint32{1}), structOf(false, nil)}), "sub type"},
		{"supertype in later group", module([]wasm.SubType{structOf(false, []uint32{1})}, []wasm.SubType{structOf(false, nil)}), "unknown type"},
		{"reference to later group", module([]wasm.SubType{structOf(true, nil, ref(true, 1))}, []wasm.SubType{structOf(true, nil)}), "unknown type"},
		{"reference out of range", module([]wasm.SubType{structOf(true, nil, ref(true, 99))}), "unknown type"},
		{"bad abstract heap", module([]wasm.SubType{structOf(true, nil, ref(true, -1))}), "unknown type"},
		{"two supertypes", module([]wasm.SubType{structOf(false, nil)}, []wasm.SubType{structOf(false, []uint32{0, 0})}), "sub type"},
		{"groups do not tile", &wasm.Module{Types: []wasm.SubType{structOf(true, nil)}, RecGroups: []wasm.RecGroup{{First: 1, Count: 1}}}, "unknown type"},
		{"groups too short", &wasm.Module{Types: []wasm.SubType{structOf(true, nil), structOf(true, nil)}, RecGroups: []wasm.RecGroup{{First: 0, Count: 1}}}, "unknown type"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := NewRegistry()
			_, err := r.Intern(c.m)
			if err == nil || !strings.HasPrefix(err.(*wasm.Error).Msg, c.want) {
				t.Fatalf("got %v, want %q", err, c.want)
			}
			if wasm.PhaseOf(err) != wasm.Invalid {
				t.Errorf("phase %v", wasm.PhaseOf(err))
			}
			// The failing group must not stay behind in the registry.
			for id := 0; id < r.Len(); id++ {
				if tt := r.Type(TypeID(id)); tt.HasSuper && !r.IsSubtype(tt.ID, tt.Super) {
					t.Errorf("broken type %d left in the registry", id)
				}
			}
		})
	}
}

func TestValidSubtypes(t *testing.T) {
	r := NewRegistry()
	// Function subtyping: contravariant params, covariant results.
	m := module(
		[]wasm.SubType{structOf(false, nil)},
		[]wasm.SubType{structOf(false, []uint32{0}, wasm.I32)},
		[]wasm.SubType{{Comp: wasm.CompositeType{Kind: wasm.CompFunc, Params: []wasm.ValType{ref(false, 1)}, Results: []wasm.ValType{wasm.AnyRef}}}},
		[]wasm.SubType{{Supers: []uint32{2}, Comp: wasm.CompositeType{Kind: wasm.CompFunc, Params: []wasm.ValType{ref(true, 0)}, Results: []wasm.ValType{ref(false, 1)}}}},
		// A subtype inside a rec group referring to its own group.
		[]wasm.SubType{structOf(false, nil, ref(true, 4)), structOf(false, []uint32{4}, ref(true, 5))},
	)
	ids := mustIntern(t, r, m)
	if !r.IsSubtype(ids[3], ids[2]) || !r.IsSubtype(ids[5], ids[4]) {
		t.Error("declared subtypes not related")
	}
}

func TestConcurrentIntern(t *testing.T) {
	r := NewRegistry()
	var wg sync.WaitGroup
	results := make([][]TypeID, 8)
	for i := range results {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			m := module([]wasm.SubType{structOf(false, nil, wasm.I32, ref(true, 0))},
				[]wasm.SubType{structOf(false, []uint32{0}, wasm.I32, ref(true, 0), wasm.F32)})
			ids, err := r.Intern(m)
			if err != nil {
				t.Error(err)
			}
			results[i] = ids
			for _, id := range ids {
				r.IsSubtype(id, ids[0])
				r.Display(id)
			}
		}(i)
	}
	wg.Wait()
	for _, ids := range results[1:] {
		if ids[0] != results[0][0] || ids[1] != results[0][1] {
			t.Fatalf("concurrent interning disagrees: %v vs %v", ids, results[0])
		}
	}
	if r.Len() != 2 {
		t.Errorf("Len = %d, want 2", r.Len())
	}
}

func TestCanonical(t *testing.T) {
	ids := []TypeID{7, 9}
	if v, ok := Canonical(ids, ref(true, 1)); !ok || v.Heap != 9 {
		t.Errorf("Canonical = %v %v", v, ok)
	}
	if _, ok := Canonical(ids, ref(true, 2)); ok {
		t.Error("out of range accepted")
	}
	if _, ok := Canonical(ids, wasm.ValType{Kind: 99}); ok {
		t.Error("bad kind accepted")
	}
	if v, ok := Canonical(ids, wasm.AnyRef); !ok || v != wasm.AnyRef {
		t.Error("abstract changed")
	}
	if _, ok := CanonicalHeap(ids, wasm.HeapBot); ok {
		t.Error("bot heap accepted in a module")
	}
	r := NewRegistry()
	if r.Type(5) != nil || r.Comp(5) != nil || r.Display(5) != nil || r.IsSubtype(5, 6) {
		t.Error("unknown ids should answer nothing")
	}
}

func TestZeroRegistryAndNil(t *testing.T) {
	var r Registry
	if _, err := r.Intern(nil); err == nil {
		t.Error("nil module accepted")
	}
	ids, err := r.Intern(module([]wasm.SubType{structOf(true, nil, wasm.I32)}))
	if err != nil || len(ids) != 1 || r.Len() != 1 {
		t.Errorf("zero registry: %v %v", ids, err)
	}
}

// A subtype check inside a rec group may depend on subtyping between
// types defined later in the same group.
func TestSupertypeUsesLaterGroupMembers(t *testing.T) {
	r := NewRegistry()
	m := module([]wasm.SubType{
		structOf(false, nil, ref(false, 2)),         // $a: field (ref $c)
		structOf(false, []uint32{0}, ref(false, 3)), // $b sub $a: field (ref $d)
		structOf(false, nil),                        // $c
		structOf(false, []uint32{2}, wasm.I32),      // $d sub $c
	})
	ids := mustIntern(t, r, m)
	if !r.IsSubtype(ids[1], ids[0]) || !r.IsSubtype(ids[3], ids[2]) {
		t.Error("subtypes not recorded")
	}
	bad := module([]wasm.SubType{
		structOf(false, nil, ref(false, 3)),         // $a: field (ref $d)
		structOf(false, []uint32{0}, ref(false, 2)), // $b sub $a: field (ref $c), but $c is not below $d
		structOf(false, nil),
		structOf(false, []uint32{2}, wasm.I32),
	})
	if _, err := NewRegistry().Intern(bad); err == nil {
		t.Error("field of a supertype of the declared field type accepted")
	}
}
