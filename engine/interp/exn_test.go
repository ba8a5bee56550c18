package interp

import (
	"errors"
	"testing"

	"github.com/gcscope/gcscope/engine/runtime"
	"github.com/gcscope/gcscope/engine/wasm"
)

func TestExceptions(t *testing.T) {
	s := newStore(t, runtime.Config{GCStress: true})
	inst := instantiate(t, s, `(module
	  (tag $e (param i32))
	  (tag $f)
	  (func $thrower (param i32) (if (local.get 0) (then (throw $e (local.get 0)))))
	  (func (export "catch") (param i32) (result i32)
	    (block $h (result i32)
	      (try_table (catch $e $h) (call $thrower (local.get 0)))
	      (i32.const -1)))
	  (func (export "catch_ref") (result i32)
	    (block $h (result i32 exnref)
	      (try_table (catch_ref $e $h) (throw $e (i32.const 9)))
	      (unreachable))
	    (drop))
	  (func (export "rethrow_ref") (result i32)
	    (block $outer (result i32)
	      (try_table (catch $e $outer)
	        (block $h (result exnref)
	          (try_table (catch_all_ref $h) (throw $e (i32.const 5)))
	          (unreachable))
	        (throw_ref))
	      (i32.const 0)))
	  (func (export "uncaught") (throw $e (i32.const 77)))
	  (func (export "legacy") (result i32)
	    (try (result i32)
	      (do (try (result i32)
	            (do (throw $e (i32.const 3)))
	            (delegate 0)))
	      (catch $e (i32.add (i32.const 100)))))
	  (func (export "legacy_rethrow") (result i32)
	    (try (result i32)
	      (do (try (result i32)
	            (do (throw $f))
	            (catch_all (rethrow 0))))
	      (catch $f (i32.const 8)))))`)
	if got := mustCall(t, inst, "catch", runtime.I32(4)); got != 4 {
		t.Errorf("catch = %d", got)
	}
	if got := int32(mustCall(t, inst, "catch", runtime.I32(0))); got != -1 {
		t.Errorf("no throw = %d", got)
	}
	if got := mustCall(t, inst, "catch_ref"); got != 9 {
		t.Errorf("catch_ref = %d", got)
	}
	if got := mustCall(t, inst, "rethrow_ref"); got != 5 {
		t.Errorf("rethrow_ref = %d", got)
	}
	if got := mustCall(t, inst, "legacy"); got != 103 {
		t.Errorf("legacy = %d", got)
	}
	if got := mustCall(t, inst, "legacy_rethrow"); got != 8 {
		t.Errorf("legacy_rethrow = %d", got)
	}
	_, err := call(t, inst, "uncaught")
	var ex *runtime.Exception
	if !errors.As(err, &ex) || len(ex.Payload) != 1 || ex.Payload[0].Bits != 77 {
		t.Fatalf("uncaught: %v", err)
	}
	if len(ex.Backtrace) != 1 || ex.Backtrace[0].Offset == 0 {
		t.Errorf("exception backtrace = %+v", ex.Backtrace)
	}
	if s.Env().Depth != 0 {
		t.Errorf("frames left: %d", s.Env().Depth)
	}
}

func TestExceptionThroughHost(t *testing.T) {
	s := newStore(t, runtime.Config{})
	host := s.NewHostInstance("env")
	var inner *runtime.Func
	if _, err := host.DefineFunc("bounce", ftype(), func(*runtime.Instance, []runtime.Value) ([]runtime.Value, error) {
		_, err := inner.Call(nil)
		return nil, err
	}); err != nil {
		t.Fatal(err)
	}
	s.Register("env", host)
	inst := instantiate(t, s, `(module
	  (import "env" "bounce" (func $bounce))
	  (tag $e (param i32))
	  (func (export "inner") (throw $e (i32.const 6)))
	  (func (export "outer") (result i32)
	    (block $h (result i32)
	      (try_table (catch $e $h) (call $bounce))
	      (i32.const 0))))`)
	inner = inst.ExportedFunc("inner")
	if got := mustCall(t, inst, "outer"); got != 6 {
		t.Errorf("outer = %d", got)
	}
}

// A host function reached by return_call replaces the caller's frame, so
// the caller's own handlers must not catch what it throws.
func TestTailCallHostException(t *testing.T) {
	s := newStore(t, runtime.Config{})
	host := s.NewHostInstance("env")
	var thrower *runtime.Func
	if _, err := host.DefineFunc("h", ftype(wasm.ValType{}, wasm.I32), func(*runtime.Instance, []runtime.Value) ([]runtime.Value, error) {
		_, err := thrower.Call(nil)
		return nil, err
	}); err != nil {
		t.Fatal(err)
	}
	s.Register("env", host)
	inst := instantiate(t, s, `(module
	  (import "env" "h" (func $h (result i32)))
	  (tag $e (param i32))
	  (func (export "throw") (throw $e (i32.const 1)))
	  (func $tail (result i32)
	    (block $inner (result i32)
	      (try_table (result i32) (catch $e $inner) (return_call $h)))
	    (drop) (i32.const 2))
	  (func (export "outer") (result i32)
	    (block $h (result i32)
	      (try_table (result i32) (catch $e $h) (call $tail)))
	    (i32.add (i32.const 10))))`)
	thrower = inst.ExportedFunc("throw")
	if got := mustCall(t, inst, "outer"); got != 11 {
		t.Errorf("outer = %d, want 11 (caught by the caller of the tail call)", got)
	}
}
