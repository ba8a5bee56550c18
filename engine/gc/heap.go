package gc

import (
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gcscope/gcscope/engine/mem"
)

// Heap sizing.
const (
	// DefaultMaxBytes is the heap maximum when Options.MaxBytes is 0.
	DefaultMaxBytes = 512 << 20
	// LimitBytes is the largest heap: offsets must fit a 32-bit Ref.
	LimitBytes = 4 << 30
	// DefaultInitialBytes is committed at creation when
	// Options.InitialBytes is 0 (or the maximum, if smaller).
	DefaultInitialBytes = 4 << 20
	// heapStart is the first object offset: 0..7 are reserved so that no
	// object is at offset 0, which is null.
	heapStart = 8
	// maxTypeID bounds canonical type ids so the layout table stays a
	// slice: the type registry hands out dense small ids.
	maxTypeID = 1 << 24
)

// Options configure a heap.
type Options struct {
	// MaxBytes is the heap maximum (--heap-size): address space for it is
	// reserved up front and committed as the heap grows. 0 means
	// DefaultMaxBytes; values above LimitBytes are clamped to it.
	MaxBytes uint64
	// InitialBytes is committed at creation (0: DefaultInitialBytes).
	InitialBytes uint64
	// Stress collects before every allocation, to expose missing roots.
	Stress bool
	// Poison fills buffer memory with PoisonByte when a refill hands it
	// out, so an allocation that does not write its whole object shows
	// (buffer_init.go). The GCSCOPE_GC_POISON environment variable turns
	// it on for every heap.
	Poison bool
}

// Stats are the heap's counters. Totals run from the heap's creation; the
// Live figures are those found by the last collection.
type Stats struct {
	Collections uint64
	TotalPause  time.Duration
	MaxPause    time.Duration
	LastPause   time.Duration

	LiveBytes   uint64 // reachable at the last collection
	LiveObjects uint64

	FreedBytes   uint64 // total reclaimed by all collections
	FreedObjects uint64

	AllocatedBytes   uint64 // total ever allocated
	AllocatedObjects uint64

	CommittedBytes   uint64 // heap memory currently committed
	DecommittedBytes uint64 // total free memory handed back to the OS
	MaxBytes         uint64 // the reservation: the heap never grows past it

	// BadRefs counts references met while marking (in roots or fields)
	// that did not point at an object: a runtime bug, shown by the
	// debugger and by tests instead of corrupting the heap.
	BadRefs uint64

	// LateStops counts the times an access (Valid, an accessor) met an
	// object allocated inline whose start bit was not set yet and stopped
	// the world to set it (buffer_publish.go). The runtime sets its own
	// buffer's bits before it hands objects to hosts, so this stays low.
	LateStops uint64
}

// Heap is one store's GC heap. Allocation, collection, Walk, handles and
// type definition take a mutex; the accessors (GetField, SetElem, ...) and
// the fast path of allocation through a Buffer do not, and must not run
// concurrently with a collection or a growth of the heap (which reassigns
// the slice of heap bytes and the bitmaps). With several threads the
// runtime installs a World (SetWorld): collections and growth then stop
// every other thread first.
type Heap struct {
	mu      sync.Mutex
	region  *mem.Region
	b       []byte // the committed heap; reassigned when the heap grows
	max     uint64 // reserved bytes
	opts    Options
	layouts atomic.Pointer[[]*Layout] // by canonical type id; copied on write
	starts  bitmap                    // where objects start (bitmap.go)
	bitmaps [2]*bitmapMem             // backing of starts and of the collector's marks
	space   Collector
	roots   RootSource
	handles handleTable
	world   World // the runtime's threads, nil until SetWorld

	walking     atomic.Bool
	countInline bool   // publish every sealed buffer's start bits (CountInlineObjects)
	lateStops   uint64 // Stats.LateStops
	externFreed func(hostIndex uint32)
	onCollect   func(Stats)
	reported    uint64   // Collections already reported to onCollect
	externs     []uint64 // offsets of the extern wrappers allocated
	freed       []uint32 // extern host indices freed by the last sweep, to report
	closed      bool
}

