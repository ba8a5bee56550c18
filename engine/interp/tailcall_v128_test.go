package interp

import (
	"testing"

	"github.com/gcscope/gcscope/engine/runtime"
	"github.com/gcscope/gcscope/engine/wasm"
)

// TestTailCallV128Args: a tail call moves its arguments to the frame's
// base by slots, not by count: a v128 argument takes two slots, and
// moving one left its high half to whatever the caller's next slot held
// (found by the binaryen differential test, seed all9275: a
// return_call_ref to an imported v128 logger printed the caller's i31
// parameter in lane 2). return_call, return_call_indirect and
// return_call_ref to a Wasm callee, and return_call_ref to a host
// function, each pass a v128 after an i32 and before an i64.
func TestTailCallV128Args(t *testing.T) {
	s := newStore(t, runtime.Config{})
	host := s.NewHostInstance("env")
	var logged []runtime.Value
	if _, err := host.DefineFunc("log", wasm.CompositeType{Kind: wasm.CompFunc, Params: []wasm.ValType{wasm.I32, wasm.V128, wasm.I64}},
		func(_ *runtime.Instance, a []runtime.Value) ([]runtime.Value, error) {
			logged = append(logged, a...)
			return nil, nil
		}); err != nil {
		t.Fatal(err)
	}
	s.Register("env", host)
	inst := instantiate(t, s, `(module
	  (type $sig (func (param i32 v128 i64) (result i64)))
	  (type $logsig (func (param i32 v128 i64)))
	  (import "env" "log" (func $log (type $logsig)))
	  (table funcref (elem $sum))
	  (elem declare func $sum $log)
	  ;; lane 2 and lane 3 sit in the vector's second slot
	  (func $sum (type $sig)
	    (i64.add
	      (i64.add (i64.extend_i32_u (local.get 0)) (local.get 2))
	      (i64.add
	        (i64.extend_i32_u (i32x4.extract_lane 2 (local.get 1)))
	        (i64.extend_i32_u (i32x4.extract_lane 3 (local.get 1))))))
	  ;; each caller has more parameters than the callee, so the slots past
	  ;; the moved arguments hold values of its own
	  (func (export "direct") (param i32 i32 i32 i32 i32) (result i64)
	    (return_call $sum (i32.const 1) (v128.const i32x4 0 0 100 1000) (i64.const 10)))
	  (func (export "indirect") (param i32 i32 i32 i32 i32) (result i64)
	    (return_call_indirect (type $sig) (i32.const 1) (v128.const i32x4 0 0 100 1000) (i64.const 10) (i32.const 0)))
	  (func (export "by_ref") (param i32 i32 i32 i32 i32) (result i64)
	    (return_call_ref $sig (i32.const 1) (v128.const i32x4 0 0 100 1000) (i64.const 10) (ref.func $sum)))
	  (func (export "host") (param i32 i32 i32 i32 i32)
	    (return_call_ref $logsig (i32.const 1) (v128.const i32x4 0 0 100 1000) (i64.const 10) (ref.func $log))))`)
	args := []runtime.Value{runtime.I32(-7), runtime.I32(-7), runtime.I32(-7), runtime.I32(-7), runtime.I32(-7)}
	for _, name := range []string{"direct", "indirect", "by_ref"} {
		res, err := inst.ExportedFunc(name).Call(args)
		if err != nil || len(res) != 1 || res[0].Bits != 1111 {
			t.Errorf("%s: %v %v, want 1111", name, res, err)
		}
	}
	if _, err := inst.ExportedFunc("host").Call(args); err != nil {
		t.Fatal(err)
	}
	if len(logged) != 3 || logged[1].Bits != 0 || logged[1].Hi != 1000<<32|100 || logged[2].Bits != 10 {
		t.Errorf("the host got %+v, want 1, the vector (0 0 100 1000) and 10", logged)
	}
}
