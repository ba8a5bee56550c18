package interp

import (
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/gcscope/gcscope/engine/runtime"
)

// TestHostRootsWhileThreadsCollect: while examples/threads' eight workers
// allocate under GC stress (every allocation collects, reading the
// store's host references and pins as roots), two goroutines that are
// not threads of the store create host references, pin and unpin them,
// and register instances. Under the race detector an unguarded map is
// reported; without it a host reference allocated while another thread
// collected could be freed before it was recorded. At the end every
// host reference must still name a live host object with its handle, the
// same object each time it is asked for, and the heap must verify.
func TestHostRootsWhileThreadsCollect(t *testing.T) {
	src, err := os.ReadFile("../../examples/threads/threads.wat")
	if err != nil {
		t.Fatal(err)
	}
	const rounds = 10
	s := newStore(t, runtime.Config{GCStress: true})
	w := registerWasiThreads(t, s)
	inst := instantiate(t, s, string(src))
	spare := instantiate(t, s, `(module (func (export "f")))`)
	var stop atomic.Bool
	var hammers sync.WaitGroup
	first := make([]sync.Map, 2) // handle -> the Ref HostRef gave first
	var during atomic.Int64      // hammer rounds while main ran
	for g := range 2 {
		hammers.Add(1)
		go func() {
			defer hammers.Done()
			for i := 0; !stop.Load(); i++ {
				n := uint64(g*1_000_000 + i%2_000)
				v, err := s.HostRef(n)
				if err != nil {
					t.Error(err)
					return
				}
				if old, loaded := first[g].LoadOrStore(n, v.Bits); loaded && old != v.Bits {
					t.Errorf("HostRef(%d) = %#x, first %#x", n, v.Bits, old)
					return
				}
				s.Pin(runtime.Ref(v.Bits))
				name := fmt.Sprintf("spare%d", g)
				s.Register(name, spare)
				if s.Registered(name) != spare {
					t.Error("Registered lost an instance")
				}
				s.Unpin(runtime.Ref(v.Bits))
				during.Add(1)
			}
		}()
	}
	res, err := inst.ExportedFunc("main").Call([]runtime.Value{runtime.I32(8), runtime.I32(rounds)})
	if werr := w.Wait(); err == nil {
		err = werr
	}
	stop.Store(true)
	hammers.Wait()
	if err != nil {
		t.Fatal(err)
	}
	if res[0].Bits != 8*rounds {
		t.Fatalf("main = %d, want %d", res[0].Bits, 8*rounds)
	}
	if during.Load() < 500 {
		t.Fatalf("only %d host rounds ran while the threads did: the test shows nothing", during.Load())
	}
	if err := s.Heap.GC.Collect(); err != nil {
		t.Fatal(err)
	}
	if err := s.Heap.GC.Verify(); err != nil {
		t.Fatalf("heap after the run: %v", err)
	}
	checked := 0
	for g := range first {
		first[g].Range(func(k, bits any) bool {
			n, r := k.(uint64), runtime.Ref(bits.(uint64))
			if kind, aux := s.Heap.Kind(r), s.Heap.Aux(r); kind != runtime.ObjHost || aux != n {
				t.Errorf("host reference %d: object %#x is kind %v with handle %d", n, r, kind, aux)
			}
			if v, _ := s.HostRef(n); runtime.Ref(v.Bits) != r {
				t.Errorf("host reference %d: now %#x, first %#x", n, v.Bits, r)
			}
			checked++
			return true
		})
	}
	t.Logf("%d host rounds while the threads ran, %d host references", during.Load(), checked)
}
