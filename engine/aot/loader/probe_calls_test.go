package loader

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/gcscope/gcscope/engine/runtime"
)

// Loops calling a recursive function's outer probe (compile/
// probe_calls.go) and straight runs of allocations with the cursor in a
// variable (compile/cursor_straight.go). value is i31_mix's dispatcher
// with two more cases: a pair allocates a box of its sum (garbage under
// GC stress while sum's references are live across the call), and an
// $odd struct traps (unreachable) where null gives 0. sum's loop calls
// value, whose outer probe answers i31s, boxes and null itself and calls
// value for the rest; sum keeps $vals and a box of its own live across
// every call, on locals and on the operand stack. nest wraps its leaf in
// d pairs, deeper than value's levels, so the probe's call runs the
// levels and their own probe down to the function again. A trap at the
// top of value (an $odd element) comes from the function the probe
// called, whose caller's header the probe owed: the backtrace names sum
// at its call.
const probeLoopsWat = `(module
  (type $boxed (struct (field $v i64)))
  (type $pair (struct (field $a anyref) (field $b anyref)))
  (type $bytes (array i8))
  (type $vals (array (mut anyref)))
  (type $odd (struct (field i32)))
  (func $value (param $x anyref) (result i64)
    (local $p (ref $pair)) (local $b (ref $bytes)) (local $i i32) (local $sum i64)
    (block $is_bytes (result (ref $bytes))
      (block $is_pair (result (ref $pair))
        (block $is_boxed (result (ref $boxed))
          (block $is_i31 (result (ref i31))
            (local.get $x)
            (br_on_cast $is_i31 anyref (ref i31))
            (br_on_cast $is_boxed anyref (ref $boxed))
            (br_on_cast $is_pair anyref (ref $pair))
            (br_on_cast $is_bytes anyref (ref $bytes))
            (ref.is_null)
            (if (result i64) (then (i64.const 0)) (else (unreachable)))
            (return))
          (return (i64.extend_i32_s (i31.get_s))))
        (return (struct.get $boxed $v)))
      (local.set $p)
      (return (struct.get $boxed $v (struct.new $boxed
        (i64.add (call $value (struct.get $pair $a (local.get $p)))
                 (i64.mul (i64.const 3) (call $value (struct.get $pair $b (local.get $p)))))))))
    (local.set $b)
    (block $done
      (loop $each
        ;; a first byte 255 reads one past the end: a trap in the outer probe's loop
        (br_if $done (i32.ge_u (local.get $i) (i32.add (array.len (local.get $b))
          (i32.eq (array.get_u $bytes (local.get $b) (i32.const 0)) (i32.const 255)))))
        (local.set $sum (i64.add (local.get $sum) (i64.extend_i32_u (array.get_u $bytes (local.get $b) (local.get $i)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $each)))
    (local.get $sum))
  (func $nest (param $d i32) (param $leaf anyref) (result anyref)
    (block $done
      (loop $more
        (br_if $done (i32.eqz (local.get $d)))
        (local.set $leaf (struct.new $pair (local.get $leaf) (ref.i31 (local.get $d))))
        (local.set $d (i32.sub (local.get $d) (i32.const 1)))
        (br $more)))
    (local.get $leaf))
  ;; n values, element k of kind k mod 7; depth deep for the nested one;
  ;; element odd (if in range) an $odd struct, the nested one's leaf
  ;; when oddleaf is 1, the byte arrays' first byte 255 when it is 2.
  (func $values (param $n i32) (param $deep i32) (param $odd i32) (param $oddleaf i32) (result (ref $vals))
    (local $v (ref $vals)) (local $k i32) (local $leaf anyref)
    (local.set $v (array.new $vals (ref.null none) (local.get $n)))
    (local.set $leaf (ref.i31 (i32.const 5)))
    (if (i32.eq (local.get $oddleaf) (i32.const 1)) (then (local.set $leaf (struct.new $odd (i32.const 1)))))
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $k) (local.get $n)))
        (array.set $vals (local.get $v) (local.get $k)
          (block $set (result anyref)
            (block $c6 (block $c5 (block $c4 (block $c3 (block $c2 (block $c1 (block $c0
              (br_table $c0 $c1 $c2 $c3 $c4 $c5 $c6 (i32.rem_u (local.get $k) (i32.const 7))))
              (br $set (ref.i31 (i32.sub (i32.const 0) (local.get $k)))))
              (br $set (struct.new $boxed (i64.mul (i64.extend_i32_u (local.get $k)) (i64.const 1000000007)))))
              (br $set (struct.new $pair (ref.i31 (local.get $k)) (struct.new $boxed (i64.const 23)))))
              (br $set (array.new_fixed $bytes 3
                (select (i32.const 255) (local.get $k) (i32.eq (local.get $oddleaf) (i32.const 2)))
                (i32.const 2) (i32.const 250))))
              (br $set (ref.null none)))
              (br $set (call $nest (local.get $deep) (local.get $leaf))))
            (struct.new $pair (struct.new $pair (ref.i31 (i32.const 1)) (ref.i31 (i32.const 2))) (ref.null none))))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $each)))
    (if (i32.lt_u (local.get $odd) (local.get $n))
      (then (array.set $vals (local.get $v) (local.get $odd) (struct.new $odd (i32.const 0)))))
    (local.get $v))
  (func (export "sum") (param $n i32) (param $deep i32) (param $odd i32) (param $oddleaf i32) (param $rounds i32) (result i64)
    (local $v (ref $vals)) (local $own (ref $boxed)) (local $i i32) (local $s i64)
    (local.set $v (call $values (local.get $n) (local.get $deep) (local.get $odd) (local.get $oddleaf)))
    (local.set $own (struct.new $boxed (i64.const 11)))
    (loop $round
      (local.set $i (i32.const 0))
      (block $done
        (loop $each
          (br_if $done (i32.ge_u (local.get $i) (array.len (local.get $v))))
          ;; $own's field is on the operand stack across the call, $own and $v on locals
          (local.set $s (i64.add (local.get $s)
            (i64.add (struct.get $boxed $v (local.get $own))
              (call $value (array.get $vals (local.get $v) (local.get $i))))))
          (local.set $own (struct.new $boxed (i64.add (struct.get $boxed $v (local.get $own)) (i64.const 1))))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br $each)))
      (br_if $round (local.tee $rounds (i32.sub (local.get $rounds) (i32.const 1)))))
    (i64.add (local.get $s) (struct.get $boxed $v (local.get $own))))
  (func (export "once") (param $deep i32) (result i64)
    (call $value (call $nest (local.get $deep) (struct.new $boxed (i64.const 9)))))
  (func (export "three") (result i64)
    (local $a (ref $boxed)) (local $b (ref $pair)) (local $c (ref $bytes))
    (local.set $a (struct.new $boxed (i64.const 40)))
    (local.set $b (struct.new $pair (local.get $a) (struct.new $boxed (i64.const 2))))
    (local.set $c (array.new_fixed $bytes 2 (i32.const 7) (i32.const 8)))
    (i64.add (call $value (local.get $b)) (call $value (local.get $c)))))`