// New creates a heap, reserving Options.MaxBytes of address space.
func New(opts Options) (*Heap, error) {
	max := opts.MaxBytes
	if max == 0 {
		max = DefaultMaxBytes
	}
	max = min(max, LimitBytes)
	max = (max + 7) &^ 7
	if max < 4096 {
		max = 4096
	}
	initial := opts.InitialBytes
	if initial == 0 {
		initial = DefaultInitialBytes
	}
	initial = min(initial, max)
	r, err := mem.Reserve(max)
	if err != nil {
		return nil, fmt.Errorf("gc: %w", err)
	}
	if err := r.Commit(initial); err != nil {
		r.Close()
		return nil, fmt.Errorf("gc: %w", err)
	}
	opts.MaxBytes, opts.InitialBytes = max, initial
	opts.Poison = opts.Poison || poisonFromEnv()
	h := &Heap{region: r, max: max, opts: opts}
	for i := range h.bitmaps {
		// Sized for the reservation, which is max rounded up to whole
		// pages: commits cover whole pages (commit).
		if h.bitmaps[i], err = newBitmapMem(r.Reserved()); err != nil {
			h.closeMemory()
			return nil, fmt.Errorf("gc: %w", err)
		}
	}
	h.layouts.Store(new([]*Layout))
	h.b = r.Bytes()
	if h.starts, err = h.bitmaps[0].cover(uint64(len(h.b))); err != nil {
		h.closeMemory()
		return nil, fmt.Errorf("gc: %w", err)
	}
	h.space = newMarkSweep(h, h.bitmaps[1])
	return h, nil
}

// Close frees the heap's memory. Every Ref into it becomes meaningless;
// later calls fail with ErrClosed or return zero values.
func (h *Heap) Close() error {
	h.lock()
	defer h.mu.Unlock()
	if h.closed {
		return nil
	}
	if h.walking.Load() {
		return ErrBusy
	}
	h.closed = true
	h.space.Release()
	h.b, h.starts = nil, nil
	return h.closeMemory()
}

// closeMemory unmaps the heap and its bitmaps.
func (h *Heap) closeMemory() error {
	err := h.region.Close()
	for _, m := range h.bitmaps {
		if m != nil {
			m.r.Close()
		}
	}
	return err
}

// StartBitmap is the address of the start bitmap, for the exec env record:
// bit (off>>3)&63 of the little-endian uint64 at index off>>9 is set where
// an object starts at heap offset off. It never moves. Inline allocators
// (AOT code, ABI 5) leave the bits of their objects to the runtime, which
// sets them late (buffer_publish.go); writing them from outside is
// allowed (an atomic or) but not needed.
func (h *Heap) StartBitmap() uintptr { return h.bitmaps[0].r.Base() }

// Base is the address of offset 0 of the heap: AOT code adds a Ref to it.
func (h *Heap) Base() uintptr { return h.region.Base() }

// DefineType registers the layout of canonical type id. The heap finds an
// object's layout through the id in its header, so every struct, array and
// exception tag type must be defined before objects of it are allocated.
// Defining an id again with the same shape is allowed (each module
// instantiation may do it); a different shape is ErrTypeConflict.
func (h *Heap) DefineType(id uint32, l *Layout) error {
	if l == nil || (l.Kind != KindStruct && l.Kind != KindArray && l.Kind != KindExn) {
		return fmt.Errorf("%w: id %d", ErrUndefinedType, id)
	}
	if id >= maxTypeID {
		return fmt.Errorf("gc: type id %d is too large", id)
	}
	h.lock()
	defer h.mu.Unlock()
	old := *h.layouts.Load()
	if int(id) < len(old) && old[id] != nil {
		if sameShape(old[id], l) {
			return nil
		}
		return fmt.Errorf("%w: id %d", ErrTypeConflict, id)
	}
	// Copy on write: accessors load the table without the mutex.
	n := make([]*Layout, max(len(old), int(id)+1))
	copy(n, old)
	n[id] = l
	h.layouts.Store(&n)
	return nil
}

// Layout returns the layout registered for a canonical type id, or nil.
func (h *Heap) Layout(id uint32) *Layout {
	ls := *h.layouts.Load()
	if int64(id) < int64(len(ls)) {
		return ls[id]
	}
	return nil
}

// OnExternFreed sets a function told the host index of every extern
// wrapper the collector frees, so the runtime can release the host value.
// It is called after the collection, outside the heap's lock.
func (h *Heap) OnExternFreed(fn func(hostIndex uint32)) {
	h.lock()
	h.externFreed = fn
	h.mu.Unlock()
}

