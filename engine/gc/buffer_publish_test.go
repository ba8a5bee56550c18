package gc

import (
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
)

// nativeBump allocates as AOT code does inline: header (and array
// length) at the cursor, body zeroed, cursor bumped, no start bit. It
// reports false when the buffer has no room.
func nativeBump(h *Heap, b *Buffer, typeID uint32, k Kind, size uint64, n uint32) (Ref, bool) {
	c := *b.Cursor
	if size > *b.Limit-c {
		return Null, false
	}
	o := h.b[c : c+size]
	clear(o[HeaderSize:])
	le.PutUint32(o[TypeIDOffset:], typeID)
	le.PutUint32(o[GCBitsOffset:], uint32(k))
	if k == KindArray {
		le.PutUint32(o[ArrayLenOffset:], n)
	}
	*b.Cursor = c + size
	return Ref(c), true
}

// nativeMix allocates, native style, a chain of nodes with i8, i64 and ref
// arrays of varied lengths (so padding, and arrays whose size is not a
// multiple of 16) between them; each node's next field holds the
// previous node and its val its index. It returns the last node and every
// object made, stopping when the buffer is full.
func nativeMix(t *testing.T, h *testHeap, b *Buffer, prev Ref, count int) (Ref, []Ref) {
	t.Helper()
	var all []Ref
	for i := range count {
		var r Ref
		var ok bool
		switch i % 4 {
		case 1:
			n := uint32(i % 13)
			r, ok = nativeBump(h.Heap, b, tI8Arr, KindArray, h.Layout(tI8Arr).ArraySize(n), n)
		case 2:
			n := uint32(i % 5)
			r, ok = nativeBump(h.Heap, b, tI64Arr, KindArray, h.Layout(tI64Arr).ArraySize(n), n)
		case 3:
			n := uint32(i % 3)
			r, ok = nativeBump(h.Heap, b, tRefArr, KindArray, h.Layout(tRefArr).ArraySize(n), n)
		default:
			r, ok = nativeBump(h.Heap, b, tNode, KindStruct, uint64(h.Layout(tNode).Size), 0)
			if ok {
				le.PutUint32(h.b[uint64(r)+8:], uint32(prev))
				le.PutUint32(h.b[uint64(r)+12:], uint32(i))
				prev = r
			}
		}
		if !ok {
			break
		}
		all = append(all, r)
	}
	return prev, all
}

// startBuffer attaches a new buffer to h and allocates one struct through
// the runtime, which refills the buffer (and sets that object's bit).
func startBuffer(t *testing.T, h *testHeap) (*Buffer, Ref) {
	t.Helper()
	b := NewBuffer()
	if err := h.AttachBuffer(b); err != nil {
		t.Fatal(err)
	}
	first, err := h.AllocStructIn(b, tNode)
	if err != nil {
		t.Fatal(err)
	}
	return b, first
}

