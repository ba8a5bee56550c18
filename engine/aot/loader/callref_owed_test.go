package loader

import (
	"fmt"
	"testing"

	"github.com/gcscope/gcscope/engine/runtime"
)

// Owed call_ref commits (compile/callref_owed.go): a call_ref whose
// switch calls leaf targets' clones stores nothing before the switch;
// the methods' clones owe the commit (and, in a stub's clone, the stub's
// caller's debt), the helper path and the other cases store it first.
// cons and quot are clone targets that allocate (so under GC stress
// every call collects inside the method, and any reference of the
// callers neither stored nor owed would be freed); quot traps on a zero
// divisor at iteration k; big is too large for a clone and is called
// from the same switch. direct makes the call_refs itself with five
// lists live across them (more than a clone is passed); viaStub makes
// them through via, a stub called as a clone, with three lists live in
// the caller, so the method's clone owes via's commit and viaStub's
// header and lists. cons, quot and big are the likely targets of the
// call_refs (compile/callref_likely.go: the vtables' struct.news store
// them as ref.func constants), twice is not (its vtable gets the funcref
// from a local) and takes the switch.
const callRefOwedWat = `(module
  (type $cell (struct (field i32) (field (ref null $cell))))
  (type $f (func (param i32 (ref null $cell)) (result (ref null $cell))))
  (type $vt (struct (field (ref $f))))
  (elem declare func $cons $quot $big $twice)
  (func $cons (type $f) (struct.new $cell (local.get 0) (local.get 1)))
  (func $twice (type $f) (struct.new $cell (i32.shl (local.get 0) (i32.const 1)) (local.get 1)))
  (func $quot (type $f) (struct.new $cell (i32.div_s (i32.const 100) (local.get 0)) (local.get 1)))
  (func $big (type $f)
    (struct.new $cell
      (i32.xor (i32.add (local.get 0) (i32.const 1)) (i32.const 5))
      (struct.new $cell (i32.mul (local.get 0) (i32.const 3))
        (struct.new $cell (i32.sub (i32.const 7) (local.get 0)) (local.get 1)))))
  (func $via (param $x i32) (param $l (ref null $cell)) (param $v (ref null $vt)) (result (ref null $cell))
    (call_ref $f (local.get $x) (local.get $l) (struct.get $vt 0 (local.get $v))))
  (func $sum (param $l (ref null $cell)) (result i32)
    (local $s i32) (local $c (ref $cell))
    (block $done
      (loop $walk
        (local.set $c (br_on_null $done (local.get $l)))
        (local.set $s (i32.add (i32.mul (local.get $s) (i32.const 31)) (struct.get $cell 0 (local.get $c))))
        (local.set $l (struct.get $cell 1 (local.get $c)))
        (br $walk)))
    (local.get $s))
  (func (export "direct") (param $n i32) (param $k i32) (result i32)
    (local $a (ref null $cell)) (local $b (ref null $cell)) (local $c (ref null $cell))
    (local $d (ref null $cell)) (local $e (ref null $cell)) (local $i i32)
    (local $vc (ref null $vt)) (local $vq (ref null $vt)) (local $vb (ref null $vt))
    (local $vt2 (ref null $vt)) (local $fn (ref null $f))
    (local.set $vc (struct.new $vt (ref.func $cons)))
    (local.set $vq (struct.new $vt (ref.func $quot)))
    (local.set $vb (struct.new $vt (ref.func $big)))
    (local.set $fn (ref.func $twice))
    (local.set $vt2 (struct.new $vt (ref.as_non_null (local.get $fn))))
    (block $done
      (loop $more
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $a (call_ref $f (local.get $i) (local.get $a)
          (struct.get $vt 0 (select (result (ref null $vt)) (local.get $vt2) (local.get $vc) (i32.eq (i32.rem_u (local.get $i) (i32.const 3)) (i32.const 1))))))
        (local.set $b (call_ref $f (i32.add (local.get $i) (i32.const 1)) (local.get $b)
          (struct.get $vt 0 (select (result (ref null $vt)) (local.get $vb) (local.get $vc) (i32.and (local.get $i) (i32.const 1))))))
        (local.set $c (call_ref $f (i32.sub (local.get $i) (local.get $k)) (local.get $c) (struct.get $vt 0 (local.get $vq))))
        (local.set $d (call_ref $f (i32.add (local.get $i) (i32.const 3)) (local.get $d) (struct.get $vt 0 (local.get $vb))))
        (local.set $e (call_ref $f (i32.add (local.get $i) (i32.const 4)) (local.get $e) (struct.get $vt 0 (local.get $vc))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $more)))
    (i32.add (call $sum (local.get $a))
      (i32.add (call $sum (local.get $b))
        (i32.add (call $sum (local.get $c))
          (i32.add (call $sum (local.get $d)) (call $sum (local.get $e)))))))
  (func (export "viaStub") (param $n i32) (param $k i32) (result i32)
    (local $a (ref null $cell)) (local $b (ref null $cell)) (local $c (ref null $cell)) (local $i i32)
    (local $vc (ref null $vt)) (local $vq (ref null $vt)) (local $vb (ref null $vt))
    (local.set $vc (struct.new $vt (ref.func $cons)))
    (local.set $vq (struct.new $vt (ref.func $quot)))
    (local.set $vb (struct.new $vt (ref.func $big)))
    (block $done
      (loop $more
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $a (call $via (local.get $i) (local.get $a) (local.get $vc)))
        (local.set $b (call $via (i32.add (local.get $i) (i32.const 1)) (local.get $b)
          (select (result (ref null $vt)) (local.get $vb) (local.get $vq) (i32.and (local.get $i) (i32.const 1)))))
        (local.set $c (call $via (i32.sub (local.get $k) (local.get $i)) (local.get $c) (local.get $vq)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $more)))
    (i32.add (call $sum (local.get $a))
      (i32.add (call $sum (local.get $b)) (call $sum (local.get $c))))))`

