package snapshot_test

import (
	"math/rand/v2"
	"testing"

	"github.com/gcscope/gcscope/heapviz/internal/heapgen"
	"github.com/gcscope/gcscope/heapviz/snapshot"
)

// sameGraph fails unless a and b have the same nodes, edges and roots.
func sameGraph(t *testing.T, a, b *snapshot.Snapshot) {
	t.Helper()
	if a.NumNodes() != b.NumNodes() || a.NumEdges() != b.NumEdges() || len(a.Roots()) != len(b.Roots()) {
		t.Fatalf("sizes differ: %d/%d nodes, %d/%d edges, %d/%d roots",
			a.NumNodes(), b.NumNodes(), a.NumEdges(), b.NumEdges(), len(a.Roots()), len(b.Roots()))
	}
	for n := range a.NumNodes() {
		if a.ID(n) != b.ID(n) || a.Size(n) != b.Size(n) || a.Len(n) != b.Len(n) || a.Kind(n) != b.Kind(n) ||
			a.Type(n).ID != b.Type(n).ID || a.Type(n).Name != b.Type(n).Name {
			t.Fatalf("node %d differs: %s vs %s", n, a.NodeName(n), b.NodeName(n))
		}
		alo, ahi := a.Edges(n)
		blo, bhi := b.Edges(n)
		if ahi-alo != bhi-blo {
			t.Fatalf("node %d: %d vs %d edges", n, ahi-alo, bhi-blo)
		}
		for i := range ahi - alo {
			ea, eb := alo+i, blo+i
			if a.EdgeTo(ea) != b.EdgeTo(eb) || a.EdgeKind(ea) != b.EdgeKind(eb) || a.EdgeName(ea) != b.EdgeName(eb) {
				t.Fatalf("node %d edge %d differs: %s vs %s", n, i, a.EdgeName(ea), b.EdgeName(eb))
			}
		}
	}
}

func TestCaptureMatchesBuild(t *testing.T) {
	for seed := uint64(1); seed <= 50; seed++ {
		rng := rand.New(rand.NewPCG(seed, 1))
		h := heapgen.Random(rng, 1+rng.IntN(40), rng.IntN(100), rng.IntN(8))
		want, err := h.Build()
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		got, st, err := snapshot.Capture(h.Source(), snapshot.CaptureOptions{})
		if err != nil || st.Dangling != 0 {
			t.Fatalf("seed %d: Capture: %v, %d dangling", seed, err, st.Dangling)
		}
		sameGraph(t, got, want)
	}
}

func TestCaptureBoxesI31AndDropsDangling(t *testing.T) {
	h := heapgen.Random(rand.New(rand.NewPCG(5, 5)), 4, 0, 0)
	// A field holding i31 7 (twice), one holding null, one a dangling ref,
	// and a root holding i31 7.
	i31 := uint32(7<<1 | 1)
	src := &refsOverride{Heap: h, refs: []uint32{i31, 0, i31, 0xfff8}}
	h.Roots = []snapshot.Root{{Category: snapshot.RootGlobal, Target: i31}}
	s, st, err := snapshot.Capture(src, snapshot.CaptureOptions{BoxI31: true})
	if err != nil {
		t.Fatal(err)
	}
	if st.Dangling != 1 {
		t.Errorf("Dangling = %d, want 1", st.Dangling)
	}
	n, ok := s.Find(i31)
	if !ok || s.Kind(n) != snapshot.KindI31 || s.NumObjects() != 5 {
		t.Fatalf("i31 box: found %v, kind %v, %d objects", ok, s.Kind(n), s.NumObjects())
	}
	if edges, _ := s.In(n); len(edges) != 3 {
		t.Errorf("i31 box has %d incoming edges, want 3 (two fields, one root)", len(edges))
	}
	s, _, err = snapshot.Capture(src, snapshot.CaptureOptions{})
	if err != nil || s.NumObjects() != 4 || s.NumEdges() != int(snapshot.NumRootCategories) {
		t.Fatalf("without BoxI31: %v, %d objects, %d edges", err, s.NumObjects(), s.NumEdges())
	}
}

// refsOverride is a heap whose first object holds the given raw
// references, to feed Capture values a generated heap cannot hold.
type refsOverride struct {
	*heapgen.Heap
	refs []uint32
}

func (r *refsOverride) Refs(id uint32, fn func(snapshot.EdgeKind, uint32, uint32)) {
	if id != r.IDs[0] {
		return
	}
	for i, to := range r.refs {
		fn(snapshot.EdgeField, uint32(i), to)
	}
}

func (r *refsOverride) Roots(fn func(snapshot.Root)) {
	for _, x := range r.Heap.Roots {
		fn(x)
	}
}
