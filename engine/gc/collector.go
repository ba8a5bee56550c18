package gc

// Collector places and reclaims heap blocks: the part of the heap another
// collector (generational, concurrent, ...) would replace. The Heap owns the
// object model (headers, layouts, the start bitmap, roots, handles) and
// calls the Collector with its mutex held.
type Collector interface {
	// Allocate returns the offset of a block of size bytes (a multiple of
	// 8), collecting and growing the heap as needed, or ErrOutOfMemory.
	// The block's contents are undefined; the heap writes the header.
	Allocate(size uint64) (off uint64, err error)
	// Refill gives a thread's allocation buffer fresh zeroed memory for
	// at least size bytes, sealing what was left in it.
	Refill(b *Buffer, size uint64) error
	// TryRefill is Refill when it needs neither a collection nor heap
	// growth; otherwise it reports false and leaves b as it was.
	TryRefill(b *Buffer, size uint64) bool
	// Attach and Detach register the buffers that collections must seal
	// and empty.
	Attach(b *Buffer)
	Detach(b *Buffer)
	// Release empties every buffer and forgets all free memory: the heap
	// is closing.
	Release()
	// Collect reclaims every object not reachable from the roots.
	Collect() error
	// Walk calls fn for every allocated object until it returns false.
	Walk(fn func(Ref) bool)
	// Stats reports the counters the collector keeps.
	Stats() Stats
	// Start bits of inline allocations are set late (buffer_publish.go):
	// PublishRetired sets those of the retired buffer memory holding off
	// and reports whether an object starts there; InLiveBuffer reports
	// whether off lies past a live buffer's published objects;
	// PublishStarts sets every missing bit, with the threads stopped.
	PublishRetired(off uint64) bool
	InLiveBuffer(off uint64) bool
	PublishStarts()
}
