package analysis

import (
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/gcscope/gcscope/heapviz/internal/cputime"
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
	b.ResetTimer()
	cputime.Measure(b, func() { Dominators(s) })
	b.ReportMetric(float64(s.NumObjects()), "objects")
	b.ReportMetric(float64(s.NumEdges()), "edges")
}

// BenchmarkDominatorsRandom1M is the hard case: a million objects with
// three million references between random objects, so the DFS tree is
// deep and every node has several predecessors.
func BenchmarkDominatorsRandom1M(b *testing.B) {
	s, err := heapgen.Random(rand.New(rand.NewPCG(5, 6)), 1_000_000, 3_000_000, 1000).Build()
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	cputime.Measure(b, func() { Dominators(s) })
	b.ReportMetric(float64(s.NumEdges()), "edges")
}

// BenchmarkHistogram1M includes the per-type retained sizes, which walk
// the dominator tree.
func BenchmarkHistogram1M(b *testing.B) {
	s := bigSnapshot()
	d := Dominators(s)
	b.ResetTimer()
	cputime.Measure(b, func() { Histogram(s, d) })
}

// BenchmarkShortestPaths1M is the BFS from the super-root.
func BenchmarkShortestPaths1M(b *testing.B) {
	s := bigSnapshot()
	b.ResetTimer()
	cputime.Measure(b, func() { ShortestPaths(s) })
}

// BenchmarkDiff1M compares two million-object snapshots whose allocation
// patterns differ.
func BenchmarkDiff1M(b *testing.B) {
	a := bigSnapshot()
	other, err := heapgen.HeapLike(rand.New(rand.NewPCG(1, 3)), 1_000_000).Build()
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	cputime.Measure(b, func() { Diff(a, other) })
}
