package loader

import (
	"testing"
	"time"

	"github.com/gcscope/gcscope/engine/runtime"
	"github.com/gcscope/gcscope/engine/wasm"
)

// TestDebugBreakSetWhileLooping: a loop whose body is one run (one stop
// test per iteration on the fast path, compile/debug_runs.go) stops at a
// breakpoint set from another goroutine while it runs, at the
// breakpoint's instruction in the middle of the run, and an operand
// written at that stop is what the code continues with: the write ends
// the loop. Missing the breakpoint runs the loop to its bound (seconds)
// and returns the bound.
func TestDebugBreakSetWhileLooping(t *testing.T) {
	const bound = 1 << 33
	inst, e := instantiateDebug(t, encoded(t, `(module
  (func (export "f") (result i64) (local i64)
    (loop $l
      (local.set 0 (i64.add (local.get 0) (i64.const 1)))
      (br_if $l (i64.lt_u (local.get 0) (i64.const 8589934592))))
    (local.get 0)))`))
	f := inst.ExportedFunc("f")
	at := lastOffset(f, wasm.OpI64Add)
	env := inst.Store.Env()
	hits := 0
	var shapeErr error
	env.OnBreak = func(env *runtime.ExecEnv) error {
		fr := env.Frames[env.Depth-1]
		sh, err := e.Shape(fr.Func, fr.Offset)
		if err != nil {
			shapeErr = err
			return err
		}
		hits++
		if fr.Offset != at || len(sh.Operands) != 2 {
			t.Errorf("stopped at offset %d with %d operands, want %d with 2", fr.Offset, len(sh.Operands), at)
			return nil
		}
		// The add's first operand (the counter) becomes bound+6: the
		// loop ends with the counter at bound+7.
		env.Slots[fr.Base+uint32(len(sh.Locals))] = bound + 6
		return nil
	}
	done := callAsync(f, nil)
	time.Sleep(20 * time.Millisecond)
	if _, err := e.SetBreakpoint(f, at); err != nil {
		t.Fatal(err)
	}
	r := <-done
	if r.err != nil || shapeErr != nil {
		t.Fatal(r.err, shapeErr)
	}
	if got := int64(r.v[0].Bits); got != bound+7 || hits != 1 {
		t.Errorf("the loop returned %d after %d stops, want %d after 1 (the breakpoint set while it ran was missed)", got, hits, int64(bound+7))
	}
}

// lastOffset is the offset of f's last instruction with opcode op (0 if
// there is none).
func lastOffset(f *runtime.Func, op wasm.Opcode) uint32 {
	var at uint32
	for _, in := range f.Def.Body {
		if in.Op == op {
			at = in.Offset
		}
	}
	return at
}

// callResult is what a call made by callAsync returned.
type callResult struct {
	v   []runtime.Value
	err error
}

// callAsync calls f with args on a new goroutine; the channel receives
// what the call returned.
func callAsync(f *runtime.Func, args []runtime.Value) <-chan callResult {
	done := make(chan callResult, 1)
	go func() {
		v, err := f.Call(args)
		done <- callResult{v, err}
	}()
	return done
}
