package loader

import (
	"errors"
	"fmt"
	"os"
	goruntime "runtime"
	"sync"
	"testing"
	"time"

	"github.com/gcscope/gcscope/engine/mem"
	"github.com/gcscope/gcscope/engine/runtime"
)

// counterWat's workers first meet at a barrier (address 16 counts
// arrivals, address 20 holds how many to wait for), and do some work
// between two updates ($work: a xorshift the optimizer cannot fold), so
// that their loops really run at the same time on a busy machine.
const counterWat = `(module
  (memory (export "mem") 1 1 shared)
  (func $barrier
    (drop (i32.atomic.rmw.add (i32.const 16) (i32.const 1)))
    (loop $wait
      (br_if $wait (i32.lt_u (i32.atomic.load (i32.const 16)) (i32.atomic.load (i32.const 20))))))
  (func $work (param $x i32) (local $k i32)
    (local.set $k (i32.const 64))
    (local.set $x (i32.or (local.get $x) (i32.const 1)))
    (loop $d
      (local.set $x (i32.xor (local.get $x) (i32.shl (local.get $x) (i32.const 13))))
      (local.set $x (i32.xor (local.get $x) (i32.shr_u (local.get $x) (i32.const 17))))
      (br_if $d (local.tee $k (i32.sub (local.get $k) (i32.const 1)))))
    (i32.store (i32.const 64) (local.get $x)))
  (func (export "atomic") (param $n i32)
    (call $barrier)
    (loop $l
      (drop (i32.atomic.rmw.add (i32.const 0) (i32.const 1)))
      (call $work (local.get $n))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1))))))
  (func (export "plain") (param $n i32)
    (call $barrier)
    (loop $l
      (i32.atomic.store (i32.const 8) (i32.add (i32.atomic.load (i32.const 8)) (i32.const 1)))
      (call $work (local.get $n))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1))))))
  (func (export "get") (param $a i32) (result i32) (i32.atomic.load (local.get $a))))`

// setBarrier arms counterWat's barrier for n threads.
func setBarrier(t *testing.T, inst *runtime.Instance, n uint64) {
	t.Helper()
	b := inst.Mems[0].Linear.Bytes()
	if mem.AtomicStore(b, 16, 4, 0) != nil || mem.AtomicStore(b, 20, 4, n) != nil {
		t.Fatal("cannot set the barrier")
	}
}

// goThreads runs body(i, env) for i in [0, n) on n new threads of s, each
// on its own exec env and locked OS thread (the env exits when body
// returns), and returns the WaitGroup their goroutines finish on. Call it
// from the test's goroutine: a thread that cannot be made fails the test.
func goThreads(t *testing.T, s *runtime.Store, n int, body func(i int, env *runtime.ExecEnv)) *sync.WaitGroup {
	t.Helper()
	var wg sync.WaitGroup
	for i := range n {
		env, err := s.NewThread()
		if err != nil {
			t.Fatal(err)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			goruntime.LockOSThread()
			defer goruntime.UnlockOSThread()
			defer env.Exit()
			body(i, env)
		}()
	}
	return &wg
}

// runOnThreads calls f(perThread) on n new threads of s at once, each on
// its own exec env and OS thread, and waits for them.
func runOnThreads(s *runtime.Store, f *runtime.Func, n int, perThread int32) error {
	var wg sync.WaitGroup
	start := make(chan struct{})
	errs := make([]error, n)
	for i := range n {
		env, err := s.NewThread()
		if err != nil {
			close(start)
			wg.Wait()
			return err
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			goruntime.LockOSThread()
			defer goruntime.UnlockOSThread()
			defer env.Exit()
			<-start
			_, errs[i] = env.Call(f, []runtime.Value{runtime.I32(perThread)})
		}()
	}
	close(start)
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			return fmt.Errorf("thread %d: %w", i, err)
		}
	}
	return nil
}

