package gc

import (
	"math/bits"
	"time"
)

// markSweep is the first Collector: non-moving stop-the-world mark-sweep.
//
// Allocation bumps a cursor through the current free chunk (the allocation
// buffer, what a thread-local buffer and the AOT inline fast path will use).
// When the chunk is too small the slow path takes the next chunk of the
// free list that the last sweep built in address order: a small request
// (up to smallLimit bytes) retires the rest of the current chunk and skips
// free chunks smaller than itself; a large request is carved first-fit from
// the list. Memory skipped or retired this way is a headed free block and
// is reclaimed (coalesced with its neighbours) by the next sweep. The slow
// path collects when the bytes allocated since the last collection reach
// the budget (pacing, see allocSlow); when no chunk fits the heap
// collects, then commits more of its reservation, then fails with
// ErrOutOfMemory. After a collection, free memory well above what pacing
// will use is returned to the OS (decommit).
//
// Marking sets bits in a side bitmap and uses an explicit stack; sweeping
// visits the marked objects in address order (see sweep) and turns each
// gap between them into one free block, so dead objects are never read and
// free neighbours are always coalesced. The heap stays parseable (every
// byte belongs to a headed block) whenever the mutex is not held, which is
// what Walk and Verify rely on.
type markSweep struct {
	h          *Heap
	cur, limit uint64 // the allocation buffer; no header is written in it yet
	chunks     []span // free blocks found by the last sweep, in address order
	next       int    // chunks before next have been taken or skipped
	stack      []Ref  // the mark stack, kept between collections
	marks      bitmap // mark bits, one per 8 bytes like the start bitmap
	marksMem   *bitmapMem
	heldBytes  uint64    // in objects (or handed to buffers) and not yet freed
	buffers    []*Buffer // attached thread allocation buffers
	unpub      []span    // retired buffer memory whose start bits are not set, by address (buffer_publish.go)
	sinceGC    uint64    // bytes allocated since the last collection
	budget     uint64    // collect once sinceGC reaches it (pacing)
	dirtyTop   uint64    // free memory above it is known to be decommitted or never used
	stats      Stats
	err        error // set once the heap is found corrupt
}

// span is a free block.
type span struct{ off, size uint64 }

// smallLimit separates small requests (bump allocated, skipping chunks
// that are too small) from large ones (first-fit over the free list).
const smallLimit = 256

// heapBufferMax caps the heap's own allocation buffer.
const heapBufferMax = 64 << 10

func newMarkSweep(h *Heap, marks *bitmapMem) *markSweep {
	ms := &markSweep{h: h, marksMem: marks, budget: h.opts.InitialBytes}
	ms.addSpace(heapStart, uint64(len(h.b)))
	return ms
}

// writeFree heads a free block.
func (h *Heap) writeFree(off, size uint64) {
	le.PutUint32(h.b[off:], uint32(size))
	le.PutUint32(h.b[off+GCBitsOffset:], uint32(KindFree))
}

// Allocate implements Collector.
func (ms *markSweep) Allocate(size uint64) (uint64, error) {
	off, err := ms.allocate(size)
	if err == nil {
		ms.stats.AllocatedObjects++
	}
	return off, err
}

// allocate finds size bytes and accounts them, as one object.
func (ms *markSweep) allocate(size uint64) (uint64, error) { return ms.allocateAt(size, 0) }

// allocateAt is allocate for a block that starts at a multiple of align
// (a thread's buffer, see alignedBlock), or anywhere if align is 0.
func (ms *markSweep) allocateAt(size, align uint64) (uint64, error) {
	if ms.err != nil {
		return 0, ms.err
	}
	if size > ms.h.max {
		return 0, ErrOutOfMemory
	}
	if ms.h.opts.Stress {
		if err := ms.Collect(); err != nil {
			return 0, err
		}
	}
	if align != 0 {
		ms.alignHeapBuffer(size, align)
	}
	if size <= ms.limit-ms.cur && ms.cur%max(align, 1) == 0 {
		off := ms.cur
		ms.cur += size
		ms.account(size)
		return off, nil
	}
	return ms.allocSlow(size, align)
}

