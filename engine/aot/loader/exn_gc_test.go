package loader

import (
	"testing"

	"github.com/gcscope/gcscope/engine/runtime"
)

// TestExceptionGCPayloads throws struct references under GC stress (a
// collection at every allocation): the payload must survive the
// exception's own allocation (throw commits it first; without that the
// legacy case reads a freed struct), its catch in a native handler two
// calls up, allocations after the catch while it sits on the operand
// stack, a rethrow through catch_all_ref / throw_ref and a legacy try's
// rethrow. (Freed memory is not always reused soon, so a missing root
// does not always show.)
func TestExceptionGCPayloads(t *testing.T) {
	s, e := newNativeStoreConfig(t, runtime.Config{GCStress: true}, nil, nil)
	inst, err := s.Instantiate(parse(t, `(module
	  (type $s (struct (field i32)))
	  (tag $e (param (ref $s) i32))
	  (func $thrower (param i32)
	    (throw $e (struct.new $s (local.get 0)) (i32.const 1)))
	  (func $mid (param i32) (call $thrower (local.get 0)))
	  (func (export "caught") (param i32) (result i32)
	    (local $x (ref null $s)) (local $i i32) (local $j i32)
	    (local.set $x (struct.new $s (i32.const 100)))
	    (block $h (result (ref $s) i32)
	      (try_table (catch $e $h) (call $mid (local.get 0)))
	      (unreachable))
	    (local.set $i)
	    ;; the payload's struct is an operand across these allocations
	    (drop (struct.new $s (i32.const -1)))
	    (local.set $j (i32.const 0))
	    (loop $l
	      (drop (struct.new $s (i32.const -2)))
	      (br_if $l (i32.lt_u (local.tee $j (i32.add (local.get $j) (i32.const 1))) (i32.const 3000))))
	    (struct.get $s 0)
	    (i32.add (local.get $i))
	    (drop (struct.new $s (i32.const -3)))
	    (i32.add (struct.get $s 0 (ref.as_non_null (local.get $x)))))
	  (func (export "rethrown") (param i32) (result i32)
	    (local $x exnref)
	    (local.set $x (block $h (result exnref)
	      (try_table (catch_all_ref $h) (call $mid (local.get 0)))
	      (unreachable)))
	    (drop (struct.new $s (i32.const -4)))
	    (block $h2 (result (ref $s) i32)
	      (try_table (catch $e $h2) (throw_ref (local.get $x)))
	      (unreachable))
	    (drop)
	    (struct.get $s 0))
	  (func (export "legacy") (param i32) (result i32)
	    (block $h (result (ref $s) i32)
	      (try_table (catch $e $h)
	        (try
	          (do (call $mid (local.get 0)))
	          (catch $e
	            (drop) (drop)
	            (drop (struct.new $s (i32.const -5)))
	            (rethrow 0))))
	      (unreachable))
	    (drop)
	    (struct.get $s 0)))`), nil)
	if err != nil {
		t.Fatal(err)
	}
	if st, _ := e.native(inst); st == nil {
		t.Fatal("the module does not run natively")
	}
	for _, c := range []struct {
		f    string
		want int32
	}{{"caught", 5 + 1 + 100}, {"rethrown", 6}, {"legacy", 7}} {
		arg := c.want
		if c.f == "caught" {
			arg = 5
		}
		res, err := inst.ExportedFunc(c.f).Call([]runtime.Value{runtime.I32(arg)})
		if err != nil || int32(res[0].Bits) != c.want {
			t.Errorf("%s(%d) = %v, %v; want %d", c.f, arg, res, err, c.want)
		}
		if err := s.Heap.GC.Verify(); err != nil {
			t.Errorf("after %s: %v", c.f, err)
		}
	}
}
