package gc

// Allocation buffers cover whole start-bitmap words.
//
// The start bitmap has one bit per 8-byte granule, so one 64-bit word of
// it covers StartWordBytes of heap. Refill hands a buffer memory that
// begins and ends on such a boundary, and everything else allocated
// between two collections (other buffers, the heap's own locked
// allocations) is disjoint from it in bytes, hence in bitmap words: only
// the buffer's own allocations (the Go fast path's setShared) and the
// publishing of its late start bits (buffer_publish.go) write the words
// of its buffer, besides the sweep, which runs with every other thread
// stopped (SetWorld). AOT code used to set its bits with a plain load, or
// and store for this reason (a locked or cost about a sixth of
// binary_trees' native time); since ABI 5 it sets none. Both tiers still
// place a program's objects at the same addresses. Readers that may run
// meanwhile (bitmap.has, bitmap.count) load words atomically.
//
// The price: a refill needs a free chunk holding an aligned run of
// StartWordBytes (rounded-up request size); smaller free chunks still
// serve the heap's locked allocations, and the next sweep coalesces the
// rest. The bytes skipped to reach a boundary become free blocks.

const (
	// StartWordShift is log2 of StartWordBytes: heap offset >> StartWordShift
	// is the index of the start-bitmap word that holds the offset's bit.
	StartWordShift = 9
	// StartWordBytes is how many heap bytes one start-bitmap word covers.
	StartWordBytes = 1 << StartWordShift
)

func alignUp(x, a uint64) uint64   { return (x + a - 1) &^ (a - 1) }
func alignDown(x, a uint64) uint64 { return x &^ (a - 1) }

// alignedBlock finds memory for a buffer with room for size bytes and
// returns [start, end), both multiples of StartWordBytes, accounted and
// not yet zeroed. When the block comes from the heap's own allocation
// buffer it takes more of that, up to bufferChunk, as Refill always did.
func (ms *markSweep) alignedBlock(size uint64) (start, end uint64, err error) {
	need := alignUp(size, StartWordBytes)
	start, err = ms.allocateAt(need, StartWordBytes)
	if err != nil {
		return 0, 0, err
	}
	n := need
	if ms.cur == start+need && n < bufferChunk {
		// The block came from the heap's own buffer: take more of it.
		extra := alignDown(min(ms.limit-ms.cur, bufferChunk-n), StartWordBytes)
		ms.cur += extra
		ms.account(extra)
		n += extra
	}
	return start, start + n, nil
}

// alignHeapBuffer moves the heap's own allocation buffer's cursor up to
// a multiple of align when size bytes still fit after it; the bytes
// skipped become a free block.
func (ms *markSweep) alignHeapBuffer(size, align uint64) {
	if ms.cur == 0 {
		return
	}
	if a := alignUp(ms.cur, align); a > ms.cur && a <= ms.limit && size <= ms.limit-a {
		ms.h.writeFree(ms.cur, a-ms.cur)
		ms.cur = a
	}
}

// fitAligned reports whether free chunk c holds size bytes starting at a
// multiple of align (anywhere if align is 0).
func fitAligned(c *span, size, align uint64) bool {
	pad := uint64(0)
	if align != 0 {
		pad = alignUp(c.off, align) - c.off
	}
	return c.size >= pad && c.size-pad >= size
}

// padChunk drops the bytes of free chunk c before its first multiple of
// align, leaving them a free block until the next sweep.
func (ms *markSweep) padChunk(c *span, align uint64) {
	if align == 0 {
		return
	}
	if pad := alignUp(c.off, align) - c.off; pad > 0 {
		ms.h.writeFree(c.off, pad)
		c.off += pad
		c.size -= pad
	}
}