// TestCallRefOwedCommit: results as the interpreter's, with and without
// a collection at every allocation (the heap verified after), and the
// trap in quot's clone names the interpreter's frames: quot, direct at
// its call_ref; quot, via at its call_ref, viaStub at its call.
func TestCallRefOwedCommit(t *testing.T) {
	for _, b := range leafBuilds {
		for _, stress := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s-stress=%v", b.name, stress), func(t *testing.T) {
				ref, got, s := pairStores(t, callRefOwedWat, b.opts, runtime.Config{GCStress: stress})
				i32 := runtime.I32
				for _, n := range []int32{0, 1, 2, 41} {
					sameResults(t, ref, got, "direct", []runtime.Value{i32(n), i32(-1)})
					sameResults(t, ref, got, "viaStub", []runtime.Value{i32(n), i32(100)})
				}
				for _, c := range []struct {
					fn     string
					k      int32
					frames int
				}{{"direct", 0, 2}, {"direct", 5, 2}, {"viaStub", 0, 3}, {"viaStub", 6, 3}} {
					args := []runtime.Value{i32(10), i32(c.k)}
					want := trapOf(t, ref, c.fn, args)
					tr := trapOf(t, got, c.fn, args)
					if tr.Msg != want.Msg || !sameFrames(tr.Backtrace, want.Backtrace) || len(tr.Backtrace) != c.frames {
						t.Fatalf("%s%v: %q at\n%v\nthe interpreter: %q at\n%v", c.fn, args, tr.Msg, tr.Backtrace, want.Msg, want.Backtrace)
					}
				}
				sameResults(t, ref, got, "direct", []runtime.Value{i32(30), i32(-1)})
				if err := s.Heap.GC.Verify(); err != nil {
					t.Fatalf("heap: %v", err)
				}
				if st := s.Heap.GC.Stats(); st.BadRefs != 0 || stress && st.Collections == 0 {
					t.Fatalf("collector stats %+v", st)
				}
			})
		}
	}
}
