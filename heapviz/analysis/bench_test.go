package analysis

import (
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/gcscope/gcscope/heapviz/internal/heapgen"
	"github.com/gcscope/gcscope/heapviz/snapshot"
)

// A million-object heap-shaped snapshot, made once: generating it is not
// what the benchmarks measure.
var bigSnapshot = sync.OnceValue(func() *snapshot.Snapshot {
	h := heapgen.HeapLike(rand.New(rand.NewPCG(1, 2)), 1_000_000)
	s, err := h.Build()
	if err != nil {
		panic(err)
	}
	return s
})

// BenchmarkDominators1M computes the dominator tree and retained sizes of a
// million objects (goal: well under 2 s).
func BenchmarkDominators1M(b *testing.B) {
	s := bigSnapshot()
	b.ReportMetric(float64(s.NumObjects()), "objects")
	b.ReportMetric(float64(s.NumEdges()), "edges")
	b.ResetTimer()
	for b.Loop() {
		Dominators(s)
	}
}

// BenchmarkHistogram1M includes the per-type retained sizes, which walk
// the dominator tree.
func BenchmarkHistogram1M(b *testing.B) {
	s := bigSnapshot()
	d := Dominators(s)
	b.ResetTimer()
	for b.Loop() {
		Histogram(s, d)
	}
}

// BenchmarkShortestPaths1M is the BFS from the super-root.
func BenchmarkShortestPaths1M(b *testing.B) {
	s := bigSnapshot()
	b.ResetTimer()
	for b.Loop() {
		ShortestPaths(s)
	}
}