// TestNativeBumpsWithoutStartBits: objects allocated through a buffer
// without their start bits (as AOT code does) are seen by Valid and the
// accessors, by a walk (heap snapshots), by Verify and by a collection,
// and nothing beyond the cursor (poisoned) is taken for an object.
func TestNativeBumpsWithoutStartBits(t *testing.T) {
	h := newTestHeap(t, Options{Poison: true})
	b, first := startBuffer(t, h)
	last, objs := nativeMix(t, h, b, first, 300)
	if len(objs) != 300 {
		t.Fatalf("buffer full after %d objects", len(objs))
	}
	if h.starts.has(uint64(objs[0])) {
		t.Fatal("a native-style allocation has its start bit already")
	}
	if h.Valid(Ref(*b.Cursor)) {
		t.Fatal("the poisoned cursor is taken for an object")
	}
	// Valid on one unpublished object publishes them all.
	if !h.Valid(objs[len(objs)/2]) {
		t.Fatal("Valid rejects a native-style object")
	}
	for i, r := range objs {
		if !h.starts.has(uint64(r)) || h.SizeOf(r) == 0 {
			t.Fatalf("object %d (%#x) not published", i, r)
		}
	}
	if h.KindOf(Ref(uint64(objs[1])+8)) != KindFree {
		t.Fatal("an offset inside an object is valid")
	}
	// A second batch, seen first by a walk (as a heap snapshot takes it).
	last, more := nativeMix(t, h, b, last, 200)
	objs = append(objs, more...)
	walked := map[Ref]bool{}
	h.Walk(func(r Ref) bool {
		walked[r] = h.Valid(r) && h.SizeOf(r) != 0
		return true
	})
	for i, r := range append([]Ref{first}, objs...) {
		if !walked[r] {
			t.Fatalf("object %d (%#x) missed by the walk or invalid in it", i, r)
		}
	}
	if err := h.Verify(); err != nil {
		t.Fatal(err)
	}
	// A third batch, seen first by a collection: the chain of nodes from
	// the root survives, the arrays die.
	last, more = nativeMix(t, h, b, last, 100)
	nodes := 1
	for _, r := range append(objs, more...) {
		if Kind(h.b[uint64(r)+GCBitsOffset]&KindMask) == KindStruct {
			nodes++
		}
	}
	h.roots = []Ref{last}
	if err := h.Collect(); err != nil {
		t.Fatal(err)
	}
	if st := h.Stats(); st.LiveObjects != uint64(nodes) || st.BadRefs != 0 {
		t.Fatalf("after the collection: %d live objects, %d bad refs; want %d nodes live", st.LiveObjects, st.BadRefs, nodes)
	}
	n := 0
	for r := last; r != first; r = Ref(h.GetField(r, 0)) {
		if !h.Valid(r) || h.KindOf(r) != KindStruct {
			t.Fatalf("node %d of the chain (%#x) lost", n, r)
		}
		n++
	}
	if n+1 != nodes {
		t.Fatalf("chain of %d nodes, want %d", n+1, nodes)
	}
	if err := h.Verify(); err != nil {
		t.Fatal(err)
	}
}

// TestNativeBumpsStatsAndRefill: inline objects are counted by Stats
// before their buffer is published; a refill retires the old memory's
// objects without walking them, and Valid then finds them.
func TestNativeBumpsStatsAndRefill(t *testing.T) {
	h := newTestHeap(t, Options{Poison: true})
	b := NewBuffer()
	if err := h.AttachBuffer(b); err != nil {
		t.Fatal(err)
	}
	before := h.Stats()
	if _, err := h.AllocStructIn(b, tNode); err != nil {
		t.Fatal(err)
	}
	_, objs := nativeMix(t, h, b, Null, 50)
	if got := h.Stats().AllocatedObjects - before.AllocatedObjects; got != 51 {
		t.Fatalf("stats count %d objects, want 51", got)
	}
	_, more := nativeMix(t, h, b, Null, 1<<20) // fill the buffer
	if err := h.Refill(b, 16); err != nil {
		t.Fatal(err)
	}
	if h.starts.has(uint64(more[0])) {
		t.Fatal("the refill walked the retired memory")
	}
	if !h.Valid(more[len(more)-1]) {
		t.Fatal("Valid rejects an object of retired memory")
	}
	for i, r := range append(objs, more...) {
		if !h.starts.has(uint64(r)) {
			t.Fatalf("object %d (%#x) of the retired memory has no start bit", i, r)
		}
	}
	if got, want := h.Stats().AllocatedObjects-before.AllocatedObjects, uint64(1+len(objs)+len(more)); got != want {
		t.Fatalf("stats count %d objects, want %d", got, want)
	}
	if err := h.Verify(); err != nil {
		t.Fatal(err)
	}
}

