package interp

import (
	"os"
	"testing"
	"time"

	"github.com/gcscope/gcscope/engine/runtime"
)

// instModuleWat has a bit of everything instantiation does: new types,
// globals holding GC objects, functions referenced from a table, data
// and element segments and a start function that allocates.
const instModuleWat = `(module
  (type $pair (struct (field i32) (field (ref null $pair))))
  (memory 1)
  (table 4 funcref)
  (global $g (mut (ref null $pair)) (struct.new $pair (i32.const 1) (ref.null $pair)))
  (data (i32.const 8) "instantiated")
  (elem (i32.const 0) func $f $start)
  (func $f (export "f") (result i32)
    (struct.get $pair 0 (ref.as_non_null (global.get $g))))
  (func $start
    (global.set $g (struct.new $pair (i32.const 42) (global.get $g))))
  (start $start))`

// TestInstantiateWhileThreadsRun: a goroutine instantiates a module 40
// times while 4 wasi-threads workers allocate and count (threads.wat),
// with a collection at every allocation: every instance works, no update
// is lost, and go test -race sees no unsynchronized access (the store's
// instance list, types, the heap's buffer, the collector's roots).
func TestInstantiateWhileThreadsRun(t *testing.T) {
	src, err := os.ReadFile("../../examples/threads/threads.wat")
	if err != nil {
		t.Fatal(err)
	}
	s := newStore(t, runtime.Config{GCStress: true})
	w := registerWasiThreads(t, s)
	inst := instantiate(t, s, string(src))
	m := parseWAT(t, instModuleWat)
	const workers, rounds = 4, 20
	done := make(chan struct{})
	var res []runtime.Value
	var mainErr error
	go func() {
		defer close(done)
		res, mainErr = inst.ExportedFunc("main").Call([]runtime.Value{runtime.I32(workers), runtime.I32(rounds)})
	}()
	// Once main runs (it has spawned a worker), the main env is busy:
	// the start functions must run on threads of their own.
	for deadline := time.Now().Add(10 * time.Second); len(s.Threads()) < 2; {
		if time.Now().After(deadline) {
			t.Fatal("main spawned no worker")
		}
		time.Sleep(time.Millisecond)
	}
	n := 0
	for ; n < 40; n++ {
		in, err := s.Instantiate(m, nil)
		if err != nil {
			t.Fatalf("instantiation %d: %v", n, err)
		}
		// Calling needs an exec env of its own: the main one runs main.
		env, err := s.NewThread()
		if err != nil {
			t.Fatal(err)
		}
		got, err := env.Call(in.ExportedFunc("f"), nil)
		env.Exit()
		if err != nil || int32(got[0].Bits) != 42 {
			t.Fatalf("instance %d: f() = %v, %v; want 42", n, got, err)
		}
		select {
		case <-done:
		default:
			continue
		}
		break
	}
	select {
	case <-done:
	case <-time.After(60 * time.Second):
		t.Fatal("deadlock: main did not return")
	}
	if werr := w.Wait(); mainErr == nil {
		mainErr = werr
	}
	if mainErr != nil {
		t.Fatal(mainErr)
	}
	if got := int32(res[0].Bits); got != workers*rounds {
		t.Fatalf("main = %d, want %d", got, workers*rounds)
	}
	if verr := s.Heap.GC.Verify(); verr != nil {
		t.Fatalf("heap after the run: %v", verr)
	}
	t.Logf("%d instantiations while the threads ran", n)
}
