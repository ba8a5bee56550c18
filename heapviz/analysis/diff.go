package analysis

import (
	"slices"

	"github.com/gcscope/gcscope/heapviz/snapshot"
)

// TypeDiff compares the objects of one type in two snapshots.
type TypeDiff struct {
	Type snapshot.Type // as the newer snapshot names it (the older one if it has none)

	CountA, CountB int    // objects in A and in B
	BytesA, BytesB uint64 // their shallow sizes

	Added, Removed           int    // objects only in B, only in A
	AddedBytes, RemovedBytes uint64 // their shallow sizes
}

// CountDelta is how many more objects of the type B has than A.
func (t *TypeDiff) CountDelta() int { return t.CountB - t.CountA }

// BytesDelta is how many more bytes the type takes in B than in A.
func (t *TypeDiff) BytesDelta() int64 { return int64(t.BytesB) - int64(t.BytesA) }

// SnapshotDiff is what changed from snapshot A to snapshot B.
type SnapshotDiff struct {
	// Types has one entry per type present in either snapshot, largest
	// growth in bytes first (then largest shrink last; ties by name).
	Types []TypeDiff
	// Added are the nodes of B whose objects A does not have; Removed the
	// nodes of A whose objects B does not have. Both are in id order.
	Added, Removed []int
}

// Diff compares two snapshots of one store, A taken before B.
//
// Objects are matched by id, type and size: the heap never moves objects,
// so a surviving object keeps its id, but the collector reuses freed
// addresses, so an id alone could match a new object with a dead one. An
// object at a reused address is told apart when its type (canonical id and
// kind, which are stable within a store), its shallow size or its array
// length differs; Wasm arrays never change length, so that is exact for
// them. A dead object replaced at the same address by one of the same
// type and size is indistinguishable in a snapshot and counts as
// surviving; only a capture with allocation sequence numbers could tell.
func Diff(a, b *snapshot.Snapshot) *SnapshotDiff {
	type key struct {
		id   uint32
		kind snapshot.Kind
	}
	keyOf := func(t *snapshot.Type) key { return key{t.ID, t.Kind} }
	index := map[key]int{}
	var types []TypeDiff
	slot := func(t *snapshot.Type) *TypeDiff {
		k := keyOf(t)
		i, ok := index[k]
		if !ok {
			i = len(types)
			index[k] = i
			types = append(types, TypeDiff{Type: *t})
		} else if types[i].Type.Name == "" {
			types[i].Type = *t
		}
		return &types[i]
	}
	same := func(na, nb int) bool {
		return a.Size(na) == b.Size(nb) && a.Len(na) == b.Len(nb) && keyOf(a.Type(na)) == keyOf(b.Type(nb))
	}
	d := &SnapshotDiff{}
	removed := func(n int) {
		t := slot(a.Type(n))
		t.Removed++
		t.RemovedBytes += uint64(a.Size(n))
		d.Removed = append(d.Removed, n)
	}
	added := func(n int) {
		t := slot(b.Type(n))
		t.Added++
		t.AddedBytes += uint64(b.Size(n))
		d.Added = append(d.Added, n)
	}
	// Both snapshots hold their objects in id order: a merge join.
	i, j := snapshot.FirstObject, snapshot.FirstObject
	for i < a.NumNodes() || j < b.NumNodes() {
		switch {
		case j == b.NumNodes() || (i < a.NumNodes() && a.ID(i) < b.ID(j)):
			removed(i)
			i++
		case i == a.NumNodes() || b.ID(j) < a.ID(i):
			added(j)
			j++
		default:
			if !same(i, j) {
				removed(i)
				added(j)
			}
			i++
			j++
		}
	}
	for n := snapshot.FirstObject; n < a.NumNodes(); n++ {
		t := slot(a.Type(n))
		t.CountA++
		t.BytesA += uint64(a.Size(n))
	}
	for n := snapshot.FirstObject; n < b.NumNodes(); n++ {
		t := slot(b.Type(n))
		t.CountB++
		t.BytesB += uint64(b.Size(n))
	}
	slices.SortStableFunc(types, func(x, y TypeDiff) int {
		dx, dy := x.BytesDelta(), y.BytesDelta()
		switch {
		case dx > dy:
			return -1
		case dx < dy:
			return 1
		}
		nx, ny := x.Type.DisplayName(), y.Type.DisplayName()
		switch {
		case nx < ny:
			return -1
		case nx > ny:
			return 1
		}
		return 0
	})
	d.Types = types
	return d
}
