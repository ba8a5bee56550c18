package snapshot_test

import (
	"testing"

	"github.com/gcscope/gcscope/heapviz/snapshot"
)

// The file formats store kinds and categories by name: every name must
// parse back, and unknown names and values must be recognizable.
func TestNamesRoundTrip(t *testing.T) {
	for k := snapshot.KindSynthetic; k <= snapshot.KindExn; k++ {
		if got, ok := snapshot.ParseKind(k.String()); !ok || got != k {
			t.Errorf("ParseKind(%q) = %v, %v", k.String(), got, ok)
		}
	}
	for k := snapshot.EdgeField; k <= snapshot.EdgeRoot; k++ {
		if got, ok := snapshot.ParseEdgeKind(k.String()); !ok || got != k {
			t.Errorf("ParseEdgeKind(%q) = %v, %v", k.String(), got, ok)
		}
	}
	for c := range snapshot.NumRootCategories {
		if got, ok := snapshot.ParseRootCategory(c.String()); !ok || got != c {
			t.Errorf("ParseRootCategory(%q) = %v, %v", c.String(), got, ok)
		}
	}
	if _, ok := snapshot.ParseKind("blob"); ok {
		t.Error("ParseKind accepted blob")
	}
	if _, ok := snapshot.ParseEdgeKind("weak"); ok {
		t.Error("ParseEdgeKind accepted weak")
	}
	if _, ok := snapshot.ParseRootCategory("stack"); ok {
		t.Error("ParseRootCategory accepted stack")
	}
	for _, s := range []string{snapshot.Kind(99).String(), snapshot.EdgeKind(99).String(), snapshot.RootCategory(99).String()} {
		if s == "" {
			t.Error("an unknown value has no name")
		}
	}
}

func TestDisplayNames(t *testing.T) {
	cases := []struct {
		t    snapshot.Type
		want string
	}{
		{snapshot.Type{ID: 3, Kind: snapshot.KindStruct, Name: "$node"}, "$node"},
		{snapshot.Type{ID: 3, Kind: snapshot.KindStruct}, "struct#3"},
		{snapshot.Type{ID: 4, Kind: snapshot.KindArray}, "array#4"},
		{snapshot.Type{ID: snapshot.NoType, Kind: snapshot.KindFunc}, "funcref"},
		{snapshot.Type{ID: snapshot.NoType, Kind: snapshot.KindExtern}, "externref"},
		{snapshot.Type{ID: snapshot.NoType, Kind: snapshot.KindExn}, "exnref"},
		{snapshot.Type{ID: snapshot.NoType, Kind: snapshot.KindI31}, "i31"},
	}
	for _, c := range cases {
		if got := c.t.DisplayName(); got != c.want {
			t.Errorf("DisplayName(%+v) = %q, want %q", c.t, got, c.want)
		}
	}
	typ := snapshot.Type{Fields: []string{"a", ""}}
	for i, want := range []string{"a", "1", "2"} {
		if got := typ.FieldName(uint32(i)); got != want {
			t.Errorf("FieldName(%d) = %q, want %q", i, got, want)
		}
	}
}

func TestRootLabels(t *testing.T) {
	cases := []struct {
		r    snapshot.Root
		want string
	}{
		{snapshot.Root{Category: snapshot.RootFrame, Thread: 2, Frame: 1, Func: 5, Slot: 3}, "frame 1 func 5 slot 3 (thread 2)"},
		{snapshot.Root{Category: snapshot.RootFrame, Func: 5, Name: "$f"}, "frame 0 $f slot 0 (thread 0)"},
		{snapshot.Root{Category: snapshot.RootGlobal, Index: 7}, "global 7"},
		{snapshot.Root{Category: snapshot.RootTable, Index: 1, Slot: 9}, "table 1[9]"},
		{snapshot.Root{Category: snapshot.RootElem, Index: 2, Slot: 4, Name: "$e"}, "elem $e[4]"},
		{snapshot.Root{Category: snapshot.RootHandle, Index: 12}, "handle 12"},
		{snapshot.Root{Category: snapshot.RootException, Thread: 1, Index: 0}, "exception 0 (thread 1)"},
		{snapshot.Root{Category: snapshot.RootOther, Index: 3}, "root 3"},
		{snapshot.Root{Category: snapshot.RootOther, Name: "debugger pin"}, "debugger pin"},
	}
	for _, c := range cases {
		if got := c.r.Label(); got != c.want {
			t.Errorf("Label(%+v) = %q, want %q", c.r, got, c.want)
		}
	}
}