// TestDeadStretchesNeverWalked: a collection walks only the retired
// buffer memory its marking reaches; the rest is freed without its
// objects counted, and the counts stay consistent (allocated minus freed
// objects is the live count).
func TestDeadStretchesNeverWalked(t *testing.T) {
	h := newTestHeap(t, Options{Poison: true})
	b, _ := startBuffer(t, h)
	var keep Ref
	for round := range 4 { // four buffers' worth; a node of round 2 stays
		last, _ := nativeMix(t, h, b, Null, 1<<20)
		if round == 2 {
			keep = last
		}
		if err := h.Refill(b, 16); err != nil {
			t.Fatal(err)
		}
	}
	h.roots = []Ref{keep}
	if err := h.Collect(); err != nil {
		t.Fatal(err)
	}
	st := h.Stats()
	if st.BadRefs != 0 || st.LiveObjects == 0 || !h.Valid(keep) || h.KindOf(keep) != KindStruct {
		t.Fatalf("kept chain lost: %+v", st)
	}
	if st.AllocatedObjects-st.FreedObjects != st.LiveObjects {
		t.Fatalf("allocated %d - freed %d objects != live %d", st.AllocatedObjects, st.FreedObjects, st.LiveObjects)
	}
	// Only the stretch holding the chain (its nodes and arrays) was
	// walked and counted, plus the first Go allocation.
	perBuffer := uint64(bufferChunk / 16)
	if st.AllocatedObjects > perBuffer {
		t.Fatalf("%d objects counted: more than the one stretch the mark reached", st.AllocatedObjects)
	}
	if err := h.Verify(); err != nil {
		t.Fatal(err)
	}
}

// rwWorld stops threads that hold its read lock between safepoints.
type rwWorld struct{ mu sync.RWMutex }

func (w *rwWorld) Stop()              { w.mu.Lock() }
func (w *rwWorld) Start()             { w.mu.Unlock() }
func (w *rwWorld) Blocking(fn func()) { fn() }

// TestNativeBumpsSeenByOtherThread: a thread validating references that
// other threads allocated native style and just shared (as through a
// global) finds them, with the allocating threads stopped while their
// buffers are published. Run it under -race.
func TestNativeBumpsSeenByOtherThread(t *testing.T) {
	h := newTestHeap(t, Options{InitialBytes: 16 << 20, Poison: true})
	w := &rwWorld{}
	h.SetWorld(w)
	const workers, each = 3, 20000
	var shared [workers]atomic.Uint32
	var done atomic.Int32
	var wg sync.WaitGroup
	for k := range workers {
		b := NewBuffer()
		if err := h.AttachBuffer(b); err != nil {
			t.Fatal(err)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer done.Add(1)
			size := uint64(h.Layout(tNode).Size)
			for i := 0; i < each; {
				w.mu.RLock() // running Wasm: no safepoint until RUnlock
				for ; i < each && i%64 != 63; i++ {
					r, ok := nativeBump(h.Heap, b, tNode, KindStruct, size, 0)
					if !ok {
						break
					}
					le.PutUint32(h.b[uint64(r)+12:], uint32(i))
					shared[k].Store(uint32(r))
				}
				w.mu.RUnlock() // a call: a safepoint
				if *b.Limit-*b.Cursor < size {
					if err := h.Refill(b, size); err != nil {
						t.Error(err)
						return
					}
				}
				i++
				runtime.Gosched()
			}
		}()
	}
	checked := 0
	for done.Load() < workers {
		for k := range workers {
			r := Ref(shared[k].Load())
			if r == Null {
				continue
			}
			if !h.Valid(r) || h.KindOf(r) != KindStruct {
				t.Fatalf("worker %d's object %#x is not valid", k, r)
			}
			checked++
		}
	}
	wg.Wait()
	if err := h.Verify(); err != nil {
		t.Fatal(err)
	}
	t.Logf("%d references checked", checked)
}

