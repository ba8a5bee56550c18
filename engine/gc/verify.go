package gc

import (
	"fmt"
	"math/bits"
)

// Verify checks the heap's consistency and returns the first problem
// found: every committed byte belongs to exactly one well-formed block,
// the start bitmap marks exactly the objects, every object has a layout of
// its kind, and every reference stored in an object is null, an i31 or
// another object. The debugger offers it, and tests run it after
// operations; it takes time proportional to the heap.
func (h *Heap) Verify() error {
	h.lock()
	defer h.mu.Unlock()
	if err := h.usable(); err != nil {
		return err
	}
	ms, ok := h.space.(*markSweep)
	if ok {
		ms.sealAll()
		if ms.err != nil {
			return ms.err
		}
	}
	b := h.b
	end := uint64(len(b))
	objects := 0
	for off := uint64(heapStart); off < end; {
		k := Kind(b[off+GCBitsOffset] & KindMask)
		if k > KindExn {
			return fmt.Errorf("%w: block %#x has kind %d", ErrCorrupt, off, k)
		}
		size := h.blockSize(off, k)
		if size == 0 || size&7 != 0 || size > end-off {
			return fmt.Errorf("%w: block %#x (%s) has size %d", ErrCorrupt, off, k, size)
		}
		if k == KindFree {
			if h.starts.has(off) {
				return fmt.Errorf("%w: free block %#x has a start bit", ErrCorrupt, off)
			}
		} else {
			if !h.starts.has(off) {
				return fmt.Errorf("%w: object %#x (%s) has no start bit", ErrCorrupt, off, k)
			}
			objects++
			var bad error
			h.VisitRefs(Ref(off), func(slot uint32, c Ref) {
				if bad == nil && c.IsObject() && !h.isStart(uint64(c)) {
					bad = fmt.Errorf("%w: object %#x (%s) slot %d holds %#x, not an object", ErrCorrupt, off, k, slot, uint32(c))
				}
			})
			if bad != nil {
				return bad
			}
		}
		off += size
	}
	bitsSet := 0
	for _, w := range h.starts {
		bitsSet += bits.OnesCount64(w)
	}
	if bitsSet != objects {
		return fmt.Errorf("%w: %d start bits for %d objects", ErrCorrupt, bitsSet, objects)
	}
	return nil
}
