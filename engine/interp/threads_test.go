package interp

import (
	"errors"
	"os"
	"testing"
	"time"

	"github.com/gcscope/gcscope/engine/runtime"
	"github.com/gcscope/gcscope/engine/wasm"
)

// registerWasiThreads defines wasi-threads in s and registers it as
// "wasi", for the modules under test to import.
func registerWasiThreads(t *testing.T, s *runtime.Store) *runtime.WasiThreads {
	t.Helper()
	w, err := s.NewWasiThreads()
	if err != nil {
		t.Fatal(err)
	}
	s.Register("wasi", w.Instance)
	return w
}

// runWasiMain instantiates src in s with wasi-threads, calls its
// main(args...) on a goroutine (failing the test on a deadlock) and waits
// for every thread it spawned; the first error wins.
func runWasiMain(t *testing.T, s *runtime.Store, src string, args ...int32) (*runtime.Instance, []runtime.Value, error) {
	t.Helper()
	w := registerWasiThreads(t, s)
	inst := instantiate(t, s, src)
	vals := make([]runtime.Value, len(args))
	for i, a := range args {
		vals[i] = runtime.I32(a)
	}
	done := make(chan struct{})
	var res []runtime.Value
	var err error
	go func() {
		defer close(done)
		res, err = inst.ExportedFunc("main").Call(vals)
	}()
	select {
	case <-done:
	case <-time.After(60 * time.Second):
		t.Fatal("deadlock: main did not return")
	}
	if werr := w.Wait(); err == nil {
		err = werr
	}
	return inst, res, err
}

// runThreadsExample runs examples/threads/threads.wat's main(n, rounds) with
// wasi-threads and returns its result and the GC stats.
func runThreadsExample(t *testing.T, cfg runtime.Config, n, rounds int32) (int32, error) {
	t.Helper()
	src, err := os.ReadFile("../../examples/threads/threads.wat")
	if err != nil {
		t.Fatal(err)
	}
	s := newStore(t, cfg)
	_, res, err := runWasiMain(t, s, string(src), n, rounds)
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
	const n, rounds = 8, 500
	for range 3 { // repeated: a race between threads shows only sometimes
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
	w := registerWasiThreads(t, s)
	inst := instantiate(t, s, `(module
		(import "wasi" "thread-spawn" (func $spawn (param i32) (result i32)))
		(memory 1 1 shared)
		(func (export "wasi_thread_start") (param i32 i32) unreachable)
		(func (export "main") (result i32)
			(drop (call $spawn (i32.const 0)))
			(memory.atomic.wait32 (i32.const 0) (i32.const 0) (i64.const -1))))`)
	_, err := inst.ExportedFunc("main").Call(nil)
	var tr *runtime.Trap
	if !errors.As(err, &tr) || tr.Msg != "unreachable" {
		t.Fatalf("main: %v, want the worker's trap unreachable", err)
	}
	if err := w.Wait(); err == nil {
		t.Fatal("Wait: no failure")
	}
}

// TestWasiThreadHostCallback: a host function called by spawned threads
// calls back into Wasm with Func.Call, which runs on the calling thread's
// own exec env (not the main one, busy waiting): under the race detector
// four callbacks sharing one env would be reported.
func TestWasiThreadHostCallback(t *testing.T) {
	s := newStore(t, runtime.Config{GCStress: true})
	w := registerWasiThreads(t, s)
	env := s.NewHostInstance("env")
	var inst *runtime.Instance
	ft := wasm.CompositeType{Kind: wasm.CompFunc, Params: []wasm.ValType{wasm.I32}}
	env.DefineFunc("cb", ft, func(_ *runtime.Instance, args []runtime.Value) ([]runtime.Value, error) {
		_, err := inst.ExportedFunc("inc").Call(args)
		return nil, err
	})
	s.Register("env", env)
	inst = instantiate(t, s, `(module
		(import "wasi" "thread-spawn" (func $spawn (param i32) (result i32)))
		(import "env" "cb" (func $cb (param i32)))
		(memory 1 1 shared)
		(type $box (struct (field i32)))
		(func (export "inc") (param $by i32)
			(drop (i32.atomic.rmw.add (i32.const 0)
				(struct.get $box 0 (struct.new $box (local.get $by)))))
			(drop (i32.atomic.rmw.add (i32.const 4) (i32.const 1)))
			(drop (memory.atomic.notify (i32.const 4) (i32.const -1))))
		(func (export "wasi_thread_start") (param i32 i32) (call $cb (local.get 1)))
		(func (export "main") (param $n i32) (result i32) (local $i i32) (local $d i32)
			(loop $l
				(drop (call $spawn (i32.const 10)))
				(br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
			(block $b (loop $j
				(local.set $d (i32.atomic.load (i32.const 4)))
				(br_if $b (i32.ge_u (local.get $d) (local.get $n)))
				(drop (memory.atomic.wait32 (i32.const 4) (local.get $d) (i64.const -1)))
				(br $j)))
			(i32.atomic.load (i32.const 0))))`)
	res, err := inst.ExportedFunc("main").Call([]runtime.Value{runtime.I32(4)})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Wait(); err != nil {
		t.Fatal(err)
	}
	if got := int32(res[0].Bits); got != 40 {
		t.Fatalf("main = %d, want 40", got)
	}
}
