package loader

import (
	"errors"
	goruntime "runtime"
	"testing"

	"github.com/gcscope/gcscope/engine/runtime"
)

// TestOuterCallsOnFreshThreads calls one env from goroutines on new OS
// threads in turn (a goroutine that exits locked takes its thread with
// it). The outermost Invoke no longer restores the record words, so the
// native stack limit a call left is another thread's: each call must
// start from its own thread's limit (a stale higher one traps a shallow
// recursion, a stale lower one lets a deep one overflow the stack), and
// its stack guard must be lowered for its own stack.
func TestOuterCallsOnFreshThreads(t *testing.T) {
	e := New(nil)
	defer e.Close()
	s, err := runtime.NewStore(runtime.Config{Engine: e, MaxCallDepth: 1 << 20, StackSlots: 1 << 22})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	inst, err := s.Instantiate(parse(t, `(module
  (func $down (export "down") (param i32) (result i64)
    (if (result i64) (i32.eqz (local.get 0))
      (then (i64.const 1))
      (else (i64.add (call $down (i32.sub (local.get 0) (i32.const 1))) (i64.const 1)))))
  (func $deep (export "deep") (param i32) (result i64)
    (i64.add (call $deep (i32.add (local.get 0) (i32.const 1))) (i64.const 1))))`), nil)
	if err != nil {
		t.Fatal(err)
	}
	down, deep := inst.ExportedFunc("down"), inst.ExportedFunc("deep")
	for round := range 6 {
		done := make(chan error)
		go func() {
			goruntime.LockOSThread() // not unlocked: the thread ends with the goroutine
			for range 3 {
				if res, err := down.Call([]runtime.Value{runtime.I32(5000)}); err != nil || res[0].Bits != 5001 {
					done <- errors.Join(errors.New("down(5000) did not return 5001"), err)
					return
				}
				_, err := deep.Call([]runtime.Value{runtime.I32(0)})
				var tr *runtime.Trap
				if !errors.As(err, &tr) || tr.Msg != "call stack exhausted" {
					done <- errors.Join(errors.New("deep(0) did not exhaust the stack"), err)
					return
				}
			}
			done <- nil
		}()
		if err := <-done; err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
	}
}
