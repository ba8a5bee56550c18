package snapshot_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/gcscope/gcscope/heapviz/snapshot"
)

// small builds a snapshot whose objects are added out of order, with
// roots in two categories and a cycle.
func small(t *testing.T) *snapshot.Snapshot {
	t.Helper()
	b := snapshot.NewBuilder(0, 0)
	pair := b.AddType(snapshot.Type{ID: 4, Kind: snapshot.KindStruct, Name: "$pair", Fields: []string{"car"}})
	vec := b.AddType(snapshot.Type{ID: 5, Kind: snapshot.KindArray, Name: "$vec"})
	if again := b.AddType(snapshot.Type{ID: 4, Kind: snapshot.KindStruct, Name: "other"}); again != pair {
		t.Fatalf("AddType of a known (id, kind) = %d, want %d", again, pair)
	}
	b.AddNode(snapshot.Node{ID: 0x30, Type: vec, Size: 24, Len: 2})
	b.AddNode(snapshot.Node{ID: 0x10, Type: pair, Size: 16})
	b.AddNode(snapshot.Node{ID: 0x20, Type: pair, Size: 16})
	b.AddEdge(0x10, 0x20, snapshot.EdgeField, 0)
	b.AddEdge(0x20, 0x10, snapshot.EdgeField, 1)
	b.AddEdge(0x30, 0x20, snapshot.EdgeElement, 1)
	b.AddEdge(0x30, 0x10, snapshot.EdgeElement, 0)
	b.AddRoot(snapshot.Root{Category: snapshot.RootGlobal, Index: 3, Name: "$g", Target: 0x30})
	b.AddRoot(snapshot.Root{Category: snapshot.RootFrame, Thread: 1, Frame: 0, Func: 7, Slot: 2, Target: 0x10})
	s, err := b.Finish()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestBuilderLaysOutNodesAndEdges(t *testing.T) {
	s := small(t)
	if s.NumObjects() != 3 || s.NumNodes() != snapshot.FirstObject+3 {
		t.Fatalf("%d objects, %d nodes", s.NumObjects(), s.NumNodes())
	}
	var ids []uint32
	for n := snapshot.FirstObject; n < s.NumNodes(); n++ {
		ids = append(ids, s.ID(n))
	}
	if !slices.Equal(ids, []uint32{0x10, 0x20, 0x30}) {
		t.Fatalf("object ids in node order = %#x, want sorted", ids)
	}
	vec, _ := s.Find(0x30)
	if s.Kind(vec) != snapshot.KindArray || s.Len(vec) != 2 || s.Size(vec) != 24 || s.Type(vec).Name != "$vec" {
		t.Errorf("node %d: kind %v len %d size %d type %+v", vec, s.Kind(vec), s.Len(vec), s.Size(vec), s.Type(vec))
	}
	// Each node keeps its edges in the order added.
	var got []string
	lo, hi := s.Edges(vec)
	for e := lo; e < hi; e++ {
		got = append(got, s.EdgeName(e)+"->"+s.NodeName(s.EdgeTo(e)))
		if s.EdgeFrom(e) != vec {
			t.Errorf("EdgeFrom(%d) = %d, want %d", e, s.EdgeFrom(e), vec)
		}
	}
	if want := []string{"[1]->$pair@0x20", "[0]->$pair@0x10"}; !slices.Equal(got, want) {
		t.Errorf("edges of $vec = %q, want %q", got, want)
	}
	// The super-root has one edge per category, and each root is an edge
	// from its category's node.
	lo, hi = s.Edges(snapshot.SuperRoot)
	if hi-lo != int(snapshot.NumRootCategories) {
		t.Errorf("super-root has %d edges", hi-lo)
	}
	lo, hi = s.Edges(snapshot.CategoryNode(snapshot.RootFrame))
	if hi-lo != 1 || s.EdgeKind(lo) != snapshot.EdgeRoot || s.ID(s.EdgeTo(lo)) != 0x10 {
		t.Fatalf("frame roots: edges %d..%d", lo, hi)
	}
	if name, want := s.EdgeName(lo), "frame 0 func 7 slot 2 (thread 1)"; name != want {
		t.Errorf("frame root edge = %q, want %q", name, want)
	}
	lo, _ = s.Edges(snapshot.CategoryNode(snapshot.RootGlobal))
	if name, want := s.EdgeName(lo), "global $g"; name != want {
		t.Errorf("global root edge = %q, want %q", name, want)
	}
	p10, _ := s.Find(0x10)
	lo, _ = s.Edges(p10)
	if name := s.EdgeName(lo); name != "car" {
		t.Errorf("field 0 of $pair = %q, want car", name)
	}
	p20, _ := s.Find(0x20)
	lo, _ = s.Edges(p20)
	if name := s.EdgeName(lo); name != "1" {
		t.Errorf("unnamed field 1 = %q, want 1", name)
	}
}

func TestIncomingEdges(t *testing.T) {
	s := small(t)
	p10, _ := s.Find(0x10)
	edges, from := s.In(p10)
	var got []string
	for i, e := range edges {
		if s.EdgeTo(int(e)) != p10 || s.EdgeFrom(int(e)) != int(from[i]) {
			t.Errorf("incoming edge %d: to %d from %d, recorded from %d", e, s.EdgeTo(int(e)), s.EdgeFrom(int(e)), from[i])
		}
		got = append(got, s.NodeName(int(from[i])))
	}
	want := []string{"(frame roots)", "$pair@0x20", "$vec@0x30"}
	if !slices.Equal(got, want) {
		t.Errorf("retainers of 0x10 = %q, want %q", got, want)
	}
}

func TestBuilderRejects(t *testing.T) {
	cases := []struct {
		name  string
		build func(b *snapshot.Builder, pair int)
		want  string
	}{
		{"unknown type", func(b *snapshot.Builder, pair int) {
			b.AddNode(snapshot.Node{ID: 8, Type: 9})
		}, "node 0: type index 9"},
		{"synthetic type", func(b *snapshot.Builder, pair int) {
			b.AddNode(snapshot.Node{ID: 8, Type: 0})
		}, "node 0: type index 0"},
		{"null id", func(b *snapshot.Builder, pair int) {
			b.AddNode(snapshot.Node{ID: 0, Type: pair})
		}, "node 0: id 0 is null"},
		{"odd id", func(b *snapshot.Builder, pair int) {
			b.AddNode(snapshot.Node{ID: 9, Type: pair})
		}, "node 0: struct id 0x9 is odd"},
		{"repeated id", func(b *snapshot.Builder, pair int) {
			b.AddNode(snapshot.Node{ID: 16, Type: pair})
			b.AddNode(snapshot.Node{ID: 8, Type: pair})
			b.AddNode(snapshot.Node{ID: 16, Type: pair})
		}, "node 2: id 0x10 repeats node 0"},
		{"dangling edge", func(b *snapshot.Builder, pair int) {
			b.AddNode(snapshot.Node{ID: 8, Type: pair})
			b.AddEdge(8, 8, snapshot.EdgeField, 0)
			b.AddEdge(8, 64, snapshot.EdgeField, 1)
		}, "edge 1: target 0x40 is not an object"},
		{"edge from nowhere", func(b *snapshot.Builder, pair int) {
			b.AddNode(snapshot.Node{ID: 8, Type: pair})
			b.AddEdge(16, 8, snapshot.EdgeField, 0)
		}, "edge 0: source 0x10"},
		{"root edge between objects", func(b *snapshot.Builder, pair int) {
			b.AddNode(snapshot.Node{ID: 8, Type: pair})
			b.AddEdge(8, 8, snapshot.EdgeRoot, 0)
		}, "edge 0: kind root"},
		{"dangling root", func(b *snapshot.Builder, pair int) {
			b.AddRoot(snapshot.Root{Target: 8})
		}, "root 0: target 0x8"},
		{"unknown category", func(b *snapshot.Builder, pair int) {
			b.AddNode(snapshot.Node{ID: 8, Type: pair})
			b.AddRoot(snapshot.Root{Category: 99, Target: 8})
		}, "root 0: unknown category 99"},
		{"synthetic kind type", func(b *snapshot.Builder, pair int) {
			b.AddType(snapshot.Type{ID: 1, Kind: snapshot.KindSynthetic})
		}, "type 2: kind synthetic"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b := snapshot.NewBuilder(0, 0)
			pair := b.AddType(snapshot.Type{ID: 4, Kind: snapshot.KindStruct, Name: "$pair"})
			c.build(b, pair)
			_, err := b.Finish()
			var be *snapshot.BuildError
			if !errors.As(err, &be) || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("Finish error = %v, want a BuildError containing %q", err, c.want)
			}
		})
	}
}

func TestEmptySnapshot(t *testing.T) {
	s, err := snapshot.NewBuilder(0, 0).Finish()
	if err != nil {
		t.Fatal(err)
	}
	if s.NumObjects() != 0 || s.NumEdges() != int(snapshot.NumRootCategories) {
		t.Fatalf("empty snapshot: %d objects, %d edges", s.NumObjects(), s.NumEdges())
	}
	if _, ok := s.Find(8); ok {
		t.Error("Find in an empty snapshot found something")
	}
}
