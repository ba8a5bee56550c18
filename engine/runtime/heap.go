package runtime

import (
	"errors"
	"time"
)

// Ref is a compressed reference as DESIGN.md section 2 defines it: 0 is
// null, an odd value is an i31 (v<<1 | 1), anything else names an object.
type Ref = uint32

// ErrOutOfMemory is the heap's answer when an allocation cannot be served
// even after a collection; the interpreter turns it into the trap "out of
// memory".
var ErrOutOfMemory = errors.New("out of memory")

// ObjKind says what a heap object is.
type ObjKind uint8

// Object kinds.
const (
	ObjFree   ObjKind = iota
	ObjStruct         // a struct of type Type
	ObjArray          // an array of type Type
	ObjFunc           // a funcref: Aux is the store's function number
	ObjHost           // a host reference: Aux is the host's handle
	ObjExn            // an exception: Aux is the store's tag number
)

// object is one heap cell. This heap stands in for engine/gc: it keeps
// objects in a Go slice and hands out references as 8-aligned offsets
// ((index+1)*8), so the Ref encoding, the root protocol and the statistics
// are the ones the off-heap collector will have.
type object struct {
	kind ObjKind
	mark bool
	typ  TypeID
	aux  uint64
	vals []uint64
	// refs says which vals hold references: nil none, one element true
	// means all of them (arrays), else one flag per value.
	refs []bool
}

// HeapStats counts the collector's work.
type HeapStats struct {
	Collections int
	Pause       time.Duration
	LiveBytes   int64
	FreedBytes  int64
	Objects     int
}

// Heap is the store's garbage-collected heap: non-moving, mark-sweep,
// precise; roots come from the store's enumerator.
type Heap struct {
	objs   []object
	free   []uint32
	bytes  int64
	max    int64
	stress bool
	roots  func(visit func(Ref))
	stats  HeapStats
}

func newHeap(maxBytes int64, stress bool) *Heap {
	if maxBytes <= 0 {
		maxBytes = 1 << 30
	}
	return &Heap{max: maxBytes, stress: stress}
}

// SetRoots installs the root enumerator the collector calls.
func (h *Heap) SetRoots(f func(visit func(Ref))) { h.roots = f }

func objSize(n int) int64 { return 16 + 8*int64(n) }

func (h *Heap) alloc(o object) (Ref, error) {
	size := objSize(len(o.vals))
	if h.stress || h.bytes+size > h.max {
		h.Collect()
		if h.bytes+size > h.max {
			return 0, ErrOutOfMemory
		}
	}
	h.bytes += size
	var idx uint32
	if n := len(h.free); n > 0 {
		idx = h.free[n-1]
		h.free = h.free[:n-1]
		h.objs[idx] = o
	} else {
		if len(h.objs) >= 1<<28 {
			return 0, ErrOutOfMemory
		}
		idx = uint32(len(h.objs))
		h.objs = append(h.objs, o)
	}
	return Ref(idx+1) << 3, nil
}

var allRefs = []bool{true}

// AllocStruct allocates a zeroed struct of canonical type t.
func (h *Heap) AllocStruct(d *TypeDef) (Ref, error) {
	return h.alloc(object{kind: ObjStruct, typ: d.ID, vals: make([]uint64, len(d.Comp.Fields)), refs: d.RefFields})
}

// AllocArray allocates a zeroed array of canonical type t with n elements.
func (h *Heap) AllocArray(d *TypeDef, n uint32) (Ref, error) {
	if objSize(int(n)) > h.max {
		return 0, ErrOutOfMemory
	}
	var refs []bool
	if len(d.RefFields) > 0 && d.RefFields[0] {
		refs = allRefs
	}
	return h.alloc(object{kind: ObjArray, typ: d.ID, vals: make([]uint64, n), refs: refs})
}

