package gc

import (
	"math/bits"
	"slices"
	"sort"
	"sync/atomic"
)

// Start bits of inline allocations are set late, if ever.
//
// An allocation through a thread's buffer writes its object at the cursor
// and bumps the cursor by the object's size, so the objects of a buffer
// lie end to end from its start to its cursor, each header giving its
// size (Heap.blockSize): no padding or filler between them. AOT code
// therefore does not set start bits (the load, or and store were a fifth
// of each inline allocation's instructions); the runtime sets the bits of
// a stretch of buffer in one walk over its headers (setStarts), only when
// something needs them:
//
//   - A buffer's objects past its published mark (Buffer.pub) stay
//     unpublished while the thread bumps. When the buffer is sealed (a
//     refill, a collection, a detach) the stretch [pub, cursor) joins
//     markSweep.unpub, the retired stretches, without a walk.
//   - The collector's mark needs a start bit only for the objects it
//     reaches: a reference with no bit that lies in a retired stretch
//     publishes that stretch (lateStart), once. Stretches whose objects
//     all died are never walked: the sweep makes the start bits the mark
//     bits and forgets them. Most allocations in a program like
//     binary_trees die before the next collection, so most objects are
//     never walked at all (a walk at every refill cost more than the
//     inline bit: its header loads miss the cache).
//   - Valid and the accessors, on an even offset with no start bit
//     (publishFor): a retired stretch holding it is published at once; an
//     offset in a live buffer's unpublished part publishes every live
//     buffer with the other threads stopped, since a buffer's cursor and
//     headers are consistent only at its thread's safepoints. The object
//     may be one another thread allocated and shared (through a global),
//     or one this thread allocated and passes to a helper.
//   - Walk and Verify (sealAll: heap snapshots) and Stats (with the world
//     stopped) publish everything.
//
// The walk never reads at or beyond a cursor, so the poisoned or stale
// bytes beyond it (buffer_init.go) are never taken for headers. The Go
// fast path (bump) still sets its object's bit at once, so the
// interpreter's objects never need a walk; a walk sets them again. The
// publisher holds the heap's lock and the stretch's thread is stopped,
// is the caller, or has moved on to other memory; bits are OR-ed
// atomically, one word at a time.
//
// Object counts: Stats.AllocatedObjects counts a buffer's objects that
// have their bit when it is sealed, and retired objects when their
// stretch is published; FreedObjects counts start bits the sweep clears.
// An inline object that dies in a stretch never published is in neither
// (its bytes are in AllocatedBytes and FreedBytes), so allocated minus
// freed objects is still the live count.

// retireUnpublished moves b's unpublished objects to ms.unpub before b is
// sealed.
func (ms *markSweep) retireUnpublished(b *Buffer) {
	if ms.h.countInline {
		ms.publish(b) // counted with b's other objects as it is sealed
		return
	}
	c := *b.Cursor
	if b.start == 0 || c <= b.pub {
		return
	}
	s := span{b.pub, c - b.pub}
	b.pub = c
	// Refills usually move up the heap: this is an append.
	i := sort.Search(len(ms.unpub), func(i int) bool { return ms.unpub[i].off > s.off })
	ms.unpub = slices.Insert(ms.unpub, i, s)
}

// lateStart publishes the retired stretch holding off, if any, and
// reports whether an object starts at off then. The heap's lock is held.
func (ms *markSweep) lateStart(off uint64) bool {
	i := sort.Search(len(ms.unpub), func(i int) bool { return ms.unpub[i].off > off }) - 1
	if i < 0 {
		return false
	}
	s := &ms.unpub[i]
	if off >= s.off+s.size {
		return false
	}
	ms.publishSpan(s)
	return ms.h.starts.has(off)
}

// publishSpan sets the start bits of a retired stretch and counts its
// objects; the stretch is left empty.
func (ms *markSweep) publishSpan(s *span) {
	if s.size == 0 {
		return
	}
	n, err := ms.h.setStarts(s.off, s.off+s.size)
	if err != nil && ms.err == nil {
		ms.err = err
	}
	ms.stats.AllocatedObjects += n
	s.size = 0
}

// publish sets the start bits of b's objects in [pub, cursor); they are
// counted when b is sealed. b's thread is stopped or is the caller.
func (ms *markSweep) publish(b *Buffer) {
	c := *b.Cursor
	if b.start == 0 || c <= b.pub {
		return
	}
	if _, err := ms.h.setStarts(b.pub, c); err != nil && ms.err == nil {
		ms.err = err
	}
	b.pub = c
}

