package interp

import (
	"errors"
	"os"
	"testing"
	"time"

	"github.com/gcscope/gcscope/engine/runtime"
)

// runThreadsExample runs examples/threads/threads.wat's main(n, rounds) with
// wasi-threads and returns its result and the GC stats.
func runThreadsExample(t *testing.T, cfg runtime.Config, n, rounds int32) (int32, error) {
	t.Helper()
	src, err := os.ReadFile("../../examples/threads/threads.wat")
	if err != nil {
		t.Fatal(err)
	}
	s := newStore(t, cfg)
	w, err := s.NewWasiThreads()
	if err != nil {
		t.Fatal(err)
	}
	s.Register("wasi", w.Instance)
	inst := instantiate(t, s, string(src))
	done := make(chan struct{})
	var res []runtime.Value
	go func() {
		defer close(done)
		res, err = inst.ExportedFunc("main").Call([]runtime.Value{runtime.I32(n), runtime.I32(rounds)})
	}()
	select {
	case <-done:
	case <-time.After(60 * time.Second):
		t.Fatal("deadlock: main did not return")
	}
	if werr := w.Wait(); err == nil {
		err = werr
	}
	if err != nil {
		return 0, err
	}
	if verr := s.Heap.GC.Verify(); verr != nil {
		t.Fatalf("heap after the run: %v", verr)
	}
	return int32(res[0].Bits), nil
}

// TestWasiThreadsGCStress: 8 threads allocate GC objects while the heap
// collects at every allocation (each collection stops the world) and
// count with atomics: no lost update, no wrong list, no crash, no
// deadlock.
func TestWasiThreadsGCStress(t *testing.T) {
	const n, rounds = 8, 3
	got, err := runThreadsExample(t, runtime.Config{GCStress: true}, n, rounds)
	if err != nil {
		t.Fatal(err)
	}
	if got != n*rounds {
		t.Fatalf("main = %d, want %d", got, n*rounds)
	}
}

// TestWasiThreadsPaced is the same with normal pacing and more work.
func TestWasiThreadsPaced(t *testing.T) {
	const n, rounds = 8, 1000
	for range 5 { // a lost start bit shows about once in 20 runs
		got, err := runThreadsExample(t, runtime.Config{}, n, rounds)
		if err != nil {
			t.Fatal(err)
		}
		if got != n*rounds {
			t.Fatalf("main = %d, want %d", got, n*rounds)
		}
	}
}

// TestWasiThreadTrapEndsRun: a worker's trap ends the whole program,
// main included (it is blocked in memory.atomic.wait forever).
func TestWasiThreadTrapEndsRun(t *testing.T) {
	s := newStore(t, runtime.Config{})
	w, err := s.NewWasiThreads()
	if err != nil {
		t.Fatal(err)
	}
	s.Register("wasi", w.Instance)
	inst := instantiate(t, s, `(module
		(import "wasi" "thread-spawn" (func $spawn (param i32) (result i32)))
		(memory 1 1 shared)
		(func (export "wasi_thread_start") (param i32 i32) unreachable)
		(func (export "main") (result i32)
			(drop (call $spawn (i32.const 0)))
			(memory.atomic.wait32 (i32.const 0) (i32.const 0) (i64.const -1))))`)
	_, err = inst.ExportedFunc("main").Call(nil)
	var tr *runtime.Trap
	if !errors.As(err, &tr) || tr.Msg != "unreachable" {
		t.Fatalf("main: %v, want the worker's trap unreachable", err)
	}
	if err := w.Wait(); err == nil {
		t.Fatal("Wait: no failure")
	}
}