// TestAtomicCounterThreads: four threads run native code that adds 1 to a
// shared counter with i32.atomic.rmw.add 100,000 times each; not one
// update may be lost. The same loop with a load and a store (each atomic,
// the pair not) is run too, to show that the threads really overlap (its
// lost updates are logged, not asserted: they depend on scheduling).
func TestAtomicCounterThreads(t *testing.T) {
	const threads, per = 4, 100000
	s := nativeStore(t)
	inst, err := s.Instantiate(parse(t, counterWat), nil)
	if err != nil {
		t.Fatal(err)
	}
	setBarrier(t, inst, threads)
	if err := runOnThreads(s, inst.ExportedFunc("atomic"), threads, per); err != nil {
		t.Fatal(err)
	}
	res, err := inst.ExportedFunc("get").Call([]runtime.Value{runtime.I32(0)})
	if err != nil {
		t.Fatal(err)
	}
	if got := int32(res[0].Bits); got != threads*per {
		t.Fatalf("atomic counter = %d, want %d", got, threads*per)
	}
	const plainPer = per
	setBarrier(t, inst, threads)
	if err := runOnThreads(s, inst.ExportedFunc("plain"), threads, plainPer); err != nil {
		t.Fatal(err)
	}
	res, err = inst.ExportedFunc("get").Call([]runtime.Value{runtime.I32(8)})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("plain counter = %d of %d (%d updates lost without read-modify-write)", int32(res[0].Bits), threads*plainPer, threads*plainPer-int32(res[0].Bits))
}

// runMain runs main(args) of src with wasi-threads on native code and
// returns its i32 result and the store's failure, if any.
func runMain(t *testing.T, src string, args ...int32) (int32, error) {
	t.Helper()
	s := nativeStore(t)
	w, err := s.NewWasiThreads()
	if err != nil {
		t.Fatal(err)
	}
	s.Register("wasi", w.Instance)
	inst, err := s.Instantiate(parse(t, src), nil)
	if err != nil {
		t.Fatal(err)
	}
	var vs []runtime.Value
	for _, a := range args {
		vs = append(vs, runtime.I32(a))
	}
	done := make(chan struct{})
	var res []runtime.Value
	go func() {
		defer close(done)
		res, err = inst.ExportedFunc("main").Call(vs)
	}()
	select {
	case <-done:
	case <-time.After(60 * time.Second):
		t.Fatal("deadlock: main did not return")
	}
	// Exit ends threads still running (a spinning worker after main
	// trapped) and reports a worker's trap.
	if werr := w.Exit(); err == nil {
		err = werr
	}
	if err != nil {
		return 0, err
	}
	return int32(res[0].Bits), nil
}

// TestWasiThreadsCounterExample runs examples/threads/counter.wat natively:
// spawning from native code, atomics, a cmpxchg spin lock, notify, and
// main blocked in memory.atomic.wait32 until the workers are done.
func TestWasiThreadsCounterExample(t *testing.T) {
	src, err := os.ReadFile("../../../examples/threads/counter.wat")
	if err != nil {
		t.Fatal(err)
	}
	const n, rounds = 4, 20000
	got, err := runMain(t, string(src), n, rounds)
	if err != nil {
		t.Fatal(err)
	}
	if got != n*rounds {
		t.Fatalf("main = %d, want %d", got, n*rounds)
	}
}

// TestWasiThreadTrapEndsNativeRun: a worker's trap ends the program; main,
// blocked forever in memory.atomic.wait32 in native code, returns it.
func TestWasiThreadTrapEndsNativeRun(t *testing.T) {
	_, err := runMain(t, `(module
		(import "wasi" "thread-spawn" (func $spawn (param i32) (result i32)))
		(memory 1 1 shared)
		(func (export "wasi_thread_start") (param i32 i32) unreachable)
		(func (export "main") (result i32)
			(drop (call $spawn (i32.const 0)))
			(memory.atomic.wait32 (i32.const 0) (i32.const 0) (i64.const -1))))`)
	var tr *runtime.Trap
	if !errors.As(err, &tr) || tr.Msg != "unreachable" {
		t.Fatalf("main: %v, want the worker's trap unreachable", err)
	}
}