// setStarts sets the start bit of every object in [from, to), which hold
// objects end to end from an object's header, and returns how many bits
// it set that were clear. The size of the last non-array header word is
// remembered (a program allocates runs of one type), and a word's bits
// are gathered and OR-ed in once.
func (h *Heap) setStarts(from, to uint64) (uint64, error) {
	b, starts := h.b, h.starts
	if to > uint64(len(b)) || to>>StartWordShift >= uint64(len(starts)) {
		return 0, ErrCorrupt
	}
	var acc, lastHdr, lastSize, n uint64
	word := from >> StartWordShift
	flush := func() {
		if acc != 0 {
			old := atomic.OrUint64(&starts[word], acc)
			n += uint64(bits.OnesCount64(acc &^ old))
		}
	}
	for off := from; off < to; {
		hdr := le.Uint64(b[off:])
		size := lastSize
		if hdr != lastHdr || size == 0 {
			k := Kind(hdr >> 32 & KindMask)
			if size = h.blockSize(off, k); size == 0 || size&7 != 0 || size > to-off {
				flush()
				return n, ErrCorrupt
			}
			lastHdr, lastSize = 0, 0
			if k != KindFree && k != KindArray {
				lastHdr, lastSize = hdr, size
			}
			if k == KindFree {
				off += size // a free block (none expected): no bit
				continue
			}
		}
		if size > to-off {
			flush()
			return n, ErrCorrupt
		}
		if w := off >> StartWordShift; w != word {
			flush()
			word, acc = w, 0
		}
		acc |= 1 << (off >> 3 & 63)
		off += size
	}
	flush()
	return n, nil
}

// PublishRetired implements Collector.
func (ms *markSweep) PublishRetired(off uint64) bool { return ms.lateStart(off) }

// InLiveBuffer implements Collector. It compares with the buffer's start,
// not its published mark: its thread may be moving that (PublishOwn).
func (ms *markSweep) InLiveBuffer(off uint64) bool {
	for _, b := range ms.buffers {
		if b.start != 0 && off >= b.start && off < *b.Limit {
			return true
		}
	}
	return false
}

// PublishStarts implements Collector.
func (ms *markSweep) PublishStarts() {
	for _, b := range ms.buffers {
		ms.publish(b)
	}
	for i := range ms.unpub {
		ms.publishSpan(&ms.unpub[i])
	}
	ms.unpub = ms.unpub[:0]
}

// validStart is isStart for Valid and the accessors: an even offset
// without a start bit may be an object whose bit is not set yet.
func (h *Heap) validStart(off uint64) bool {
	return h.isStart(off) || off&7 == 0 && off >= heapStart && off < uint64(len(h.b)) && h.publishFor(off)
}

// publishFor publishes the unpublished objects that may hold off and
// reports whether an object starts at off then.
func (h *Heap) publishFor(off uint64) bool {
	h.lock()
	defer h.mu.Unlock()
	if h.isStart(off) {
		return true // a collection or another caller published it meanwhile
	}
	if h.closed {
		return false
	}
	if h.space.PublishRetired(off) {
		return true
	}
	if !h.space.InLiveBuffer(off) {
		return false
	}
	h.lateStops++
	h.publishAll()
	return h.isStart(off)
}

// publishAll publishes every buffer and retired stretch with the other
// threads stopped; the heap's lock is held.
func (h *Heap) publishAll() {
	h.stopWorld()
	h.space.PublishStarts()
	h.startWorld()
}

// PublishOwn sets the start bits of the objects b's thread allocated
// inline since they were last set, without the heap's lock or a stop of
// the world. Only b's own thread may call it, at a call out of its code
// (its cursor and headers are then in memory). The runtime calls it
// before helpers that take references (array.fill, array.copy, ...), so
// an object allocated inline and passed straight to one does not make
// the accessors stop the world to find it (publishFor). Other threads
// touch b.pub only with this thread stopped or under the lock when it
// refills; a corrupt stretch is left for the locked publish to report.
func (h *Heap) PublishOwn(b *Buffer) {
	c := *b.Cursor
	if b.heap != h || b.start == 0 || c <= b.pub {
		return
	}
	if _, err := h.setStarts(b.pub, c); err == nil {
		b.pub = c
	}
}

// CountInlineObjects makes the heap set the start bits of a buffer's
// inline allocations whenever the buffer is sealed (a refill, a
// collection), instead of only for the stretches a collection reaches, so
// that Stats.AllocatedObjects and FreedObjects count every object, at
// the cost of a walk over every inline allocation's header (binary_trees'
// AOT main ~35% slower). Tools that print the counts turn it on
// (gcscope run --gc-stats, the debugger).
func (h *Heap) CountInlineObjects(on bool) {
	h.lock()
	h.countInline = on
	h.mu.Unlock()
}
