package snapjson

import (
	"bytes"
	"io"
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/gcscope/gcscope/heapviz/internal/cputime"
	"github.com/gcscope/gcscope/heapviz/internal/heapgen"
	"github.com/gcscope/gcscope/heapviz/snapshot"
)

var big = sync.OnceValue(func() *snapshot.Snapshot {
	s, err := heapgen.HeapLike(rand.New(rand.NewPCG(1, 2)), 1_000_000).Build()
	if err != nil {
		panic(err)
	}
	return s
})

// BenchmarkWrite1M writes a million-object snapshot.
func BenchmarkWrite1M(b *testing.B) {
	s := big()
	b.ResetTimer()
	cputime.Measure(b, func() {
		if err := Write(io.Discard, s); err != nil {
			b.Fatal(err)
		}
	})
}

// BenchmarkRead1M reads it back.
func BenchmarkRead1M(b *testing.B) {
	var buf bytes.Buffer
	if err := Write(&buf, big()); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(buf.Len()))
	b.ResetTimer()
	cputime.Measure(b, func() {
		if _, err := Read(bytes.NewReader(buf.Bytes())); err != nil {
			b.Fatal(err)
		}
	})
}
