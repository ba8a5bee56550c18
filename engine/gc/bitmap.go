package gc

// The start bitmap has one bit per 8-byte granule of the committed heap,
// set where an object begins. It lets the heap tell a real object from an
// arbitrary even number in one load, so a bad reference from the runtime or
// the debugger is ignored instead of corrupting the heap. Every allocation
// path (including the AOT inline one, later) must set the bit.

func bitmapWords(heapBytes uint64) int { return int(heapBytes/512 + 1) }

func (h *Heap) setStart(off uint64)   { h.starts[off>>9] |= 1 << (off >> 3 & 63) }
func (h *Heap) clearStart(off uint64) { h.starts[off>>9] &^= 1 << (off >> 3 & 63) }

// isStart reports whether an object starts at off.
func (h *Heap) isStart(off uint64) bool {
	if off&7 != 0 || off >= uint64(len(h.b)) || off>>9 >= uint64(len(h.starts)) {
		return false
	}
	return h.starts[off>>9]&(1<<(off>>3&63)) != 0
}
