package gc

// bitmap has one bit per 8-byte granule of the heap.
//
// The heap keeps a start bitmap with a bit set where an object begins. It
// tells a real object from an arbitrary even number in one load, so a bad
// reference from the runtime or the debugger is ignored instead of
// corrupting the heap, and it lets the sweep skip dead objects without
// reading them. Every allocation path (including the AOT inline one,
// later) must set the bit. The collector's mark bits are a second bitmap of
// the same shape.
type bitmap []uint64

func bitmapWords(heapBytes uint64) int { return int(heapBytes/512 + 1) }

func (m bitmap) set(off uint64)   { m[off>>9] |= 1 << (off >> 3 & 63) }
func (m bitmap) clear(off uint64) { m[off>>9] &^= 1 << (off >> 3 & 63) }

// has reports whether the bit for off is set; offsets beyond the map are
// not.
func (m bitmap) has(off uint64) bool {
	return off>>9 < uint64(len(m)) && m[off>>9]&(1<<(off>>3&63)) != 0
}

// grown returns m extended to cover heapBytes.
func (m bitmap) grown(heapBytes uint64) bitmap {
	if w := bitmapWords(heapBytes); w > len(m) {
		return append(m, make(bitmap, w-len(m))...)
	}
	return m
}

// isStart reports whether an object starts at off.
func (h *Heap) isStart(off uint64) bool {
	return off&7 == 0 && off < uint64(len(h.b)) && h.starts.has(off)
}
