package gc

import (
	"errors"
	"fmt"
	"os"
	"testing"
)

// list builds n nodes linked through field 0, values 0..n-1 from the head.
func (th *testHeap) list(t testing.TB, n int) Ref {
	head := Null
	for i := n - 1; i >= 0; i-- {
		// The partial list must stay rooted while allocating.
		th.roots = append(th.roots, head)
		head = th.node(t, head, int32(i))
		th.roots = th.roots[:len(th.roots)-1]
	}
	return head
}

func (th *testHeap) checkList(t testing.TB, head Ref, n int) {
	t.Helper()
	r := head
	for i := 0; i < n; i++ {
		if th.KindOf(r) != KindStruct || th.GetField(r, 1) != uint64(i) {
			t.Fatalf("list node %d damaged", i)
		}
		r = Ref(th.GetField(r, 0))
	}
	if r != Null {
		t.Fatal("list too long")
	}
}

// tree builds a complete binary tree of depth d out of pairs; leaves are
// i31s. It returns the root and the number of pairs.
func (th *testHeap) tree(t testing.TB, d int) (Ref, int) {
	if d == 0 {
		return MakeI31(int32(d)), 0
	}
	l, nl := th.tree(t, d-1)
	th.roots = append(th.roots, l)
	r, nr := th.tree(t, d-1)
	th.roots = append(th.roots, r)
	p, err := th.AllocStruct(tPair)
	if err != nil {
		t.Fatal(err)
	}
	th.roots = th.roots[:len(th.roots)-2]
	th.SetField(p, 0, uint64(l))
	th.SetField(p, 1, uint64(r))
	return p, nl + nr + 1
}

func TestCollectGraphs(t *testing.T) {
	for _, stress := range []bool{false, true} {
		h := newTestHeap(t, Options{Stress: stress, InitialBytes: 64 << 10})
		keptList := h.list(t, 100)
		h.roots = append(h.roots, keptList)
		h.list(t, 50) // garbage
		keptTree, pairs := h.tree(t, 6)
		h.roots = append(h.roots, keptTree)
		h.tree(t, 5) // garbage
		// A cycle kept through a handle, and a garbage cycle.
		a := h.node(t, Null, 1007)
		hd := h.Pin(a)
		b := h.node(t, a, 1008)
		h.SetField(a, 0, uint64(b))
		c := h.node(t, Null, 1009)
		h.roots = append(h.roots, c) // only while d is allocated
		d := h.node(t, c, 1010)
		h.roots = h.roots[:len(h.roots)-1]
		h.SetField(c, 0, uint64(d))
		// An array holding a node, an extern and a funcref, rooted.
		arr, _ := h.AllocArray(tRefArr, 3)
		h.roots = append(h.roots, arr)
		x, _ := h.AllocExtern(1)
		h.SetElem(arr, 0, uint64(x))
		f, _ := h.AllocFunc(2)
		h.SetElem(arr, 1, uint64(f))
		e, _ := h.AllocExn(tExn, 4)
		h.SetElem(arr, 2, uint64(e))
		en := h.node(t, Null, 11)
		h.SetField(e, 1, uint64(en))
		h.AllocExtern(3) // garbage

		if err := h.Collect(); err != nil {
			t.Fatal(err)
		}
		wantObjs := 100 + pairs + 2 + 1 + 3 + 1
		n, bytes := h.count()
		st := h.Stats()
		if n != wantObjs || st.LiveObjects != uint64(n) || st.LiveBytes != bytes {
			t.Fatalf("stress=%v: %d objects (%d bytes) after collection, stats %d (%d), want %d",
				stress, n, bytes, st.LiveObjects, st.LiveBytes, wantObjs)
		}
		if st.BadRefs != 0 {
			t.Fatalf("%d bad refs", st.BadRefs)
		}
		h.checkList(t, keptList, 100)
		if err := h.Verify(); err != nil {
			t.Fatal(err)
		}
		if h.Deref(hd) != a || Ref(h.GetField(a, 0)) != b || Ref(h.GetField(b, 0)) != a || h.GetField(b, 1) != 1008 {
			t.Fatal("pinned cycle damaged")
		}
		// Freed slots may hold newer objects (stress mode reuses them at
		// once), so look for the garbage by value.
		if h.hasNode(1009) || h.hasNode(1010) {
			t.Fatal("garbage cycle survived")
		}
		if id, ok := h.ExternHost(Ref(h.GetElem(arr, 0))); !ok || id != 1 {
			t.Fatal("extern lost")
		}
		if Ref(h.GetField(e, 1)) != en || h.GetField(en, 1) != 11 {
			t.Fatal("exception payload not scanned")
		}
		// Unpinning frees the cycle.
		h.Unpin(hd)
		h.Collect()
		if n2, _ := h.count(); n2 != wantObjs-2 || h.hasNode(1007) {
			t.Fatalf("after unpin: %d objects, want %d", n2, wantObjs-2)
		}
		if h.Deref(hd) != Null {
			t.Fatal("stale handle dereferenced")
		}
		// Dropping all roots frees everything.
		h.roots = nil
		h.Collect()
		if n3, _ := h.count(); n3 != 0 || h.Stats().LiveBytes != 0 {
			t.Fatalf("%d objects survive with no roots", n3)
		}
	}
}