// Collect runs a full collection now.
func (h *Heap) Collect() error {
	h.lock()
	if err := h.usable(); err != nil {
		h.mu.Unlock()
		return err
	}
	err := h.space.Collect()
	h.unlockAndNotify()
	return err
}

// Stats returns the heap's counters.
func (h *Heap) Stats() Stats {
	h.lock()
	defer h.mu.Unlock()
	if !h.closed {
		h.publishAll() // the counts are start bits (bufferObjects)
	}
	return h.statsLocked()
}

func (h *Heap) statsLocked() Stats {
	s := h.space.Stats()
	s.CommittedBytes = uint64(len(h.b))
	s.MaxBytes = h.max
	s.LateStops = h.lateStops
	return s
}

// Walk calls fn for every allocated object in address order until fn
// returns false. Objects that became unreachable since the last collection
// are included: call Collect first to visit only live ones. While a walk
// runs the heap is frozen: allocation, collection and Close fail with
// ErrBusy (from any goroutine), and a nested Walk does nothing; accessors,
// handles, Stats and Roots work, so fn may use them.
func (h *Heap) Walk(fn func(r Ref) bool) {
	h.lock()
	if h.closed || h.walking.Load() {
		h.mu.Unlock()
		return
	}
	// Set under the mutex: allocation checks it under the mutex too, so no
	// allocation can slip in once the walk has started.
	h.walking.Store(true)
	h.mu.Unlock()
	defer h.walking.Store(false)
	h.space.Walk(fn)
}

// unlockAndNotify releases the mutex, then reports freed extern wrappers,
// so the callback may use the heap.
func (h *Heap) unlockAndNotify() {
	freed, fn := h.freed, h.externFreed
	h.freed = nil
	var st Stats
	collected := false
	if h.onCollect != nil {
		if st = h.statsLocked(); st.Collections != h.reported {
			h.reported, collected = st.Collections, true
		}
	}
	report := h.onCollect
	h.mu.Unlock()
	if fn != nil {
		for _, x := range freed {
			fn(x)
		}
	}
	if collected {
		report(st)
	}
}

// OnCollect sets a function called after every collection with the
// heap's stats (outside the heap's lock, so it may use the heap): the
// CLI's GC trace and the debugger's GC events use it. Several collections
// in one allocation are reported once.
func (h *Heap) OnCollect(fn func(Stats)) {
	h.lock()
	h.onCollect = fn
	h.reported = h.space.Stats().Collections
	h.mu.Unlock()
}

// commit grows the committed heap to at least n bytes (clamped to the
// reservation) and returns the old and new committed sizes.
func (h *Heap) commit(n uint64) (old, now uint64, err error) {
	old = uint64(len(h.b))
	n = min(n, h.max)
	if n <= old {
		return old, old, nil
	}
	// The bitmap first: a heap byte must never lack its bit. The region
	// commits whole pages, so the bitmap covers all of them: covering only
	// n left the last page's objects without a bitmap word, and a buffer
	// that filled up to the heap's end made the next publish report the
	// heap corrupt (binary_trees at depth 16 through AOT code).
	want, ok := mem.CommitSize(n)
	if !ok {
		return old, old, fmt.Errorf("gc: heap commit of %d bytes overflows", n)
	}
	starts, err := h.bitmaps[0].cover(want)
	if err != nil {
		return old, old, err
	}
	if err := h.region.Commit(n); err != nil {
		return old, old, err
	}
	h.b, h.starts = h.region.Bytes(), starts
	return old, uint64(len(h.b)), nil
}

// usable reports why the heap cannot allocate or collect now; the mutex is
// held.
func (h *Heap) usable() error {
	if h.closed {
		return ErrClosed
	}
	if h.walking.Load() {
		return ErrBusy
	}
	return nil
}

// dropDeadExterns forgets the extern wrappers that marked does not hold
// and queues their host indices for OnExternFreed. The collector calls it
// between marking and sweeping, while the wrappers are still intact.
func (h *Heap) dropDeadExterns(marked func(off uint64) bool) {
	kept := h.externs[:0]
	for _, off := range h.externs {
		if marked(off) {
			kept = append(kept, off)
		} else {
			h.freed = append(h.freed, le.Uint32(h.b[off+PayloadOffset:]))
		}
	}
	h.externs = kept
}
