package loader

import (
	"testing"

	"github.com/gcscope/gcscope/engine/runtime"
)

// TestInstanceTableGCAndMemories: one module reads every part of the
// instance table: globals, the GC instance data words (canonical type
// ids for struct.new and casts, inline allocation, call_ref's function
// base) and the descriptors of two memories behind them.
func TestInstanceTableGCAndMemories(t *testing.T) {
	inst, _ := instantiate(t, parse(t, `(module
	  (type $p (sub (struct (field i64))))
	  (type $q (sub $p (struct (field i64) (field i64))))
	  (type $get (func (param (ref $p)) (result i64)))
	  (memory $m0 1)
	  (memory $m1 1 2)
	  (global $g (mut i64) (i64.const 5))
	  (elem declare func $first)
	  (func $first (type $get) (struct.get $p 0 (local.get 0)))
	  (func (export "f") (param i64) (result i64)
	    (local $r (ref null $p))
	    (i64.store $m1 (i32.const 8) (local.get 0))
	    (drop (memory.grow $m1 (i32.const 1)))
	    (i64.store $m1 (i32.const 65544) (i64.const 1000))
	    (local.set $r (struct.new $q (i64.load $m1 (i32.const 8)) (global.get $g)))
	    (i64.add
	      (i64.add (call_ref $get (ref.cast (ref $q) (local.get $r)) (ref.func $first))
	               (struct.get $q 1 (ref.cast (ref $q) (local.get $r))))
	      (i64.add (i64.load $m1 (i32.const 65544)) (i64.extend_i32_u (memory.size $m1))))))`))
	res, err := inst.ExportedFunc("f").Call([]runtime.Value{runtime.I64(30)})
	if err != nil || res[0].Bits != 30+5+1000+2 {
		t.Fatalf("f(30) = %v, %v; want %d", res, err, 30+5+1000+2)
	}
}
