package analysis

import (
	"slices"
	"testing"

	"github.com/gcscope/gcscope/heapviz/snapshot"
)

// obj is a crafted object: id, type (0 $pair, 1 $vec, 2 funcref), size,
// length.
type obj struct {
	id   uint32
	typ  int
	size uint32
	len  uint32
}

func craft(t *testing.T, objs []obj) *snapshot.Snapshot {
	t.Helper()
	b := snapshot.NewBuilder(len(objs), 0)
	types := []int{
		b.AddType(snapshot.Type{ID: 1, Kind: snapshot.KindStruct, Name: "$pair"}),
		b.AddType(snapshot.Type{ID: 2, Kind: snapshot.KindArray, Name: "$vec"}),
		b.AddType(snapshot.Type{ID: snapshot.NoType, Kind: snapshot.KindFunc}),
	}
	for _, o := range objs {
		b.AddNode(snapshot.Node{ID: o.id, Type: types[o.typ], Size: o.size, Len: o.len})
	}
	s, err := b.Finish()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestDiffCrafted(t *testing.T) {
	a := craft(t, []obj{
		{0x10, 0, 16, 0}, // survives
		{0x20, 0, 16, 0}, // dies; a $vec takes its address
		{0x30, 1, 24, 3}, // survives
		{0x40, 0, 16, 0}, // dies
		{0x50, 1, 24, 2}, // dies; a longer $vec takes its address
	})
	b := craft(t, []obj{
		{0x10, 0, 16, 0},
		{0x20, 1, 16, 1},
		{0x30, 1, 24, 3},
		{0x50, 1, 32, 5},
		{0x60, 0, 16, 0},
		{0x70, 2, 16, 0},
	})
	d := Diff(a, b)
	find := func(s *snapshot.Snapshot, ids ...uint32) []int {
		var ns []int
		for _, id := range ids {
			n, ok := s.Find(id)
			if !ok {
				t.Fatalf("no object %#x", id)
			}
			ns = append(ns, n)
		}
		return ns
	}
	if want := find(b, 0x20, 0x50, 0x60, 0x70); !slices.Equal(d.Added, want) {
		t.Errorf("Added = %v, want %v", d.Added, want)
	}
	if want := find(a, 0x20, 0x40, 0x50); !slices.Equal(d.Removed, want) {
		t.Errorf("Removed = %v, want %v", d.Removed, want)
	}
	want := []TypeDiff{
		{Type: *b.Type(find(b, 0x20)[0]), CountA: 2, CountB: 3, BytesA: 48, BytesB: 72, Added: 2, Removed: 1, AddedBytes: 48, RemovedBytes: 24},
		{Type: *b.Type(find(b, 0x70)[0]), CountB: 1, BytesB: 16, Added: 1, AddedBytes: 16},
		{Type: *b.Type(find(b, 0x10)[0]), CountA: 3, CountB: 2, BytesA: 48, BytesB: 32, Added: 1, Removed: 2, AddedBytes: 16, RemovedBytes: 32},
	}
	if len(d.Types) != len(want) {
		t.Fatalf("Types = %+v, want %+v", d.Types, want)
	}
	for i := range want {
		g, w := d.Types[i], want[i]
		if g.Type.Name != w.Type.Name || g.CountA != w.CountA || g.CountB != w.CountB || g.BytesA != w.BytesA ||
			g.BytesB != w.BytesB || g.Added != w.Added || g.Removed != w.Removed ||
			g.AddedBytes != w.AddedBytes || g.RemovedBytes != w.RemovedBytes {
			t.Errorf("Types[%d] = %+v, want %+v", i, g, w)
		}
	}
	if g := d.Types[0]; g.CountDelta() != 1 || g.BytesDelta() != 24 {
		t.Errorf("$vec deltas = %d objects, %d bytes, want 1, 24", g.CountDelta(), g.BytesDelta())
	}
}

func TestDiffOfASnapshotWithItselfIsEmpty(t *testing.T) {
	s := randomSnapshot(t, 3)
	d := Diff(s, s)
	if len(d.Added) != 0 || len(d.Removed) != 0 {
		t.Fatalf("diff with itself: added %v removed %v", d.Added, d.Removed)
	}
	for _, td := range d.Types {
		if td.CountDelta() != 0 || td.BytesDelta() != 0 {
			t.Errorf("diff with itself: %+v", td)
		}
	}
}