// hasNode reports whether a node with value v is allocated.
func (th *testHeap) hasNode(v uint64) bool {
	found := false
	th.Walk(func(r Ref) bool {
		found = th.TypeOf(r) == tNode && th.GetField(r, 1) == v
		return !found
	})
	return found
}

// Stress mode collects at every allocation, so an object the test forgets
// to root is freed at once.
func TestStressFreesUnrooted(t *testing.T) {
	h := newTestHeap(t, Options{Stress: true})
	a := h.node(t, Null, 1) // not rooted
	h.node(t, Null, 2)
	if h.Valid(a) && h.TypeOf(a) == tNode && h.GetField(a, 1) == 1 {
		// a's slot may have been reused by the second node; what matters
		// is that the first node was collected.
		t.Fatal("unrooted node survived an allocation in stress mode")
	}
	if h.Stats().Collections < 2 {
		t.Fatal("stress mode did not collect at every allocation")
	}
}

func TestBadRootsCounted(t *testing.T) {
	h := newTestHeap(t, Options{})
	n := h.node(t, Null, 1)
	h.roots = []Ref{n + 8, 12345678, MakeI31(5), Null}
	h.Collect()
	if st := h.Stats(); st.BadRefs != 2 {
		t.Fatalf("BadRefs = %d, want 2", st.BadRefs)
	}
}

func TestExternFreedCallback(t *testing.T) {
	h := newTestHeap(t, Options{})
	var freed []uint32
	h.OnExternFreed(func(i uint32) {
		freed = append(freed, i)
		// The callback runs outside the lock: it may use the heap.
		if _, err := h.AllocStruct(tEmpty); err != nil {
			t.Error(err)
		}
	})
	x, _ := h.AllocExtern(5)
	h.AllocExtern(6)
	h.roots = []Ref{x}
	h.Collect()
	if len(freed) != 1 || freed[0] != 6 {
		t.Fatalf("freed %v, want [6]", freed)
	}
}

func TestRootsEnumeration(t *testing.T) {
	h := newTestHeap(t, Options{})
	n := h.node(t, Null, 1)
	h.roots = []Ref{n}
	hd := h.Pin(n)
	var kinds []RootKind
	h.Roots(func(r Ref, at RootPlace) {
		if r != n {
			t.Errorf("root %#x", uint32(r))
		}
		kinds = append(kinds, at.Kind)
	})
	if len(kinds) != 2 || kinds[0] != RootGlobal || kinds[1] != RootHandle {
		t.Fatalf("root kinds %v", kinds)
	}
	h.Unpin(hd)
	h.Unpin(hd) // twice: ignored
	if h.Handles() != 0 {
		t.Fatal("handle count")
	}
	// SetRoots, the unclassified form.
	h.SetRoots(func(visit func(Ref)) { visit(n) })
	h.Collect()
	if !h.Valid(n) {
		t.Fatal("root from SetRoots not kept")
	}
	h.SetRoots(nil)
	h.Collect()
	if h.Valid(n) {
		t.Fatal("object kept with no roots")
	}
}

// Garbage allocated forever runs in bounded memory: sweeping reclaims it
// and the heap does not grow.
func TestGarbageLoopBounded(t *testing.T) {
	h := newTestHeap(t, Options{MaxBytes: 1 << 20, InitialBytes: 256 << 10})
	keep := h.list(t, 1000)
	h.roots = []Ref{keep}
	for i := 0; i < 200000; i++ {
		var err error
		switch i % 4 {
		case 0:
			_, err = h.AllocStruct(tNode)
		case 1:
			_, err = h.AllocArray(tI8Arr, uint32(i%300))
		case 2:
			_, err = h.AllocArray(tI64Arr, uint32(i%100))
		case 3:
			_, err = h.AllocExtern(uint32(i))
		}
		if err != nil {
			t.Fatalf("allocation %d: %v (stats %+v)", i, err, h.Stats())
		}
	}
	if err := h.Verify(); err != nil {
		t.Fatal(err)
	}
	st := h.Stats()
	if st.CommittedBytes > 512<<10 || st.Collections == 0 || st.FreedBytes == 0 {
		t.Fatalf("garbage loop: %+v", st)
	}
	h.checkList(t, keep, 1000)
}

