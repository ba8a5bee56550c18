package loader

import (
	"errors"
	"testing"

	"github.com/gcscope/gcscope/engine/runtime"
)

const tailWat = `(module
  (type $i64 (func (param i64) (result i64)))
  (table funcref (elem $even $odd))
  (func $count (export "count") (param i64) (result i64)
    (if (result i64) (i64.eqz (local.get 0))
      (then (local.get 0))
      (else (return_call $count (i64.sub (local.get 0) (i64.const 1))))))
  ;; mutual recursion through the table, with a different signature in
  ;; between (return_call to a function of other parameters).
  (func $even (param i64) (result i64)
    (if (result i64) (i64.eqz (local.get 0))
      (then (i64.const 44))
      (else (return_call $odd2 (i32.const 1) (i64.sub (local.get 0) (i64.const 1))))))
  (func $odd2 (param i32 i64) (result i64)
    (return_call_indirect (type $i64) (local.get 1) (local.get 0)))
  (func $odd (param i64) (result i64)
    (if (result i64) (i64.eqz (local.get 0))
      (then (i64.const 99))
      (else (return_call_indirect (type $i64) (i64.sub (local.get 0) (i64.const 1)) (i32.const 0)))))
  (func (export "even") (param i64) (result i64) (return_call $even (local.get 0)))
  ;; a trap after a tail call: the backtrace names the callee, not the
  ;; function that tail-called it.
  (func $boom (result i32) (unreachable))
  (func $via (result i32) (return_call $boom))
  (func $top (export "trap") (result i32) (i32.add (call $via) (i32.const 1)))
)`

// TestTailCalls recurses a million times through return_call and
// return_call_indirect: it passes only if native stack and frame headers
// stay constant (the call depth limit is far lower).
func TestTailCalls(t *testing.T) {
	inst, _ := instantiate(t, parse(t, tailWat))
	testTailCalls(t, inst)
}

// TestTailCallsO0: the guarantee holds without optimization too (llc -O0
// still honours tail calls between tailcc functions).
func TestTailCallsO0(t *testing.T) {
	s, _ := newNativeStore(t, nil, func(e *Engine) { e.Options.OptLevel = 0 })
	inst, err := s.Instantiate(parse(t, tailWat), nil)
	if err != nil {
		t.Fatal(err)
	}
	testTailCalls(t, inst)
}

func testTailCalls(t *testing.T, inst *runtime.Instance) {
	for _, c := range []struct {
		fn       string
		arg, res int64
	}{{"count", 1_000_000, 0}, {"even", 1_000_000, 44}, {"even", 1_000_001, 99}} {
		res, err := inst.ExportedFunc(c.fn).Call([]runtime.Value{runtime.I64(c.arg)})
		if err != nil {
			t.Errorf("%s(%d): %v", c.fn, c.arg, err)
			continue
		}
		if got := int64(res[0].Bits); got != c.res {
			t.Errorf("%s(%d) = %d, want %d", c.fn, c.arg, got, c.res)
		}
	}
	_, err := inst.ExportedFunc("trap").Call(nil)
	var tr *runtime.Trap
	if !errors.As(err, &tr) || tr.Msg != "unreachable" {
		t.Fatalf("got %v, want the trap \"unreachable\"", err)
	}
	var names []string
	for _, f := range tr.Backtrace {
		names = append(names, f.Name)
	}
	if len(names) != 2 || names[0] != "boom" || names[1] != "top" {
		t.Errorf("backtrace %q, want [boom top]", names)
	}
}