// account counts bytes leaving the free memory.
func (ms *markSweep) account(size uint64) {
	ms.stats.AllocatedBytes += size
	ms.heldBytes += size
	ms.sinceGC += size
}

func (ms *markSweep) allocSlow(size, align uint64) (uint64, error) {
	// Pacing: collect after allocating the budget (pacing.go: twice the
	// live data, at least InitialBytes), even if free memory remains, so
	// a heap that was once large is reused from its bottom and its top can
	// stay decommitted. Stress mode has just collected.
	paced := !ms.h.opts.Stress && ms.sinceGC >= ms.budget
	if paced {
		if err := ms.Collect(); err != nil {
			return 0, err
		}
	}
	if off, ok := ms.take(size, align); ok {
		return off, nil
	}
	// Collect even if nothing was allocated since the last collection: the
	// runtime may have dropped roots since.
	if !ms.h.opts.Stress && !paced {
		if err := ms.Collect(); err != nil {
			return 0, err
		}
		if off, ok := ms.take(size, align); ok {
			return off, nil
		}
	}
	for ms.grow(size) {
		if off, ok := ms.take(size, align); ok {
			return off, nil
		}
	}
	return 0, ErrOutOfMemory
}

// take allocates size bytes from the free list, or reports false: a
// small request (or a buffer's, align > 0) from the next chunk that
// fits, a large one first-fit.
func (ms *markSweep) take(size, align uint64) (uint64, bool) {
	if size <= smallLimit || align != 0 {
		ms.retire()
		for ms.next < len(ms.chunks) {
			c := &ms.chunks[ms.next]
			if !fitAligned(c, size, align) {
				ms.next++ // skipped until the next sweep
				continue
			}
			ms.padChunk(c, align)
			// At most heapBufferMax becomes the allocation buffer, so the
			// slow path (and its pacing check) runs regularly.
			off, n := c.off, min(c.size, heapBufferMax)
			if n == c.size {
				ms.next++
			} else {
				c.off += n
				c.size -= n
				ms.h.writeFree(c.off, c.size)
			}
			ms.cur, ms.limit = off+size, off+n
			ms.account(size)
			return off, true
		}
		return 0, false
	}
	for i := ms.next; i < len(ms.chunks); i++ {
		c := &ms.chunks[i]
		if c.size >= size {
			off := c.off
			c.off += size
			c.size -= size
			if c.size > 0 {
				ms.h.writeFree(c.off, c.size)
			}
			ms.account(size)
			ms.dirtyTop = max(ms.dirtyTop, off+size)
			return off, true
		}
	}
	return 0, false
}

// seal heads the unused rest of the allocation buffer so the heap parses.
func (ms *markSweep) seal() {
	if ms.limit > ms.cur {
		ms.h.writeFree(ms.cur, ms.limit-ms.cur)
	}
}

// retire seals and drops the allocation buffer.
func (ms *markSweep) retire() {
	ms.seal()
	ms.dirtyTop = max(ms.dirtyTop, ms.cur)
	ms.cur, ms.limit = 0, 0
}

// grow commits more of the reservation, at least enough for a block of
// size bytes, doubling the heap when it can; false when it is at its max.
func (ms *markSweep) grow(size uint64) bool {
	ms.h.stopWorld()
	defer ms.h.startWorld()
	old := uint64(len(ms.h.b))
	old, now, err := ms.h.commit(max(2*old, old+size+HeaderSize))
	if err != nil || now == old {
		return false
	}
	ms.addSpace(old, now)
	return true
}

