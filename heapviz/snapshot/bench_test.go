package snapshot_test

import (
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/gcscope/gcscope/heapviz/internal/cputime"
	"github.com/gcscope/gcscope/heapviz/internal/heapgen"
	"github.com/gcscope/gcscope/heapviz/snapshot"
)

// bigHeap is a generated million-object heap, made once: generating it is
// not what is measured.
var bigHeap = sync.OnceValue(func() *heapgen.Heap {
	return heapgen.HeapLike(rand.New(rand.NewPCG(1, 2)), 1_000_000)
})

// BenchmarkBuild1M feeds a million objects and their references to a
// Builder and finishes it, as a capture does (goal: well under 2 s).
func BenchmarkBuild1M(b *testing.B) {
	h := bigHeap()
	b.ResetTimer()
	cputime.Measure(b, func() {
		if _, err := h.Build(); err != nil {
			b.Fatal(err)
		}
	})
	b.ReportMetric(float64(len(h.IDs)), "objects")
	b.ReportMetric(float64(h.NumEdges()), "refs")
}

// BenchmarkCapture1M goes through the Heap interface instead, with its
// per-object calls (into a fake heap that finds objects by binary search).
func BenchmarkCapture1M(b *testing.B) {
	h := bigHeap()
	b.ResetTimer()
	cputime.Measure(b, func() {
		if _, _, err := snapshot.Capture(h.Source(), snapshot.CaptureOptions{}); err != nil {
			b.Fatal(err)
		}
	})
}
