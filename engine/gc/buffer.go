package gc

import "errors"

// Buffer is a thread's allocation buffer: free heap memory
// [*Cursor, *Limit) that one thread bumps through without taking the
// heap's mutex. Cursor and Limit point at the two words that hold the
// bounds, normally the alloc_cursor and alloc_limit words of the thread's
// exec env record, so AOT code can bump them inline (see NewBuffer for
// Go-owned words).
//
// The memory is not zeroed (buffer_init.go): an inline allocation writes
// every byte of its object, the header (type id, kind, array length or
// payload) at the old cursor and the body (fields, elements, padding),
// and bumps the cursor by the object's size before the thread reaches a
// call. It does not set the object's start bit: objects lie end to end
// from the buffer's start to its cursor, and the runtime sets their bits
// late, walking the headers (buffer_publish.go). Larger objects, and any allocation that does not fit, go
// through Refill or the heap's locked Alloc* methods, which hand out
// zeroed objects.
//
// A collection (from any thread) seals and empties every attached buffer,
// so it must not run while another thread is bumping through one: with a
// World installed (SetWorld) it stops the other threads first. A buffer
// begins and ends on a start-bitmap word boundary (StartWordBytes), so
// only its own allocations and the publishing of its late bits write its
// words (buffer_align.go).
type Buffer struct {
	Cursor, Limit *uint64
	heap          *Heap  // the heap it is attached to, nil if none
	start         uint64 // where the current memory began, to account it
	pub           uint64 // start bits are set for the objects in [start, pub) (buffer_publish.go)
	objects       uint64 // objects allocated by the Go fast path since the last seal (unused by the counts: see bufferObjects)
	own           [2]uint64
}

// NewBuffer returns a Buffer whose bounds live in the Buffer itself.
func NewBuffer() *Buffer {
	b := &Buffer{}
	b.Cursor, b.Limit = &b.own[0], &b.own[1]
	return b
}

// bufferChunk is how much a refill hands out when the free memory allows:
// big enough to amortize the locked refill, small enough that many
// threads do not strand much memory.
const bufferChunk = 32 << 10

// AttachBuffer registers b with the heap (empty; the first allocation
// refills it). Attach a buffer once, before its thread allocates.
func (h *Heap) AttachBuffer(b *Buffer) error {
	h.lock()
	defer h.mu.Unlock()
	if err := h.usable(); err != nil {
		return err
	}
	if b.heap != nil {
		return ErrBufferAttached
	}
	*b.Cursor, *b.Limit, b.start, b.heap = 0, 0, 0, h
	h.space.Attach(b)
	return nil
}

// DetachBuffer returns b's unused memory to the heap and unregisters it
// (when its thread exits).
func (h *Heap) DetachBuffer(b *Buffer) {
	h.lock()
	defer h.mu.Unlock()
	if b.heap == h {
		h.space.Detach(b)
		b.heap = nil
	}
}

// Refill is the slow path of buffer allocation (the AOT helper calls it):
// it gives b fresh memory (not zeroed) with room for at least size bytes,
// collecting and growing the heap as an allocation would. On
// ErrOutOfMemory b is left empty.
func (h *Heap) Refill(b *Buffer, size uint64) error {
	h.lock()
	if err := h.usable(); err != nil {
		h.mu.Unlock()
		return err
	}
	if b.heap != h {
		h.mu.Unlock()
		return ErrBufferAttached
	}
	err := h.space.Refill(b, size)
	h.unlockAndNotify()
	return err
}

// bump is the Go fast path: allocate size bytes from b, refilling it when
// needed, zero the body, write the header and set the start bit.
func (h *Heap) bump(b *Buffer, size uint64, typeID uint32, k Kind, payload uint32) (Ref, error) {
	if size > bufferChunk/4 {
		// Large objects would waste most of a buffer: place them directly.
		return h.alloc(size, typeID, k, payload)
	}
	if b.heap != h {
		return Null, ErrBufferAttached
	}
	if h.opts.Stress {
		// Every allocation collects (the locked path does) and buffers
		// stay empty, so inline allocations always fail their room check
		// and call the helper, which comes here.
		return h.alloc(size, typeID, k, payload)
	}
	for {
		c := *b.Cursor
		if size <= *b.Limit-c {
			*b.Cursor = c + size
			o := h.b[c : c+size]
			clear(o[HeaderSize:])
			le.PutUint32(o[TypeIDOffset:], typeID)
			le.PutUint32(o[GCBitsOffset:], uint32(k))
			if k != KindStruct {
				le.PutUint32(o[PayloadOffset:], payload)
			}
			h.starts.setShared(c)
			b.objects++
			return Ref(c), nil
		}
		if err := h.Refill(b, size); err != nil {
			if errors.Is(err, ErrOutOfMemory) {
				// A buffer needs an aligned run (buffer_align.go); the
				// object alone may still fit in a smaller free chunk.
				return h.alloc(size, typeID, k, payload)
			}
			return Null, err
		}
	}
}

