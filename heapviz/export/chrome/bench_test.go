package chrome

import (
	"io"
	"math/rand/v2"
	"testing"

	"github.com/gcscope/gcscope/heapviz/internal/cputime"
	"github.com/gcscope/gcscope/heapviz/internal/heapgen"
)

// BenchmarkWrite1M exports a million-object snapshot.
func BenchmarkWrite1M(b *testing.B) {
	s, err := heapgen.HeapLike(rand.New(rand.NewPCG(1, 2)), 1_000_000).Build()
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	cputime.Measure(b, func() {
		if err := Write(io.Discard, s); err != nil {
			b.Fatal(err)
		}
	})
}
