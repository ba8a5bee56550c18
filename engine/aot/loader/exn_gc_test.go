package loader

import (
	"testing"

	"github.com/gcscope/gcscope/engine/gc"
	"github.com/gcscope/gcscope/engine/runtime"
	"github.com/gcscope/gcscope/engine/wasm"
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

// TestExnRefsRootedByFrames: exnrefs handed to native code (catch_all_ref,
// a legacy catch that rethrows) are roots only while a frame slot holds
// them. Under GC stress each loop iteration catches one by reference,
// allocates (a collection) and rethrows it to read its payload, so a
// missing root reads a freed exception; at the end a host function
// collects and counts the exceptions still alive: the one a local
// holds, and none after the legacy loop. Until compiler 1.12's loader
// every such exnref was also pinned for the rest of the native run,
// and the count was the number of iterations.
func TestExnRefsRootedByFrames(t *testing.T) {
	s, e := newNativeStoreConfig(t, runtime.Config{GCStress: true}, nil, nil)
	host := s.NewHostInstance("host")
	if _, err := host.DefineFunc("live_exns", wasm.CompositeType{Kind: wasm.CompFunc, Results: []wasm.ValType{wasm.I32}},
		func(*runtime.Instance, []runtime.Value) ([]runtime.Value, error) {
			if err := s.Heap.Collect(); err != nil {
				return nil, err
			}
			n := 0
			s.Heap.GC.Walk(func(r gc.Ref) bool {
				if s.Heap.GC.KindOf(r) == gc.KindExn {
					n++
				}
				return true
			})
			return []runtime.Value{runtime.I32(int32(n))}, nil
		}); err != nil {
		t.Fatal(err)
	}
	s.Register("host", host)
	inst, err := s.Instantiate(parse(t, `(module
	  (import "host" "live_exns" (func $live_exns (result i32)))
	  (type $s (struct (field i32)))
	  (tag $e (param i32))
	  (func (export "by_ref") (param $n i32) (result i32)
	    (local $x exnref) (local $i i32) (local $sum i32)
	    (loop $l
	      (local.set $x (block $h (result exnref)
	        (try_table (catch_all_ref $h) (throw $e (local.get $i)))
	        (unreachable)))
	      (drop (struct.new $s (i32.const -1)))
	      (local.set $sum (i32.add (local.get $sum)
	        (block $h2 (result i32)
	          (try_table (catch $e $h2) (throw_ref (local.get $x)))
	          (unreachable))))
	      (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
	    ;; $x is read after the count, so its slot roots it there
	    (i32.add (i32.add (local.get $sum) (i32.mul (call $live_exns) (i32.const 1000000)))
	      (ref.is_null (local.get $x))))
	  (func (export "legacy") (param $n i32) (result i32)
	    (local $i i32) (local $sum i32)
	    (loop $l
	      (try
	        (do
	          (try
	            (do (throw $e (local.get $i)))
	            (catch $e
	              (drop)
	              (drop (struct.new $s (i32.const -2)))
	              (rethrow 0))))
	        (catch $e (local.set $sum (i32.add (local.get $sum)))))
	      (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
	    (i32.add (local.get $sum) (i32.mul (call $live_exns) (i32.const 1000000)))))`), nil)
	if err != nil {
		t.Fatal(err)
	}
	if st, _ := e.native(inst); st == nil {
		t.Fatal("the module does not run natively")
	}
	const n = 40
	sum := int32(n * (n - 1) / 2)
	for _, c := range []struct {
		f    string
		live int32
	}{{"by_ref", 1}, {"legacy", 0}} {
		res, err := inst.ExportedFunc(c.f).Call([]runtime.Value{runtime.I32(n)})
		if err != nil {
			t.Fatalf("%s: %v", c.f, err)
		}
		got := int32(res[0].Bits)
		if got%1000000 != sum || got/1000000 != c.live {
			t.Errorf("%s: payload sum %d with %d exceptions alive, want %d with %d", c.f, got%1000000, got/1000000, sum, c.live)
		}
		if err := s.Heap.GC.Verify(); err != nil {
			t.Errorf("after %s: %v", c.f, err)
		}
	}
}