// TestPublishOwn: the buffer's own thread sets its inline objects' bits
// without the lock, and the accessors then find them on the fast path.
func TestPublishOwn(t *testing.T) {
	h := newTestHeap(t, Options{Poison: true})
	b, _ := startBuffer(t, h)
	_, objs := nativeMix(t, h, b, Null, 40)
	h.PublishOwn(b)
	for i, r := range objs {
		if !h.starts.has(uint64(r)) {
			t.Fatalf("object %d (%#x) has no start bit after PublishOwn", i, r)
		}
	}
	if h.starts.has(uint64(*b.Cursor)) {
		t.Fatal("a bit at the cursor")
	}
	_, more := nativeMix(t, h, b, Null, 40)
	if h.starts.has(uint64(more[0])) {
		t.Fatal("a new object has its bit before PublishOwn")
	}
	h.PublishOwn(b)
	h.PublishOwn(b) // nothing new: no change
	if !h.starts.has(uint64(more[39])) {
		t.Fatal("the second PublishOwn missed an object")
	}
	if err := h.Verify(); err != nil {
		t.Fatal(err)
	}
}

// TestCountInlineObjects: with CountInlineObjects every inline object is
// counted once, dead or alive, and a refill walks the retired memory.
func TestCountInlineObjects(t *testing.T) {
	for _, count := range []bool{false, true} {
		h := newTestHeap(t, Options{Poison: true})
		h.CountInlineObjects(count)
		b, _ := startBuffer(t, h)
		made := uint64(1)
		for range 3 {
			_, objs := nativeMix(t, h, b, Null, 1<<20)
			made += uint64(len(objs))
			if err := h.Refill(b, 16); err != nil {
				t.Fatal(err)
			}
			if got := h.starts.has(uint64(objs[0])); got != count {
				t.Fatalf("count %v: start bit after the refill %v", count, got)
			}
		}
		if err := h.Collect(); err != nil {
			t.Fatal(err)
		}
		st := h.Stats()
		if count && (st.AllocatedObjects != made || st.FreedObjects != made) {
			t.Fatalf("counting: %d allocated, %d freed objects; want %d each", st.AllocatedObjects, st.FreedObjects, made)
		}
		if !count && st.AllocatedObjects != 1 {
			t.Fatalf("not counting: %d allocated objects, want the Go one only", st.AllocatedObjects)
		}
		if err := h.Verify(); err != nil {
			t.Fatal(err)
		}
	}
}

// TestNativeBumpsToHeapEnd: inline allocations that fill a buffer up to
// the end of a heap grown by a size that is not a whole number of pages
// are published and survive a collection. The region commits whole pages,
// and the start bitmap covered only the size asked for, so the last
// page's objects had no bitmap word: binary_trees at depth 16 grew its
// heap so through AOT code and every later collection reported the heap
// corrupt.
func TestNativeBumpsToHeapEnd(t *testing.T) {
	const initial, max = 1 << 17, 1<<18 - 1664 // max not a whole number of pages
	h := newTestHeap(t, Options{InitialBytes: initial, MaxBytes: max})
	b := NewBuffer()
	if err := h.AttachBuffer(b); err != nil {
		t.Fatal(err)
	}
	last, n, end := Null, 0, uint64(0)
	for {
		r, ok := nativeBump(h.Heap, b, tNode, KindStruct, uint64(h.Layout(tNode).Size), 0)
		if !ok {
			h.roots = []Ref{last}
			if end = *b.Cursor; h.Refill(b, 16) != nil {
				break
			}
			continue
		}
		le.PutUint32(h.b[uint64(r)+8:], uint32(last))
		last, n = r, n+1
	}
	if uint64(len(h.b)) <= initial || end != uint64(len(h.b)) {
		t.Fatalf("the buffer stopped at %#x; the heap grew from %#x to %#x", end, initial, len(h.b))
	}
	if words := uint64(len(h.starts)); uint64(len(h.b))>>StartWordShift >= words {
		t.Fatalf("%d committed heap bytes, start bitmap of %d words", len(h.b), words)
	}
	h.roots = []Ref{last}
	if err := h.Collect(); err != nil {
		t.Fatalf("collect: %v", err)
	}
	if err := h.Verify(); err != nil {
		t.Fatal(err)
	}
	got := 0
	for r := last; r != Null; r = Ref(le.Uint32(h.b[uint64(r)+8:])) {
		got++
	}
	if live, _ := h.count(); got != n || live != n {
		t.Fatalf("chain of %d nodes, %d objects live; allocated %d", got, live, n)
	}
}
