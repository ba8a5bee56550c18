package capture

import (
	"cmp"
	"errors"
	"fmt"
	"slices"

	"github.com/gcscope/gcscope/engine/gc"
	"github.com/gcscope/gcscope/engine/runtime"
	"github.com/gcscope/gcscope/heapviz/snapshot"
)

// Options tune Capture.
type Options struct {
	// KeepGarbage skips the collection that runs before the walk, so the
	// objects that died since the last collection are in the snapshot too
	// (unreachable from every root: the analyses leave them out of the
	// dominator tree). By default the snapshot holds live objects only.
	KeepGarbage bool
	// BoxI31 makes i31 values held by fields, elements and roots nodes of
	// their own (see snapshot.CaptureOptions).
	BoxI31 bool
}

// Snapshot collects garbage in store's heap and takes a snapshot of what
// is left, with the store's threads stopped (see the package comment).
// References to non-objects, a runtime bug, are left out; use Capture to
// count them.
func Snapshot(store *runtime.Store) (*snapshot.Snapshot, error) {
	s, _, err := Capture(store, Options{})
	return s, err
}

// Capture takes a snapshot of store's heap as opts say, and counts what it
// had to leave out. It stops the store's other threads for the time it
// takes (Store.StopTheWorld); call it between Wasm calls or from the
// calling thread's own callbacks.
func Capture(store *runtime.Store, opts Options) (*snapshot.Snapshot, snapshot.CaptureStats, error) {
	h, err := NewHeap(store)
	if err != nil {
		return nil, snapshot.CaptureStats{}, err
	}
	// Park every other thread of the store at a safepoint, its frames
	// committed, until the snapshot is complete.
	store.StopTheWorld()
	defer store.StartTheWorld()
	if !opts.KeepGarbage {
		if err := h.gc.Collect(); err != nil {
			return nil, snapshot.CaptureStats{}, fmt.Errorf("capture: collecting garbage before the snapshot: %w", err)
		}
	}
	s, st, err := snapshot.Capture(h, snapshot.CaptureOptions{BoxI31: opts.BoxI31})
	if err != nil {
		return nil, st, fmt.Errorf("capture: %w", err)
	}
	return s, st, nil
}

// Heap is a store's GC heap seen as a snapshot.Heap, with the names of the
// store's modules. Make it with NewHeap and use it while the world is
// stopped (Store.StopTheWorld), before Wasm runs on the store again: its
// names are those of the instances that existed when it was made.
type Heap struct {
	gc    *gc.Heap
	names *names

	// The Refs callback and the current object's edge kind, kept here so
	// that VisitRefs gets one bound method for the whole capture rather
	// than a new closure per object.
	emit  func(kind snapshot.EdgeKind, index uint32, to uint32)
	ekind snapshot.EdgeKind
	visit func(slot uint32, child gc.Ref)
}

var _ snapshot.Heap = (*Heap)(nil)

// NewHeap adapts store's heap. It fails for a nil or closed store.
func NewHeap(store *runtime.Store) (*Heap, error) {
	if store == nil || store.Heap == nil || store.Heap.GC == nil {
		return nil, errors.New("capture: no store")
	}
	if store.Env() == nil || store.Env().Slots == nil {
		return nil, errors.New("capture: the store is closed")
	}
	h := &Heap{gc: store.Heap.GC, names: newNames(store)}
	h.visit = h.visitRef
	return h, nil
}

// Walk reports every object in the heap in address order, dead ones too
// if no collection ran since they died.
func (h *Heap) Walk(fn func(id uint32) bool) {
	h.gc.Walk(func(r gc.Ref) bool { return fn(uint32(r)) })
}

// Object describes the object id: its kind, canonical type (NoType for
// extern wrappers and funcrefs allocated without one), size and, for
// arrays, length.
func (h *Heap) Object(id uint32) (snapshot.ObjectInfo, bool) {
	r := gc.Ref(id)
	info := snapshot.ObjectInfo{Type: h.gc.TypeOf(r), Size: uint32(h.gc.SizeOf(r))}
	switch h.gc.KindOf(r) {
	case gc.KindStruct:
		info.Kind = snapshot.KindStruct
	case gc.KindArray:
		info.Kind, info.Len = snapshot.KindArray, h.gc.ArrayLen(r)
	case gc.KindFunc:
		info.Kind = snapshot.KindFunc
	case gc.KindExtern:
		info.Kind, info.Type = snapshot.KindExtern, snapshot.NoType
	case gc.KindExn:
		info.Kind = snapshot.KindExn
	default:
		return snapshot.ObjectInfo{}, false
	}
	return info, true
}

// TypeInfo names a type: "$node" and its field names from the module that
// defines it; "funcref $sig" or "funcref [i32] -> [i32]" for funcrefs;
// "exn $tag" for exceptions. Unnamed structs and arrays get no name, so
// they show as "struct#12".
func (h *Heap) TypeInfo(id uint32, kind snapshot.Kind) snapshot.Type {
	return h.names.typeInfo(id, kind)
}

// Refs reports the references object id holds: struct fields and
// exception payload values as field edges, array elements as element
// edges, null and i31 values included (Capture filters them).
func (h *Heap) Refs(id uint32, fn func(kind snapshot.EdgeKind, index uint32, to uint32)) {
	r := gc.Ref(id)
	switch h.gc.KindOf(r) {
	case gc.KindStruct, gc.KindExn:
		h.ekind = snapshot.EdgeField
	case gc.KindArray:
		h.ekind = snapshot.EdgeElement
	default:
		return // funcrefs and extern wrappers hold no references
	}
	h.emit = fn
	h.gc.VisitRefs(r, h.visit)
	h.emit = nil
}

func (h *Heap) visitRef(slot uint32, child gc.Ref) { h.emit(h.ekind, slot, uint32(child)) }

// Roots reports every root the collector sees, with its place, sorted by
// category, then frame depth (innermost first), thread, index, slot and
// object: the runtime keeps pins and host references in maps, so its own
// order changes from run to run, and snapshot files and shortest paths
// (which prefer the first root) should not.
func (h *Heap) Roots(fn func(snapshot.Root)) {
	var roots []snapshot.Root
	h.gc.Roots(func(r gc.Ref, at gc.RootPlace) {
		if r != 0 {
			roots = append(roots, h.names.root(r, at))
		}
	})
	slices.SortStableFunc(roots, func(a, b snapshot.Root) int {
		return cmp.Or(cmp.Compare(a.Category, b.Category), cmp.Compare(a.Frame, b.Frame), cmp.Compare(a.Thread, b.Thread),
			cmp.Compare(a.Index, b.Index), cmp.Compare(a.Slot, b.Slot), cmp.Compare(a.Target, b.Target))
	})
	for _, r := range roots {
		fn(r)
	}
}
