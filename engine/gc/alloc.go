package gc

import (
	"encoding/binary"
	"fmt"
)

var le = binary.LittleEndian

// alloc allocates a zeroed object of size bytes and writes its header and,
// for the kinds that have one, the uint32 at PayloadOffset, all before the
// mutex is released, so a collection never sees a half-made object.
func (h *Heap) alloc(size uint64, word0 uint32, k Kind, payload uint32) (Ref, error) {
	return h.allocKept(size, word0, k, payload, nil)
}

// allocKept is alloc that, when keep is not nil, hands the new object to
// keep before the mutex is released.
func (h *Heap) allocKept(size uint64, word0 uint32, k Kind, payload uint32, keep func(Ref)) (Ref, error) {
	h.lock()
	if err := h.usable(); err != nil {
		h.mu.Unlock()
		return Null, err
	}
	off, err := h.space.Allocate(size)
	if err == nil {
		o := h.b[off : off+size]
		clear(o[HeaderSize:])
		le.PutUint32(o[TypeIDOffset:], word0)
		le.PutUint32(o[GCBitsOffset:], uint32(k))
		if k != KindStruct {
			le.PutUint32(o[PayloadOffset:], payload)
		}
		h.starts.setShared(off)
		if k == KindExtern {
			h.externs = append(h.externs, off)
		}
		if keep != nil {
			keep(Ref(off))
		}
	}
	h.unlockAndNotify()
	if err != nil {
		return Null, err
	}
	return Ref(off), nil
}

// layoutFor returns the layout of id if it is of kind k. It is small
// enough to inline into the allocation paths; the error is built apart.
func (h *Heap) layoutFor(id uint32, k Kind) (*Layout, error) {
	if ls := *h.layouts.Load(); int64(id) < int64(len(ls)) {
		if l := ls[id]; l != nil && l.Kind == k {
			return l, nil
		}
	}
	return nil, undefinedType(id, k)
}

//go:noinline
func undefinedType(id uint32, k Kind) error {
	return fmt.Errorf("%w: %s type id %d", ErrUndefinedType, k, id)
}

// AllocStruct allocates a struct of canonical type typeID with every field
// zero (the default values: 0, +0.0, null).
func (h *Heap) AllocStruct(typeID uint32) (Ref, error) {
	l, err := h.layoutFor(typeID, KindStruct)
	if err != nil {
		return Null, err
	}
	return h.alloc(uint64(l.Size), typeID, KindStruct, 0)
}

// AllocArray allocates an array of n zero elements of canonical type
// typeID. An array too large for the heap is ErrOutOfMemory.
func (h *Heap) AllocArray(typeID uint32, n uint32) (Ref, error) {
	l, err := h.layoutFor(typeID, KindArray)
	if err != nil {
		return Null, err
	}
	return h.alloc(l.ArraySize(n), typeID, KindArray, n)
}

// AllocFunc allocates a funcref object for function instance funcID, with
// no type id in its header (see AllocFuncOf).
func (h *Heap) AllocFunc(funcID uint32) (Ref, error) {
	return h.AllocFuncOf(NoType, funcID)
}

// AllocFuncOf allocates a funcref object for function instance funcID
// whose function has canonical type typeID, so casts on funcrefs read the
// type from the header like they do for structs and arrays.
func (h *Heap) AllocFuncOf(typeID, funcID uint32) (Ref, error) {
	return h.alloc(SmallObjectSize, typeID, KindFunc, funcID)
}

// AllocFuncKept is AllocFuncOf for an object the caller records as a
// root, handed to keep under the heap's lock (see AllocExternKept).
func (h *Heap) AllocFuncKept(typeID, funcID uint32, keep func(Ref)) (Ref, error) {
	return h.allocKept(SmallObjectSize, typeID, KindFunc, funcID, keep)
}

// AllocExtern wraps a host value, known by its index in the runtime's host
// handle table, as an extern object. any.convert_extern and
// extern.convert_any are identities on Refs: a wrapper converted to anyref
// is an object that is neither struct, array nor i31, and converted back it
// is the same wrapper, so round trips are exact. When the collector frees a
// wrapper it reports hostIndex through OnExternFreed.
func (h *Heap) AllocExtern(hostIndex uint32) (Ref, error) {
	return h.alloc(SmallObjectSize, NoType, KindExtern, hostIndex)
}

// AllocExternKept is AllocExtern for a wrapper the caller records as a
// root: keep gets the new reference before the heap's lock is released,
// so no collection, whichever goroutine runs it, comes between the
// allocation and the record (and finds the wrapper unreachable). keep
// runs under the heap's lock: it must not allocate or collect, and a
// lock it takes must be one the root enumeration may take too.
func (h *Heap) AllocExternKept(hostIndex uint32, keep func(Ref)) (Ref, error) {
	return h.allocKept(SmallObjectSize, NoType, KindExtern, hostIndex, keep)
}

// AllocExn allocates an exception for tag instance tagID, whose tag has
// the canonical function type tagTypeID (defined with the layout NewLayout
// gives for that function type). The payload values start zero; set them
// with SetField, index i being parameter i.
func (h *Heap) AllocExn(tagTypeID, tagID uint32) (Ref, error) {
	l, err := h.layoutFor(tagTypeID, KindExn)
	if err != nil {
		return Null, err
	}
	return h.alloc(uint64(l.Size), tagTypeID, KindExn, tagID)
}