// addSpace makes newly committed bytes [from, to) allocatable, extending
// the last free chunk when it ends at from so that a large block can
// straddle the old end.
func (ms *markSweep) addSpace(from, to uint64) {
	if to <= from {
		return
	}
	if n := len(ms.chunks); n > ms.next {
		if c := &ms.chunks[n-1]; c.off+c.size == from {
			c.size = to - c.off
			ms.h.writeFree(c.off, c.size)
			return
		}
	}
	ms.h.writeFree(from, to-from)
	ms.chunks = append(ms.chunks, span{from, to - from})
}

// Collect implements Collector.
func (ms *markSweep) Collect() error {
	if ms.err != nil {
		return ms.err
	}
	ms.h.stopWorld()
	defer ms.h.startWorld()
	start := time.Now()
	ms.retire()
	for _, b := range ms.buffers {
		ms.sealBuffer(b)
	}
	err := ms.mark()
	if err == nil {
		err = ms.sweep()
	}
	// The buffers' free rests were coalesced by the sweep: start them
	// empty, so their next allocation refills.
	for _, b := range ms.buffers {
		b.start, *b.Cursor, *b.Limit = 0, 0, 0
	}
	pause := time.Since(start)
	ms.stats.Collections++
	ms.stats.LastPause = pause
	ms.stats.TotalPause += pause
	ms.stats.MaxPause = max(ms.stats.MaxPause, pause)
	if err != nil {
		ms.err = err
		return err
	}
	// Keep the heap at least twice the live data, so the next collection
	// comes after as many bytes are allocated as survived this one.
	if want, have := 2*ms.stats.LiveBytes, uint64(len(ms.h.b)); want > have {
		if old, now, err := ms.h.commit(want); err == nil {
			ms.addSpace(old, now)
		}
	}
	ms.sinceGC = 0
	ms.budget = ms.nextBudget(ms.stats.LiveBytes) // pacing.go
	ms.decommit()
	return nil
}

// decommit returns to the OS the free memory above what the pacing lets
// the program use before the next collection (twice the live data and the
// budget). Allocation takes free chunks in address order, so that memory
// stays untouched unless the live data grows. Only memory written since
// the last pass (below dirtyTop) is handed back, so a steady program pays
// nothing.
func (ms *markSweep) decommit() {
	target := 2 * (ms.stats.LiveBytes + ms.budget)
	if target >= ms.dirtyTop {
		return
	}
	for _, c := range ms.chunks {
		lo := max(c.off+HeaderSize, target) // keep the free block's header
		hi := min(c.off+c.size, ms.dirtyTop)
		if hi > lo {
			if n, err := ms.h.region.Decommit(lo, hi-lo); err == nil {
				ms.stats.DecommittedBytes += n
			}
		}
	}
	ms.dirtyTop = target
}

func (ms *markSweep) mark() error {
	marks, err := ms.marksMem.cover(uint64(len(ms.h.b)))
	if err != nil {
		return err
	}
	ms.marks = marks
	ms.h.enumRoots(ms.markRoot)
	ms.drain() // mark_drain.go
	if cap(ms.stack) > 1<<16 {
		ms.stack = nil // do not keep a huge stack alive between collections
	}
	return nil
}

func (ms *markSweep) markRoot(r Ref, _ RootPlace) { ms.push(r) }

func (ms *markSweep) marked(off uint64) bool { return ms.marks.has(off) }

// push marks r and queues it for scanning if it can hold references.
func (ms *markSweep) push(r Ref) {
	if r == 0 || r&1 != 0 {
		return
	}
	h := ms.h
	off := uint64(r)
	if !h.isStart(off) && !ms.lateStart(off) {
		ms.stats.BadRefs++
		return
	}
	if ms.marks.has(off) {
		return
	}
	ms.marks.set(off)
	switch Kind(h.b[off+GCBitsOffset] & KindMask) {
	case KindStruct, KindArray, KindExn:
		ms.stack = append(ms.stack, r)
	}
}

