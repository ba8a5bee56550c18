package gc

// Allocation without a collection.
//
// The AOT tier's allocation slow path (a helper call out of native code)
// must make the native frames visible to the collector (the loader's
// frame records) before anything that may collect, which costs a walk of
// the native stack. Most slow-path calls only need a buffer refill that
// neither collects nor grows the heap (binary_trees: every 32 KiB), so the
// helper first tries the Try* methods below, which do exactly that or
// nothing, and take the heap's lock only if it is free at once: a thread
// that had to wait for it would have to count as outside Wasm, which
// needs its frames committed.

// TryAllocStructIn is AllocStructIn when the buffer has room or a refill
// needs no collection, no heap growth and no wait for the heap's lock;
// otherwise it reports false and allocates nothing.
func (h *Heap) TryAllocStructIn(b *Buffer, typeID uint32) (Ref, bool) {
	l, err := h.layoutFor(typeID, KindStruct)
	if err != nil {
		return Null, false
	}
	return h.tryBump(b, uint64(l.Size), typeID, KindStruct, 0)
}

// TryAllocArrayIn is AllocArrayIn as TryAllocStructIn is AllocStructIn.
func (h *Heap) TryAllocArrayIn(b *Buffer, typeID uint32, n uint32) (Ref, bool) {
	l, err := h.layoutFor(typeID, KindArray)
	if err != nil {
		return Null, false
	}
	return h.tryBump(b, l.ArraySize(n), typeID, KindArray, n)
}

// tryBump is bump without the locked paths that may collect.
func (h *Heap) tryBump(b *Buffer, size uint64, typeID uint32, k Kind, payload uint32) (Ref, bool) {
	if size > bufferChunk/4 || b.heap != h || h.opts.Stress {
		return Null, false
	}
	if size > *b.Limit-*b.Cursor && !h.tryRefill(b, size) {
		return Null, false
	}
	r, err := h.bump(b, size, typeID, k, payload) // fits: takes no lock
	return r, err == nil
}

// tryRefill is Refill when the heap's lock is free and the refill needs
// no collection and no growth.
func (h *Heap) tryRefill(b *Buffer, size uint64) bool {
	if !h.mu.TryLock() {
		return false
	}
	defer h.mu.Unlock()
	if h.usable() != nil || b.heap != h {
		return false
	}
	return h.space.TryRefill(b, size)
}

// TryRefill implements Collector: it refills when the heap's own buffer
// holds an aligned run of the size, or when pacing does not ask for a
// collection and a free chunk holds one (what allocSlow would then take).
func (ms *markSweep) TryRefill(b *Buffer, size uint64) bool {
	if ms.err != nil || ms.h.opts.Stress {
		return false
	}
	need := alignUp(size, StartWordBytes)
	if !ms.heapBufferHolds(need) {
		if ms.sinceGC >= ms.budget || !ms.chunkHolds(need) {
			return false
		}
	}
	ms.sealBuffer(b)
	start, end, err := ms.alignedBlock(size)
	if err != nil {
		return false // cannot happen: the checks above found the memory
	}
	ms.hand(b, start, end)
	return true
}

// heapBufferHolds reports whether the heap's own buffer holds need bytes
// at a start-bitmap word boundary.
func (ms *markSweep) heapBufferHolds(need uint64) bool {
	a := alignUp(ms.cur, StartWordBytes)
	return ms.cur != 0 && a <= ms.limit && need <= ms.limit-a
}

// chunkHolds reports whether a free chunk take would look at holds need
// bytes at a start-bitmap word boundary.
func (ms *markSweep) chunkHolds(need uint64) bool {
	for i := ms.next; i < len(ms.chunks); i++ {
		if fitAligned(&ms.chunks[i], need, StartWordBytes) {
			return true
		}
	}
	return false
}