// AllocFunc allocates a funcref object for store function fn of type t.
func (h *Heap) AllocFunc(t TypeID, fn uint32) (Ref, error) {
	return h.alloc(object{kind: ObjFunc, typ: t, aux: uint64(fn)})
}

// AllocHost allocates the object that wraps host handle n.
func (h *Heap) AllocHost(n uint64) (Ref, error) {
	return h.alloc(object{kind: ObjHost, aux: n})
}

// AllocExnTag allocates an exception of tag with a payload of n values.
func (h *Heap) AllocExnTag(tag *Tag, n int, refs []bool) (Ref, error) {
	return h.AllocExn(tag.num, n, refs)
}

// AllocExn allocates an exception of store tag tag with a payload of n
// values, refs saying which are references.
func (h *Heap) AllocExn(tag uint32, n int, refs []bool) (Ref, error) {
	return h.alloc(object{kind: ObjExn, aux: uint64(tag), vals: make([]uint64, n), refs: refs})
}

func (h *Heap) obj(r Ref) *object {
	if r == 0 || r&7 != 0 {
		return nil
	}
	i := r>>3 - 1
	if int(i) >= len(h.objs) || h.objs[i].kind == ObjFree {
		return nil
	}
	return &h.objs[i]
}

// Kind returns the kind of the object r names (ObjFree for null, i31 or a
// dangling reference).
func (h *Heap) Kind(r Ref) ObjKind {
	if o := h.obj(r); o != nil {
		return o.kind
	}
	return ObjFree
}

// TypeOf returns the canonical type of a struct, array or func object.
func (h *Heap) TypeOf(r Ref) TypeID {
	if o := h.obj(r); o != nil {
		return o.typ
	}
	return 0
}

// Aux returns the function number, host handle or tag number of an object.
func (h *Heap) Aux(r Ref) uint64 {
	if o := h.obj(r); o != nil {
		return o.aux
	}
	return 0
}

// Vals returns the fields, elements or payload of an object; the slice
// aliases the object (nil for a bad reference).
func (h *Heap) Vals(r Ref) []uint64 {
	if o := h.obj(r); o != nil {
		return o.vals
	}
	return nil
}

// Collect runs a full mark-sweep collection.
func (h *Heap) Collect() {
	start := time.Now()
	var stack []Ref
	push := func(r Ref) {
		if o := h.obj(r); o != nil && !o.mark {
			o.mark = true
			stack = append(stack, r)
		}
	}
	if h.roots != nil {
		h.roots(push)
	}
	// An explicit stack, never recursion: deep lists must not overflow.
	for len(stack) > 0 {
		r := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		o := h.obj(r)
		switch {
		case o.refs == nil:
		case len(o.refs) == 1 && o.kind == ObjArray:
			for _, v := range o.vals {
				push(Ref(v))
			}
		default:
			for i, isRef := range o.refs {
				if isRef && i < len(o.vals) {
					push(Ref(o.vals[i]))
				}
			}
		}
	}
	var freed int64
	live := 0
	for i := range h.objs {
		o := &h.objs[i]
		if o.kind == ObjFree {
			continue
		}
		if o.mark {
			o.mark = false
			live++
			continue
		}
		freed += objSize(len(o.vals))
		*o = object{}
		h.free = append(h.free, uint32(i))
	}
	h.bytes -= freed
	h.stats.Collections++
	h.stats.Pause += time.Since(start)
	h.stats.FreedBytes += freed
	h.stats.LiveBytes = h.bytes
	h.stats.Objects = live
}

// Stats returns the collector's counters.
func (h *Heap) Stats() HeapStats { return h.stats }

// Walk calls f for every live object.
func (h *Heap) Walk(f func(r Ref, kind ObjKind, t TypeID, vals []uint64)) {
	for i := range h.objs {
		if o := &h.objs[i]; o.kind != ObjFree {
			f(Ref(i+1)<<3, o.kind, o.typ, o.vals)
		}
	}
}