// sweep frees every unmarked object and rebuilds the free list. It visits
// only the marked objects, found through the mark bitmap in address order:
// each gap between the end of one and the start of the next (dead objects
// and old free blocks alike) becomes one free block, without reading the
// dead objects. The marked set is exactly the set of objects that remain,
// so in the same pass each mark word becomes the start word and is
// cleared for the next collection (the start bitmap keeps its address).
func (ms *markSweep) sweep() error {
	h := ms.h
	h.dropDeadExterns(ms.marked)
	end := uint64(len(h.b))
	ms.chunks, ms.next = ms.chunks[:0], 0
	var live, liveObjs, before uint64
	gap := uint64(heapStart) // where the current gap of free memory began
	free := func(to uint64) {
		if to > gap {
			h.writeFree(gap, to-gap)
			ms.chunks = append(ms.chunks, span{gap, to - gap})
		}
	}
	starts, marks := h.starts, ms.marks[:min(len(ms.marks), len(h.starts))]
	for i := nonZeroWord(marks, starts, 0); i < len(marks); i = nonZeroWord(marks, starts, i+1) {
		w := marks[i]
		before += uint64(bits.OnesCount64(starts[i]))
		starts[i], marks[i] = w, 0
		for ; w != 0; w &= w - 1 {
			off := (uint64(i)*64 + uint64(bits.TrailingZeros64(w))) * 8
			size := h.blockSize(off, Kind(h.b[off+GCBitsOffset]&KindMask))
			if off < gap || size == 0 || size > end-off {
				return ErrCorrupt
			}
			free(off)
			gap = off + size
			live += size
			liveObjs++
		}
	}
	free(end)
	ms.unpub = ms.unpub[:0] // the start bits are the marks now
	ms.stats.FreedBytes += ms.heldBytes - live
	ms.stats.FreedObjects += before - liveObjs
	ms.heldBytes = live
	ms.stats.LiveBytes, ms.stats.LiveObjects = live, liveObjs
	return nil
}

// nonZeroWord is the first index from i on where a or b has a bit set
// (len(a) if none; b is at least as long as a). Most words of a heap
// that allocates garbage are zero in both the mark and the start bitmap
// (inline objects that die unpublished never get a start bit,
// buffer_publish.go): the sweep skips them in this tight loop, without
// writing their cache lines back.
func nonZeroWord(a, b []uint64, i int) int {
	b = b[:len(a)]
	for ; i < len(a); i++ {
		if a[i]|b[i] != 0 {
			return i
		}
	}
	return i
}

// blockSize is the size of the block at off, 0 if it cannot be known.
func (h *Heap) blockSize(off uint64, k Kind) uint64 {
	b := h.b
	switch k {
	case KindFree:
		return uint64(le.Uint32(b[off:]))
	case KindFunc, KindExtern:
		return SmallObjectSize
	case KindStruct, KindExn, KindArray:
		l := h.Layout(le.Uint32(b[off:]))
		if l == nil {
			return 0
		}
		if k == KindArray {
			return l.ArraySize(le.Uint32(b[off+ArrayLenOffset:]))
		}
		return uint64(l.Size)
	}
	return 0
}

// Walk implements Collector.
func (ms *markSweep) Walk(fn func(Ref) bool) {
	ms.sealAll()
	h := ms.h
	end := uint64(len(h.b))
	for off := uint64(heapStart); off < end; {
		k := Kind(h.b[off+GCBitsOffset] & KindMask)
		size := h.blockSize(off, k)
		if size == 0 || size > end-off {
			return
		}
		if k != KindFree && !fn(Ref(off)) {
			return
		}
		off += size
	}
}

// Stats implements Collector. Buffers' allocations since their last
// refill are included; their unused rests are not.
func (ms *markSweep) Stats() Stats {
	s := ms.stats
	for _, b := range ms.buffers {
		s.AllocatedObjects += ms.bufferObjects(b)
		s.AllocatedBytes -= *b.Limit - *b.Cursor
	}
	return s
}
