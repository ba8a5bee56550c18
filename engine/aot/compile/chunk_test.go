package compile

import (
	"testing"

	"github.com/gcscope/gcscope/engine/wasm"
)

// TestChunks checks the partition: one chunk for small modules and for
// one worker, else consecutive runs covering every function once.
func TestChunks(t *testing.T) {
	m := &wasm.Module{}
	for _, n := range []int{5, 1, 30, 2, 2, 40, 1, 1} {
		m.Funcs = append(m.Funcs, wasm.Func{Body: make([]wasm.Instr, n)})
	}
	if got := chunks(m, Options{}); len(got) != 1 || len(got[0]) != len(m.Funcs) {
		t.Errorf("small module: %v, want one chunk of all", got)
	}
	if got := chunks(m, Options{ChunkInstrs: 10, Workers: 1}); len(got) != 1 {
		t.Errorf("one worker: %v, want one chunk", got)
	}
	got := chunks(m, Options{ChunkInstrs: 20})
	if len(got) < 2 {
		t.Fatalf("82 instructions in chunks of 20: %v, want several", got)
	}
	next := 0
	for _, c := range got {
		for _, i := range c {
			if i != next {
				t.Fatalf("chunks %v do not cover 0..%d in order", got, len(m.Funcs)-1)
			}
			next++
		}
	}
	if next != len(m.Funcs) {
		t.Errorf("chunks %v cover %d of %d functions", got, next, len(m.Funcs))
	}
}
