package runtime

import (
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/gcscope/gcscope/engine/gc"
	"github.com/gcscope/gcscope/engine/wasm"
)

// Ref is a compressed reference (engine/gc): 0 is null, an odd value is
// an i31 (v<<1 | 1), anything else is an object's offset in the heap.
type Ref = gc.Ref

// ErrOutOfMemory is the heap's answer when an allocation cannot be served
// even after a collection; the interpreter turns it into the trap "out of
// memory".
var ErrOutOfMemory = gc.ErrOutOfMemory

// ObjKind says what a heap object is.
type ObjKind = gc.Kind

// Object kinds, as engine/gc numbers them.
const (
	ObjFree   = gc.KindFree
	ObjStruct = gc.KindStruct // a struct of a canonical type
	ObjArray  = gc.KindArray  // an array of a canonical type
	ObjFunc   = gc.KindFunc   // a funcref: Aux is the store's function number
	ObjHost   = gc.KindExtern // a host reference: Aux is the host's handle
	ObjExn    = gc.KindExn    // an exception: Aux is the store's tag number
)

// Heap is the store's view of its engine/gc heap: it defines each
// canonical type's layout on first use and speaks in TypeDefs and tags.
// GC is the heap itself, for the collector's users (debugger, heapviz).
type Heap struct {
	GC *gc.Heap
	// defined says which canonical ids have their layout registered; a
	// slice, not a map, because every allocation asks. Copied on write
	// (under mu) so threads read it without a lock.
	defined atomic.Pointer[[]bool]
	mu      sync.Mutex
}

func newHeap(maxBytes int64, stress bool) (*Heap, error) {
	if maxBytes < 0 {
		maxBytes = 0
	}
	h, err := gc.New(gc.Options{MaxBytes: uint64(maxBytes), Stress: stress})
	if err != nil {
		return nil, err
	}
	return &Heap{GC: h}, nil
}

// define registers the layout of a struct, array or (for exceptions)
// function type before its first allocation.
func (h *Heap) define(d *TypeDef) error {
	if p := h.defined.Load(); p != nil && int(d.ID) < len(*p) && (*p)[d.ID] {
		return nil
	}
	if err := h.GC.DefineType(uint32(d.ID), gc.NewLayout(&d.Comp)); err != nil {
		return err
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	var old []bool
	if p := h.defined.Load(); p != nil {
		old = *p
	}
	n := make([]bool, max(len(old), int(d.ID)+1))
	copy(n, old)
	n[d.ID] = true
	h.defined.Store(&n)
	return nil
}

// SetRoots installs the root enumerator the collector calls.
func (h *Heap) SetRoots(src gc.RootSource) { h.GC.SetRootSource(src) }

// AllocStruct allocates a zeroed struct of type d.
func (h *Heap) AllocStruct(d *TypeDef) (Ref, error) {
	if err := h.define(d); err != nil {
		return 0, err
	}
	return h.GC.AllocStruct(uint32(d.ID))
}

// AllocArray allocates a zeroed array of type d with n elements.
func (h *Heap) AllocArray(d *TypeDef, n uint32) (Ref, error) {
	if err := h.define(d); err != nil {
		return 0, err
	}
	return h.GC.AllocArray(uint32(d.ID), n)
}

// AllocFunc allocates a funcref object for store function fn of type t.
func (h *Heap) AllocFunc(t TypeID, fn uint32) (Ref, error) {
	return h.GC.AllocFuncOf(uint32(t), fn)
}

// allocFuncKept is AllocFunc handing the new object to keep under the
// heap's lock (gc.Heap.AllocFuncKept).
func (h *Heap) allocFuncKept(t TypeID, fn uint32, keep func(Ref)) (Ref, error) {
	return h.GC.AllocFuncKept(uint32(t), fn, keep)
}

// AllocHost allocates the object that wraps host handle n.
func (h *Heap) AllocHost(n uint64) (Ref, error) {
	if n > 0xFFFFFFFF {
		return 0, fmt.Errorf("host handle %d does not fit 32 bits", n)
	}
	return h.GC.AllocExtern(uint32(n))
}

// allocHostKept is AllocHost handing the new object to keep under the
// heap's lock (gc.Heap.AllocExternKept).
func (h *Heap) allocHostKept(n uint64, keep func(Ref)) (Ref, error) {
	if n > 0xFFFFFFFF {
		return 0, fmt.Errorf("host handle %d does not fit 32 bits", n)
	}
	return h.GC.AllocExternKept(uint32(n), keep)
}

// AllocExn allocates an exception of tag with a zero payload.
func (h *Heap) AllocExn(tag *Tag) (Ref, error) {
	if err := h.define(tag.Type); err != nil {
		return 0, err
	}
	return h.GC.AllocExn(uint32(tag.Type.ID), tag.num)
}

// Kind returns the kind of the object r names (ObjFree for null, i31 or a
// dangling reference).
func (h *Heap) Kind(r Ref) ObjKind { return h.GC.KindOf(r) }

// TypeOf returns the canonical type of a struct, array or func object.
func (h *Heap) TypeOf(r Ref) TypeID { return TypeID(h.GC.TypeOf(r)) }

// Aux returns the function number, host handle or tag number of an object.
func (h *Heap) Aux(r Ref) uint64 {
	switch h.GC.KindOf(r) {
	case gc.KindFunc:
		v, _ := h.GC.FuncID(r)
		return uint64(v)
	case gc.KindExtern:
		v, _ := h.GC.ExternHost(r)
		return uint64(v)
	case gc.KindExn:
		v, _ := h.GC.ExnTag(r)
		return uint64(v)
	}
	return 0
}

// Field reads field i of a struct or payload value i of an exception (raw
// bits; packed fields zero-extended).
func (h *Heap) Field(r Ref, i int) uint64 { return h.GC.GetField(r, i) }

// SetField writes field i (truncated to the field's storage).
func (h *Heap) SetField(r Ref, i int, v uint64) { h.GC.SetField(r, i, v) }

// Collect runs a full collection.
func (h *Heap) Collect() error { return h.GC.Collect() }

// Stats returns the collector's counters.
func (h *Heap) Stats() gc.Stats { return h.GC.Stats() }

// Close releases the heap's memory.
func (h *Heap) Close() error { return h.GC.Close() }

// PackField truncates a value to a field's storage (i8, i16), as stored
// in heap objects; other storage keeps all bits.
func PackField(st wasm.StorageType, v uint64) uint64 {
	switch st.Packed {
	case wasm.PackedI8:
		return v & 0xFF
	case wasm.PackedI16:
		return v & 0xFFFF
	}
	return v
}