// AllocStructIn is AllocStruct through the thread's buffer b.
func (h *Heap) AllocStructIn(b *Buffer, typeID uint32) (Ref, error) {
	l, err := h.layoutFor(typeID, KindStruct)
	if err != nil {
		return Null, err
	}
	return h.bump(b, uint64(l.Size), typeID, KindStruct, 0)
}

// AllocArrayIn is AllocArray through the thread's buffer b.
func (h *Heap) AllocArrayIn(b *Buffer, typeID uint32, n uint32) (Ref, error) {
	l, err := h.layoutFor(typeID, KindArray)
	if err != nil {
		return Null, err
	}
	return h.bump(b, l.ArraySize(n), typeID, KindArray, n)
}

// Refill implements Collector. The memory covers whole start-bitmap
// words (buffer_align.go).
func (ms *markSweep) Refill(b *Buffer, size uint64) error {
	ms.sealBuffer(b)
	start, end, err := ms.alignedBlock(size)
	if err != nil {
		return err
	}
	ms.hand(b, start, end)
	return nil
}

// hand makes [start, end) b's memory. It is not zeroed: every allocation
// from a buffer writes its whole object (buffer_init.go).
func (ms *markSweep) hand(b *Buffer, start, end uint64) {
	ms.poison(start, end)
	ms.dirtyTop = max(ms.dirtyTop, end)
	b.start, b.pub, *b.Cursor, *b.Limit = start, start, start, end
}

// Release implements Collector.
func (ms *markSweep) Release() {
	for _, b := range ms.buffers {
		b.objects, b.start, *b.Cursor, *b.Limit, b.heap = 0, 0, 0, 0, nil
	}
	ms.buffers, ms.chunks, ms.unpub, ms.cur, ms.limit = nil, nil, nil, 0, 0
}

// Attach implements Collector.
func (ms *markSweep) Attach(b *Buffer) { ms.buffers = append(ms.buffers, b) }

// Detach implements Collector.
func (ms *markSweep) Detach(b *Buffer) {
	ms.sealBuffer(b)
	for i, x := range ms.buffers {
		if x == b {
			ms.buffers = append(ms.buffers[:i], ms.buffers[i+1:]...)
			return
		}
	}
}

// sealBuffer heads b's unused rest as a free block, gives its bytes back
// to the accounting, folds in its object count and empties it.
func (ms *markSweep) sealBuffer(b *Buffer) {
	ms.retireUnpublished(b)
	c, l := *b.Cursor, *b.Limit
	if l > c && b.start != 0 {
		ms.h.writeFree(c, l-c)
		ms.stats.AllocatedBytes -= l - c
		ms.heldBytes -= l - c
		ms.sinceGC -= min(ms.sinceGC, l-c)
	}
	ms.stats.AllocatedObjects += ms.bufferObjects(b)
	b.objects, b.start, *b.Cursor, *b.Limit = 0, 0, 0, 0
}

// sealAll makes the heap parseable without emptying the buffers, for Walk
// and Verify: each buffer's rest gets a free header that its next bump
// overwrites.
func (ms *markSweep) sealAll() {
	ms.seal()
	ms.PublishStarts()
	for _, b := range ms.buffers {
		if c, l := *b.Cursor, *b.Limit; l > c {
			ms.h.writeFree(c, l-c)
		}
	}
}

// bufferObjects is how many objects b holds since its last refill: the
// start bits in [start, cursor), since native code bumps the buffer
// inline without counting (only the Go fast path increments objects).
func (ms *markSweep) bufferObjects(b *Buffer) uint64 {
	if b.start == 0 || *b.Cursor <= b.start {
		return 0
	}
	return ms.h.starts.count(b.start, *b.Cursor)
}
