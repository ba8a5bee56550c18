package snapshot

import "slices"

// Heap is what Capture reads from a heap whose world is stopped. The GC
// heap (with the runtime, which knows type and function names) implements
// it; tests use a fake. Ids are compressed references.
type Heap interface {
	// Walk calls fn for every object to include (the live ones, after a
	// collection) until fn returns false.
	Walk(fn func(id uint32) bool)
	// Object describes an object Walk reported; ok is false if id is not
	// an object.
	Object(id uint32) (info ObjectInfo, ok bool)
	// TypeInfo names a canonical type and its fields; it is called once
	// per (id, kind) met. Its ID and Kind are overwritten by Capture.
	TypeInfo(id uint32, kind Kind) Type
	// Refs calls fn for every reference object id holds, null and i31
	// values included or not (Capture skips null, and i31 unless
	// CaptureOptions.BoxI31).
	Refs(id uint32, fn func(kind EdgeKind, index uint32, to uint32))
	// Roots calls fn for every root, null and i31 ones included or not.
	Roots(fn func(Root))
}

// ObjectInfo describes one object for Capture.
type ObjectInfo struct {
	Type uint32 // canonical type id, NoType if none
	Kind Kind   // KindStruct, KindArray, KindFunc, KindExtern or KindExn
	Size uint32 // shallow size in bytes
	Len  uint32 // array length
}

// CaptureOptions tune Capture.
type CaptureOptions struct {
	// BoxI31 makes each distinct i31 value held by a field, element or
	// root a node of kind KindI31 (size 0), so views can show them; by
	// default i31 values, being no objects, are left out.
	BoxI31 bool
}

// CaptureStats count what Capture saw but could not include.
type CaptureStats struct {
	// Dangling counts references (in fields or roots) to ids that are no
	// objects of the walk, and walked ids Object does not describe: a
	// runtime bug the debugger should show, kept out of the snapshot so
	// the graph stays well formed.
	Dangling int
}

// Capture takes a snapshot of h. The world must stay stopped until it
// returns. It fails only if h reports something the Builder rejects (an
// object id repeated or odd, an unknown kind).
func Capture(h Heap, opts CaptureOptions) (*Snapshot, CaptureStats, error) {
	var st CaptureStats
	// Collect the ids first, so the Builder can be sized once instead of
	// growing (and copying) its tables a few dozen times on a big heap.
	var ids []uint32
	h.Walk(func(id uint32) bool {
		ids = append(ids, id)
		return true
	})
	// Walks go in address order, so this is usually one pass.
	if !slices.IsSorted(ids) {
		slices.Sort(ids)
	}
	// Heaps average one to two references an object.
	b := NewBuilder(len(ids), 2*len(ids))
	typeOf := map[typeKey]int{}
	kept := ids[:0]
	for _, id := range ids {
		info, ok := h.Object(id)
		if !ok {
			st.Dangling++
			continue
		}
		k := typeKey{info.Type, info.Kind}
		ti, ok := typeOf[k]
		if !ok {
			t := h.TypeInfo(info.Type, info.Kind)
			t.ID, t.Kind = info.Type, info.Kind
			ti = b.AddType(t)
			typeOf[k] = ti
		}
		b.AddNode(Node{ID: id, Type: ti, Size: info.Size, Len: info.Len})
		kept = append(kept, id)
	}
	ids = kept
	index := newIDIndex(ids)
	i31Type := -1
	boxed := map[uint32]bool{}
	// target filters a reference: whether to keep it, boxing i31 values
	// on first sight.
	target := func(to uint32) bool {
		switch {
		case to == 0:
			return false
		case to&1 != 0:
			if !opts.BoxI31 {
				return false
			}
			if !boxed[to] {
				if i31Type < 0 {
					i31Type = b.AddType(Type{ID: NoType, Kind: KindI31, Name: "i31"})
				}
				boxed[to] = true
				b.AddNode(Node{ID: to, Type: i31Type})
			}
			return true
		}
		if _, ok := index.find(to); !ok {
			st.Dangling++
			return false
		}
		return true
	}
	// One callback for all objects: a closure per object would be a heap
	// allocation per object, since it escapes through the interface.
	var cur uint32
	addRef := func(kind EdgeKind, idx, to uint32) {
		if target(to) {
			b.AddEdge(cur, to, kind, idx)
		}
	}
	for _, id := range ids {
		cur = id
		h.Refs(id, addRef)
	}
	h.Roots(func(r Root) {
		if target(r.Target) {
			b.AddRoot(r)
		}
	})
	s, err := b.Finish()
	return s, st, err
}