func TestOutOfMemory(t *testing.T) {
	h := newTestHeap(t, Options{MaxBytes: 64 << 10, InitialBytes: 4096})
	var live []Ref
	var err error
	for {
		var r Ref
		r, err = h.AllocStruct(tNode)
		if err != nil {
			break
		}
		live = append(live, r)
		h.roots = live
	}
	if !errors.Is(err, ErrOutOfMemory) || err.Error() != "out of memory" {
		t.Fatalf("err = %v", err)
	}
	st := h.Stats()
	if st.Collections == 0 || st.CommittedBytes != 64<<10 {
		t.Fatalf("did not collect and grow before failing: %+v", st)
	}
	if len(live) < (64<<10)/16*9/10 {
		t.Fatalf("only %d nodes fit", len(live))
	}
	// Dropping the roots makes room again.
	h.roots = live[:10]
	if _, err := h.AllocArray(tI8Arr, 30000); err != nil {
		t.Fatalf("after freeing: %v", err)
	}
	// Requests that can never fit fail at once.
	if _, err := h.AllocArray(tV128, ^uint32(0)); !errors.Is(err, ErrOutOfMemory) {
		t.Fatalf("huge array: %v", err)
	}
	for i := range live[:10] {
		if h.GetField(live[i], 1) != 0 || h.KindOf(live[i]) != KindStruct {
			t.Fatal("rooted node damaged")
		}
	}
}

// A large object can use memory freed from many small ones once the sweep
// coalesces them.
func TestCoalescing(t *testing.T) {
	h := newTestHeap(t, Options{MaxBytes: 64 << 10, InitialBytes: 64 << 10})
	for i := 0; i < (64<<10)/16; i++ {
		if _, err := h.AllocStruct(tNode); err != nil {
			t.Fatal(err)
		}
	}
	// Everything is garbage: the whole heap must be one free block again.
	if _, err := h.AllocArray(tI8Arr, 60<<10); err != nil {
		t.Fatalf("large array after small garbage: %v", err)
	}
}

func TestWalkFreezesHeap(t *testing.T) {
	h := newTestHeap(t, Options{})
	n := h.node(t, Null, 1)
	h.node(t, Null, 2)
	seen := 0
	h.Walk(func(r Ref) bool {
		seen++
		if _, err := h.AllocStruct(tNode); !errors.Is(err, ErrBusy) {
			t.Errorf("alloc during walk: %v", err)
		}
		if err := h.Collect(); !errors.Is(err, ErrBusy) {
			t.Errorf("collect during walk: %v", err)
		}
		hd := h.Pin(r) // handles work during a walk
		h.Unpin(hd)
		_ = h.Stats()
		h.Walk(func(Ref) bool { t.Error("nested walk ran"); return false })
		return r != n // stop after the first
	})
	if seen != 1 {
		t.Fatalf("walk did not stop: %d", seen)
	}
	if _, err := h.AllocStruct(tNode); err != nil {
		t.Fatalf("alloc after walk: %v", err)
	}
}

// A request larger than the committed heap grows it (straddling the old
// end when the last free block reaches it) instead of failing.
func TestLargeAllocGrows(t *testing.T) {
	h := newTestHeap(t, Options{MaxBytes: 64 << 20, InitialBytes: 64 << 10})
	small := h.node(t, Null, 5)
	h.roots = []Ref{small}
	heapBase, bitmapBase := h.Base(), h.StartBitmap()
	a, err := h.AllocArray(tI8Arr, 40<<20)
	if err != nil {
		t.Fatal(err)
	}
	if h.ArrayLen(a) != 40<<20 || h.Stats().CommittedBytes < 40<<20 || h.GetField(small, 1) != 5 {
		t.Fatalf("large array: len %d, stats %+v", h.ArrayLen(a), h.Stats())
	}
	d := h.ArrayData(a)
	d[len(d)-1] = 1
	if _, err := h.AllocArray(tI8Arr, 30<<20); err != nil {
		// 40 MiB are garbage by now (a is not rooted): it must be reused.
		t.Fatalf("reuse after a large array: %v", err)
	}
	if h.Base() != heapBase || h.StartBitmap() != bitmapBase || bitmapBase == 0 {
		t.Fatal("the heap or its start bitmap moved")
	}
}

