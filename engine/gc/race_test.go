package gc

import (
	"sync"
	"testing"
)

// The debugger pins, dereferences and reads stats from its own goroutine
// while the program allocates and collects: the heap's mutex must make
// that safe (run with -race).
func TestConcurrentHandlesAndStats(t *testing.T) {
	h := newTestHeap(t, Options{MaxBytes: 4 << 20, InitialBytes: 64 << 10})
	var mu sync.Mutex // guards h.roots, which the root source reads
	h.SetRootSource(func(visit RootVisitor) {
		mu.Lock()
		defer mu.Unlock()
		for _, r := range h.roots {
			visit(r, RootPlace{Kind: RootGlobal})
		}
	})
	first := h.node(t, Null, 1)
	mu.Lock()
	h.roots = []Ref{first}
	mu.Unlock()
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			select {
			case <-done:
				return
			default:
			}
			x := h.Pin(first)
			if h.Deref(x) != first {
				t.Error("handle lost its ref")
			}
			h.Unpin(x)
			_ = h.Stats()
			h.Roots(func(Ref, RootPlace) {})
		}
	}()
	for i := 0; i < 20000; i++ {
		r, err := h.AllocStruct(tNode)
		if err != nil {
			t.Fatal(err)
		}
		if i%100 == 0 {
			mu.Lock()
			h.roots = append(h.roots[:1], r)
			mu.Unlock()
		}
		if i%5000 == 0 {
			if err := h.Collect(); err != nil {
				t.Fatal(err)
			}
		}
	}
	close(done)
	wg.Wait()
	if h.GetField(first, 1) != 1 {
		t.Fatal("rooted node damaged")
	}
}