// TestWasiThreadTrapEndsSpinningThread: a worker spinning in a native loop
// stops at its loop header when the program ends (main trapped, then
// WasiThreads.Exit fails the store).
func TestWasiThreadTrapEndsSpinningThread(t *testing.T) {
	_, err := runMain(t, `(module
		(import "wasi" "thread-spawn" (func $spawn (param i32) (result i32)))
		(memory 1 1 shared)
		(func (export "wasi_thread_start") (param i32 i32)
			(i32.atomic.store (i32.const 0) (i32.const 1))
			(loop $l (br $l)))
		(func (export "main") (result i32)
			(drop (call $spawn (i32.const 0)))
			(loop $w (br_if $w (i32.eqz (i32.atomic.load (i32.const 0)))))
			(i32.div_u (i32.const 1) (i32.const 0))))`)
	var tr *runtime.Trap
	if !errors.As(err, &tr) || tr.Msg != "integer divide by zero" {
		t.Fatalf("main: %v, want integer divide by zero", err)
	}
}

// TestStopTheWorldReachesNativeCode: threads spinning in native loops
// park at their loop headers when the world is stopped (StopTheWorld
// returns), make no progress while it is, and run again afterwards.
func TestStopTheWorldReachesNativeCode(t *testing.T) {
	s := nativeStore(t)
	inst, err := s.Instantiate(parse(t, `(module
		(memory (export "mem") 1 1 shared)
		(func (export "spin") (param i32)
			(loop $l
				(drop (i32.atomic.rmw.add (i32.const 0) (i32.const 1)))
				(br_if $l (i32.eqz (i32.atomic.load (i32.const 8))))))
		(func (export "stop") (i32.atomic.store (i32.const 8) (i32.const 1))))`), nil)
	if err != nil {
		t.Fatal(err)
	}
	// Read the counter from Go: a call would wait for the world to run.
	get := func() int32 {
		v, err := mem.AtomicLoad(inst.Mems[0].Linear.Bytes(), 0, 4)
		if err != nil {
			t.Fatal(err)
		}
		return int32(v)
	}
	done := make(chan error)
	go func() { done <- runOnThreads(s, inst.ExportedFunc("spin"), 2, 0) }()
	for get() < 1000 {
		goruntime.Gosched()
	}
	stopped := make(chan struct{})
	go func() { s.StopTheWorld(); close(stopped) }()
	select {
	case <-stopped:
	case <-time.After(30 * time.Second):
		t.Fatal("StopTheWorld did not return: native code did not park")
	}
	c1 := get()
	time.Sleep(20 * time.Millisecond)
	if c2 := get(); c2 > c1+2 {
		t.Fatalf("native threads ran while the world was stopped: %d -> %d", c1, c2)
	}
	s.StartTheWorld()
	for c := get(); get() < c+1000; {
		goruntime.Gosched()
	}
	if _, err := inst.ExportedFunc("stop").Call(nil); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("spinning threads did not end")
	}
}

// TestTrapsOnManyThreads: four threads trap over and over in native code
// at the same time; each trap must unwind to its own thread's trampoline
// (the jmp_buf is thread-local) and come back as that thread's error.
func TestTrapsOnManyThreads(t *testing.T) {
	s := nativeStore(t)
	inst, err := s.Instantiate(parse(t, `(module
		(memory 1 1 shared)
		(func $deep (param $n i32)
			(if (local.get $n) (then (call $deep (i32.sub (local.get $n) (i32.const 1)))))
			(drop (i32.atomic.rmw.add (i32.const 0) (i32.const 1)))
			(i32.store (i32.const 65536) (i32.const 0)))
		(func (export "trap") (param $n i32) (call $deep (local.get $n))))`), nil)
	if err != nil {
		t.Fatal(err)
	}
	f := inst.ExportedFunc("trap")
	const threads, rounds = 4, 500
	errs := make(chan error, threads)
	goThreads(t, s, threads, func(i int, env *runtime.ExecEnv) {
		for r := range rounds {
			depth := int32(i + r%7)
			_, err := env.Call(f, []runtime.Value{runtime.I32(depth)})
			var tr *runtime.Trap
			if !errors.As(err, &tr) || tr.Msg != "out of bounds memory access" || len(tr.Backtrace) != int(depth)+2 {
				errs <- fmt.Errorf("thread %d round %d: %v (want the trap with %d frames)", i, r, err, depth+2)
				return
			}
		}
	}).Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}
