package loader

import (
	goruntime "runtime"
	"sync"
	"testing"

	"github.com/gcscope/gcscope/engine/aot/compile"
	"github.com/gcscope/gcscope/engine/runtime"
	"github.com/gcscope/gcscope/engine/wasm"
)

// callOn calls f(arg) on thread env from its own OS thread, as a
// spawned thread runs.
func callOn(t *testing.T, env *runtime.ExecEnv, f *runtime.Func, arg int32) {
	t.Helper()
	var err error
	done := make(chan struct{})
	go func() {
		defer close(done)
		goruntime.LockOSThread()
		defer goruntime.UnlockOSThread()
		_, err = env.Call(f, []runtime.Value{runtime.I32(arg)})
	}()
	<-done
	if err != nil {
		t.Fatal(err)
	}
}

// TestDebugArmedThreads: a breakpoint arms every thread of the store,
// those started before it and after it (at their first call), and its
// clearing disarms them all; stepping reaches a thread started while it
// is on and ends on every thread.
func TestDebugArmedThreads(t *testing.T) {
	inst, e := instantiateDebug(t, encoded(t, `(module
  (func (export "f") (param i32) (result i32)
    (i32.add (local.get 0) (i32.const 1))))`))
	s := inst.Store
	f := inst.ExportedFunc("f")
	at := lastOffset(f, wasm.OpI32Add)
	var mu sync.Mutex
	hits := map[*runtime.ExecEnv]int{}
	s.Env().OnBreak = func(env *runtime.ExecEnv) error {
		mu.Lock()
		defer mu.Unlock()
		hits[env]++
		return nil
	}
	count := func(env *runtime.ExecEnv) int {
		mu.Lock()
		defer mu.Unlock()
		return hits[env]
	}
	newThread := func() *runtime.ExecEnv {
		env, err := s.NewThread()
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(env.Exit)
		return env
	}
	main := s.Env()
	callOn(t, main, f, 1) // compiles and loads: the code exists from here
	if count(main) != 0 {
		t.Fatalf("a stop with nothing set")
	}
	before := newThread()
	if _, err := e.SetBreakpoint(f, at); err != nil {
		t.Fatal(err)
	}
	if main.Interrupt.Load()&compile.InterruptArmed == 0 || before.Interrupt.Load()&compile.InterruptArmed == 0 {
		t.Errorf("threads not armed: main %#x, before %#x", main.Interrupt.Load(), before.Interrupt.Load())
	}
	after := newThread()
	for _, env := range []*runtime.ExecEnv{main, before, after} {
		callOn(t, env, f, 2)
		if n := count(env); n != 1 {
			t.Errorf("thread %p: %d stops at the breakpoint, want 1", env, n)
		}
	}
	e.ClearBreakpoint(f, at)
	for _, env := range []*runtime.ExecEnv{main, before, after} {
		if env.Interrupt.Load()&compile.InterruptArmed != 0 {
			t.Errorf("thread %p still armed", env)
		}
		callOn(t, env, f, 3)
		if n := count(env); n != 1 {
			t.Errorf("thread %p: %d stops after the breakpoint was cleared, want 1", env, n)
		}
	}

	e.SetStepping(main, true)
	stepper := newThread()
	callOn(t, stepper, f, 4)
	if n := count(stepper); n < 2 {
		t.Errorf("a thread started while stepping stopped %d times, want every instruction", n)
	}
	e.SetStepping(main, false)
	for _, env := range []*runtime.ExecEnv{main, stepper} {
		if env.Interrupt.Load()&InterruptStep != 0 {
			t.Errorf("thread %p still stepping", env)
		}
	}
	n := count(stepper)
	callOn(t, stepper, f, 5)
	if count(stepper) != n {
		t.Errorf("stepping did not end on the thread that inherited it")
	}
}
