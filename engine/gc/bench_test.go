package gc

import (
	"testing"
)

// BenchmarkAllocStruct measures allocation of small structs that die at
// once, including the collections they cause.
func BenchmarkAllocStruct(b *testing.B) {
	h := newTestHeap(b, Options{MaxBytes: 64 << 20})
	b.ReportAllocs()
	for b.Loop() {
		if _, err := h.AllocStruct(tNode); err != nil {
			b.Fatal(err)
		}
	}
	st := h.Stats()
	b.ReportMetric(float64(st.Collections), "gcs")
}

// BenchmarkAllocArray measures 100-byte arrays that die at once.
func BenchmarkAllocArray(b *testing.B) {
	h := newTestHeap(b, Options{MaxBytes: 64 << 20})
	for b.Loop() {
		if _, err := h.AllocArray(tI8Arr, 100); err != nil {
			b.Fatal(err)
		}
	}
}

// buildList makes a rooted list of n nodes.
func buildList(b *testing.B, h *testHeap, n int) {
	h.roots = []Ref{Null}
	for i := 0; i < n; i++ {
		r, err := h.AllocStruct(tNode)
		if err != nil {
			b.Fatal(err)
		}
		h.SetField(r, 0, uint64(h.roots[0]))
		h.roots[0] = r
	}
}

// BenchmarkCollectLive1M collects a heap holding one million live nodes
// (a linked list: the worst case for the mark stack's locality).
func BenchmarkCollectLive1M(b *testing.B) {
	h := newTestHeap(b, Options{MaxBytes: 256 << 20})
	buildList(b, h, 1_000_000)
	b.ResetTimer()
	for b.Loop() {
		if err := h.Collect(); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	if h.Stats().LiveObjects != 1_000_000 {
		b.Fatalf("live %d", h.Stats().LiveObjects)
	}
}

// BenchmarkCollectDead1M measures the collection that frees one million
// dead nodes (sweep dominated).
func BenchmarkCollectDead1M(b *testing.B) {
	h := newTestHeap(b, Options{MaxBytes: 256 << 20})
	for b.Loop() {
		b.StopTimer()
		buildList(b, h, 1_000_000)
		h.roots = nil
		b.StartTimer()
		if err := h.Collect(); err != nil {
			b.Fatal(err)
		}
	}
	if h.Stats().LiveObjects != 0 {
		b.Fatal("objects survived")
	}
}

// BenchmarkAllocStructBuffer is BenchmarkAllocStruct through a thread
// allocation buffer: the lock-free bump path.
func BenchmarkAllocStructBuffer(b *testing.B) {
	h := newTestHeap(b, Options{MaxBytes: 64 << 20})
	buf := NewBuffer()
	h.AttachBuffer(buf)
	for b.Loop() {
		if _, err := h.AllocStructIn(buf, tNode); err != nil {
			b.Fatal(err)
		}
	}
}

// buildTree makes a rooted perfect binary tree of the given depth out of
// tPair nodes, children before parents as binary_trees allocates them.
func buildTree(b *testing.B, h *testHeap, depth int) {
	var mk func(d int) Ref
	mk = func(d int) Ref {
		var l, r Ref
		if d > 0 {
			l = mk(d - 1)
			h.roots = append(h.roots, l)
			r = mk(d - 1)
			h.roots = h.roots[:len(h.roots)-1]
		}
		n, err := h.AllocStruct(tPair)
		if err != nil {
			b.Fatal(err)
		}
		h.SetField(n, 0, uint64(l))
		h.SetField(n, 1, uint64(r))
		return n
	}
	h.roots = []Ref{Null}
	h.roots[0] = mk(depth)
}

// BenchmarkCollectLiveTree collects a heap holding a live perfect binary
// tree of 2^20-1 nodes (binary_trees' long-lived tree at depth 19).
func BenchmarkCollectLiveTree(b *testing.B) {
	h := newTestHeap(b, Options{MaxBytes: 256 << 20})
	buildTree(b, h, 19)
	b.ResetTimer()
	for b.Loop() {
		if err := h.Collect(); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	if h.Stats().LiveObjects != 1<<20-1 {
		b.Fatalf("live %d", h.Stats().LiveObjects)
	}
}