// TestProbeLoopCalls: results as the interpreter's at every build, with
// and without a collection at every allocation (the heap verified
// after): shallow values, nests deeper than the levels, several rounds.
func TestProbeLoopCalls(t *testing.T) {
	i32 := runtime.I32
	for _, b := range leafBuilds { // leafcall_test.go: -O2, -O3, -O0, debug, chunks
		for _, stress := range []bool{false, true} {
			name := b.name
			if stress {
				name += "-gcstress"
			}
			t.Run(name, func(t *testing.T) {
				ref, got, s := pairStores(t, probeLoopsWat, b.opts, runtime.Config{GCStress: stress})
				for _, args := range [][]runtime.Value{
					{i32(0), i32(0), i32(-1), i32(0), i32(1)},
					{i32(7), i32(0), i32(-1), i32(0), i32(1)},
					{i32(7), i32(1), i32(-1), i32(0), i32(3)},
					{i32(30), i32(3), i32(-1), i32(0), i32(2)},
					{i32(14), i32(25), i32(-1), i32(0), i32(2)},
					{i32(50), i32(60), i32(-1), i32(0), i32(1)},
				} {
					sameResults(t, ref, got, "sum", args)
				}
				for _, d := range []int32{0, 1, 2, 9, 40} {
					sameResults(t, ref, got, "once", []runtime.Value{i32(d)})
				}
				sameResults(t, ref, got, "three", nil)
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

// TestProbeLoopTrapBacktrace: an $odd element traps in value, called by
// sum's loop through the outer probe (at the top, so from the function
// the probe called) or nested below pairs (from a level or from the
// function the levels' probe called, deeper than the levels), and so
// does a byte array read past its end in value's loop, which the outer
// probe runs: the backtrace is the interpreter's, frame for frame, sum
// named at its call.
func TestProbeLoopTrapBacktrace(t *testing.T) {
	i32 := runtime.I32
	for _, b := range leafBuilds {
		t.Run(b.name, func(t *testing.T) {
			ref, got, _ := pairStores(t, probeLoopsWat, b.opts, runtime.Config{})
			for _, args := range [][]runtime.Value{
				{i32(7), i32(0), i32(0), i32(0), i32(1)},
				{i32(9), i32(0), i32(8), i32(0), i32(1)},
				{i32(7), i32(1), i32(-1), i32(1), i32(1)},
				{i32(7), i32(4), i32(-1), i32(1), i32(1)},
				{i32(7), i32(30), i32(-1), i32(1), i32(1)},
				{i32(7), i32(0), i32(-1), i32(2), i32(1)},
				{i32(14), i32(2), i32(-1), i32(2), i32(2)},
			} {
				want := trapOf(t, ref, "sum", args)
				tr := trapOf(t, got, "sum", args)
				if tr.Msg != want.Msg || !sameFrames(tr.Backtrace, want.Backtrace) || len(tr.Backtrace) < 2 {
					t.Fatalf("sum%v: %q at\n%v\nthe interpreter: %q at\n%v", args, tr.Msg, tr.Backtrace, want.Msg, want.Backtrace)
				}
			}
			args := []runtime.Value{i32(7), i32(2), i32(-1), i32(0), i32(1)}
			res, err := got.ExportedFunc("sum").Call(args)
			if want, _ := ref.ExportedFunc("sum").Call(args); err != nil || !slices.Equal(res, want) {
				t.Fatalf("sum%v after the traps: %v, %v, want %v", args, res, err, want)
			}
		})
	}
}

// TestOuterProbeLoopInterrupted: spin's outer probe runs its endless
// loop (the body's last instruction), called from go's loop; an
// interrupt set meanwhile reaches it: the probe calls spin, whose own
// loop traps "interrupted".
func TestOuterProbeLoopInterrupted(t *testing.T) {
	inst, _ := instantiate(t, parse(t, `(module
  (func $spin (param $n i32) (result i32)
    (if (local.get $n)
      (then (return (i32.add (call $spin (i32.sub (local.get $n) (i32.const 1)))
                             (call $spin (i32.sub (local.get $n) (i32.const 1)))))))
    (loop $l (br $l))
    (i32.const 0))
  (func (export "go") (param $k i32) (result i32)
    (local $s i32)
    (loop $l
      (local.set $s (i32.add (local.get $s) (call $spin (i32.const 0))))
      (br_if $l (local.tee $k (i32.sub (local.get $k) (i32.const 1)))))
    (local.get $s)))`))
	env := inst.Store.Env()
	go func() {
		time.Sleep(50 * time.Millisecond)
		env.Interrupt.Store(1)
	}()
	_, err := inst.ExportedFunc("go").Call([]runtime.Value{runtime.I32(3)})
	var tr *runtime.Trap
	if !errors.As(err, &tr) || tr.Msg != "interrupted" {
		t.Fatalf("got %v, want the trap \"interrupted\"", err)
	}
}
