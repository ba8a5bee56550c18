package analysis

import (
	"testing"

	"github.com/gcscope/gcscope/heapviz/snapshot"
)

// TestLongChain runs the analyses over a 300,000-object list, deeper than
// any recursion would survive comfortably: every cell is dominated by the
// one before and retains the rest of the list.
func TestLongChain(t *testing.T) {
	const n = 300_000
	b := snapshot.NewBuilder(n, n)
	cell := b.AddType(snapshot.Type{ID: 1, Kind: snapshot.KindStruct, Name: "$cell", Fields: []string{"next"}})
	for i := range uint32(n) {
		b.AddNode(snapshot.Node{ID: 8 + 16*i, Type: cell, Size: 16})
		if i > 0 {
			b.AddEdge(8+16*(i-1), 8+16*i, snapshot.EdgeField, 0)
		}
	}
	b.AddRoot(snapshot.Root{Category: snapshot.RootGlobal, Target: 8})
	s, err := b.Finish()
	if err != nil {
		t.Fatal(err)
	}
	d := Dominators(s)
	for i := range n {
		node := snapshot.FirstObject + i
		want := node - 1
		if i == 0 {
			want = snapshot.CategoryNode(snapshot.RootGlobal)
		}
		if d.Idom(node) != want || d.Retained(node) != uint64(16*(n-i)) {
			t.Fatalf("cell %d: idom %d retained %d, want %d and %d", i, d.Idom(node), d.Retained(node), want, 16*(n-i))
		}
	}
	path, ok := ShortestPaths(s).PathTo(s.NumNodes() - 1)
	if !ok || path.Len() != n-1 || path.Steps[len(path.Steps)-1].Label != "next" {
		t.Fatalf("path to the last cell: ok %v, %d references", ok, path.Len())
	}
	if h := Histogram(s, d); len(h) != 1 || h[0].Retained != 16*n || h[0].Count != n {
		t.Fatalf("histogram %+v, want one type retaining the whole list once", h)
	}
}