func TestMaxBytesClamped(t *testing.T) {
	h, err := New(Options{MaxBytes: 1 << 40, InitialBytes: 1 << 16})
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	if st := h.Stats(); st.MaxBytes != LimitBytes || st.CommittedBytes != 1<<16 {
		t.Fatalf("stats %+v", st)
	}
	h2, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer h2.Close()
	if st := h2.Stats(); st.MaxBytes != DefaultMaxBytes || st.CommittedBytes != DefaultInitialBytes {
		t.Fatalf("defaults %+v", st)
	}
}

// Verify notices a reference field that does not point at an object.
func TestVerifyFindsBadRef(t *testing.T) {
	h := newTestHeap(t, Options{})
	n := h.node(t, Null, 1)
	if err := h.Verify(); err != nil {
		t.Fatal(err)
	}
	h.SetField(n, 0, uint64(n+8))
	if err := h.Verify(); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("Verify = %v", err)
	}
}

func TestOnCollect(t *testing.T) {
	h := newTestHeap(t, Options{MaxBytes: 1 << 20, InitialBytes: 64 << 10})
	var seen []Stats
	h.OnCollect(func(st Stats) {
		seen = append(seen, st)
		if _, err := h.AllocStruct(tEmpty); err != nil { // outside the lock
			t.Error(err)
		}
	})
	h.Collect()
	if len(seen) != 1 || seen[0].Collections != 1 {
		t.Fatalf("explicit collection reported as %+v", seen)
	}
	for i := 0; i < 20000; i++ { // about 5 automatic collections
		if _, err := h.AllocStruct(tNode); err != nil {
			t.Fatal(err)
		}
	}
	last := seen[len(seen)-1]
	if len(seen) < 3 || last.Collections != h.Stats().Collections || last.LastPause == 0 {
		t.Fatalf("%d reports, last %+v", len(seen), last)
	}
}

// rss reads the process's resident memory from /proc (Linux).
func rss(t *testing.T) uint64 {
	b, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		t.Skip("no /proc/self/statm")
	}
	var size, res uint64
	fmt.Sscan(string(b), &size, &res)
	return res * uint64(os.Getpagesize())
}

// After a peak, the free top of the heap goes back to the OS, and pacing
// keeps a small program working at the bottom of the heap instead of
// touching the top again.
func TestDecommitAfterPeak(t *testing.T) {
	h := newTestHeap(t, Options{MaxBytes: 256 << 20, InitialBytes: 256 << 10})
	for i := 0; i < 1024; i++ { // 64 MiB live
		a, err := h.AllocArray(tI8Arr, 64<<10-64)
		if err != nil {
			t.Fatal(err)
		}
		d := h.ArrayData(a) // touch every page
		for j := range d {
			d[j] = 1
		}
		h.roots = append(h.roots, a)
	}
	before := rss(t)
	h.roots = h.roots[:1]
	if err := h.Collect(); err != nil {
		t.Fatal(err)
	}
	st := h.Stats()
	if st.DecommittedBytes < 60<<20 {
		t.Fatalf("decommitted %d bytes after dropping 64 MiB", st.DecommittedBytes)
	}
	if after := rss(t); after+32<<20 > before {
		t.Fatalf("resident memory %d MiB -> %d MiB", before>>20, after>>20)
	}
	if d := h.ArrayData(h.roots[0]); d[len(d)-1] != 1 {
		t.Fatal("the surviving array lost its data")
	}
	// A garbage loop now collects about every InitialBytes and stays low.
	for i := 0; i < 200000; i++ {
		if _, err := h.AllocStruct(tNode); err != nil {
			t.Fatal(err)
		}
	}
	st2 := h.Stats()
	if st2.Collections-st.Collections < 5 {
		t.Fatalf("only %d collections while allocating 3 MiB", st2.Collections-st.Collections)
	}
	h.Collect()
	if grown := h.Stats().DecommittedBytes - st.DecommittedBytes; grown > 4<<20 {
		t.Fatalf("the garbage loop dirtied %d bytes of the decommitted top", grown)
	}
	if err := h.Verify(); err != nil {
		t.Fatal(err)
	}
}
