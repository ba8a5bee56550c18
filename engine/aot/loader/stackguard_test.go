package loader

import (
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gcscope/gcscope/engine/runtime"
)

// A recursion without a loop is tested for interrupts only by the entry
// check, through the stack guard the interrupt raises.
const recWat = `(module
  (func $fib (export "fib") (param i32) (result i32)
    (if (result i32) (i32.lt_u (local.get 0) (i32.const 2))
      (then (local.get 0))
      (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1)))
                     (call $fib (i32.sub (local.get 0) (i32.const 2))))))))`

func TestInterruptReachesRecursion(t *testing.T) {
	inst, _ := instantiate(t, parse(t, recWat))
	env := inst.Store.Env()
	go func() {
		time.Sleep(50 * time.Millisecond)
		env.Interrupt.Store(1)
	}()
	// fib(50) takes hours: only the interrupt ends it.
	_, err := inst.ExportedFunc("fib").Call([]runtime.Value{runtime.I32(50)})
	var tr *runtime.Trap
	if !errors.As(err, &tr) || tr.Msg != "interrupted" {
		t.Fatalf("got %v, want the trap \"interrupted\"", err)
	}
}

// Interrupts handled and cleared while the recursion runs: each one must
// reach the code (the guard is lowered after a handled interrupt and raised
// again by the next), and the result must not change.
func TestInterruptsHandledInRecursion(t *testing.T) {
	inst, _ := instantiate(t, parse(t, recWat))
	env := inst.Store.Env()
	var handled atomic.Int32
	env.OnInterrupt = func(env *runtime.ExecEnv) error {
		env.Interrupt.Clear(1)
		handled.Add(1)
		return nil
	}
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			select {
			case <-stop:
				return
			case <-time.After(2 * time.Millisecond):
				env.Interrupt.Set(1)
			}
		}
	}()
	var res []runtime.Value
	var err error
	deadline := time.Now().Add(2 * time.Second)
	for handled.Load() < 3 && time.Now().Before(deadline) {
		res, err = inst.ExportedFunc("fib").Call([]runtime.Value{runtime.I32(30)})
		if err != nil || len(res) != 1 || int32(res[0].Bits) != 832040 {
			break
		}
	}
	close(stop)
	<-done
	if err != nil || len(res) != 1 || int32(res[0].Bits) != 832040 {
		t.Fatalf("fib(30) = %v, %v; want 832040", res, err)
	}
	if handled.Load() < 3 {
		t.Errorf("%d interrupts handled in 2 s, want at least 3", handled.Load())
	}
	if g := env.Record[runtime.EnvStackGuard]; g == runtime.GuardRaised && env.Interrupt.Load() == 0 {
		t.Errorf("stack guard still raised with no interrupt pending after the run")
	}
}
