package loader

import (
	"fmt"
	"slices"
	"testing"

	"github.com/gcscope/gcscope/engine/aot/compile"
	"github.com/gcscope/gcscope/engine/runtime"
)

// Leaf clones (compile/leafcall.go) and loops of two copies
// (compile/loopunroll.go). cons, pick and quot are small leaves, so the
// loops below call their clones, which owe the caller's header and live
// references: six keeps six lists live across each cons (more than a
// clone is passed, compile.leafMaxOwed), on locals and on the operand
// stack, so under GC stress a reference neither committed nor owed
// would be freed; heads traps in pick (a null cell) or in quot (a
// division by zero) at iteration k of a loop, so in either copy, and the
// backtrace must name the caller's frame at its call; deep recurses
// through cons until the stacks run out; mix allocates in its loop
// around calls of mk, which allocates too, so the allocation cursor it
// keeps in a register must be read again after each call
// (compile/alloc_cursor.go). shapes exercises the loop
// copies: a loop with a result, br_table, if/else, an exit to an outer
// block with a value and a return from inside the loop.
const leafLoopWat = `(module
  (type $cell (struct (field i32) (field (ref null $cell))))
  (func $cons (param i32) (param (ref null $cell)) (result (ref $cell))
    (struct.new $cell (local.get 0) (local.get 1)))
  (func $pick (param (ref null $cell)) (result i32)
    (struct.get $cell 0 (local.get 0)))
  (func $quot (param i32 i32) (result i32)
    (i32.div_s (local.get 0) (local.get 1)))
  (func $sum (param $l (ref null $cell)) (result i32)
    (local $s i32) (local $c (ref $cell))
    (block $done
      (loop $walk
        (local.set $c (br_on_null $done (local.get $l)))
        (local.set $s (i32.add (i32.mul (local.get $s) (i32.const 31)) (struct.get $cell 0 (local.get $c))))
        (local.set $l (struct.get $cell 1 (local.get $c)))
        (br $walk)))
    (local.get $s))
  (func $build (export "build") (param $n i32) (result i32)
    (local $l (ref null $cell))
    (block $done
      (loop $more
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $l (call $cons (local.get $n) (local.get $l)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $more)))
    (call $sum (local.get $l)))
  (func (export "six") (param $n i32) (result i32)
    (local $a (ref null $cell)) (local $b (ref null $cell)) (local $c (ref null $cell))
    (local $d (ref null $cell)) (local $e (ref null $cell)) (local $i i32)
    (block $done
      (loop $more
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        ;; $f's list is on the operand stack across the calls that make the others
        (call $cons (i32.mul (local.get $i) (i32.const 7)) (ref.null $cell))
        (local.set $a (call $cons (local.get $i) (local.get $a)))
        (local.set $b (call $cons (i32.add (local.get $i) (i32.const 1)) (local.get $b)))
        (local.set $c (call $cons (i32.add (local.get $i) (i32.const 2)) (local.get $c)))
        (local.set $d (call $cons (i32.add (local.get $i) (i32.const 3)) (local.get $d)))
        (local.set $e (call $cons (i32.add (local.get $i) (i32.const 4)) (local.get $e)))
        (local.set $a (call $cons (call $sum) (local.get $a)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $more)))
    (i32.add (call $sum (local.get $a))
      (i32.add (call $sum (local.get $b))
        (i32.add (call $sum (local.get $c))
          (i32.add (call $sum (local.get $d)) (call $sum (local.get $e)))))))
  (func (export "heads") (param $n i32) (param $k i32) (param $div i32) (result i32)
    (local $l (ref null $cell)) (local $i i32) (local $s i32)
    (local.set $l (call $cons (i32.const 5) (ref.null $cell)))
    (block $done
      (loop $more
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (if (i32.eq (local.get $i) (local.get $k))
          (then (if (local.get $div)
            (then (local.set $s (call $quot (local.get $s) (i32.const 0))))
            (else (local.set $l (ref.null $cell))))))
        (local.set $s (i32.add (local.get $s) (call $pick (local.get $l))))
        (local.set $s (i32.add (local.get $s) (call $quot (local.get $s) (i32.const 3))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $more)))
    (local.get $s))
  (func $mk (param $v i32) (param $t (ref null $cell)) (result (ref $cell))
    ;; not a clone (more than 12 instructions): its allocations move the
    ;; cursor behind its caller's back
    (local $x i32)
    (local.set $x (i32.add (local.get $v) (i32.const 1)))
    (local.set $x (i32.mul (local.get $x) (i32.const 3)))
    (struct.new $cell (local.get $v) (struct.new $cell (local.get $x) (local.get $t))))
  (func (export "mix") (param $n i32) (result i32)
    (local $a (ref null $cell)) (local $b (ref null $cell))
    (block $done
      (loop $more
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $a (struct.new $cell (local.get $n) (local.get $a)))
        (local.set $b (call $mk (local.get $n) (local.get $b)))
        (local.set $a (struct.new $cell (i32.mul (local.get $n) (i32.const 5)) (local.get $a)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $more)))
    (i32.add (i32.mul (call $sum (local.get $a)) (i32.const 7)) (call $sum (local.get $b))))
  (func $deep (export "deep") (param $n i32) (result i32)
    (local $c (ref $cell))
    (local.set $c (call $cons (local.get $n) (ref.null $cell)))
    (i32.add (struct.get $cell 0 (local.get $c)) (call $deep (i32.add (local.get $n) (i32.const 1)))))
  (func (export "shapes") (param $n i32) (result i32)
    (local $i i32) (local $s i32)
    (block $out (result i32)
      (loop $l (result i32)
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (block $c2 (block $c1 (block $c0
          (br_table $c0 $c1 $c2 (i32.rem_u (local.get $i) (i32.const 3))))
          (local.set $s (i32.add (local.get $s) (i32.const 1))) (br $c2))
          (local.set $s (i32.mul (local.get $s) (if (result i32) (i32.and (local.get $i) (i32.const 1)) (then (i32.const 3)) (else (i32.const 5))))))
        (if (i32.eq (local.get $i) (i32.const 1000)) (then (return (i32.const -1))))
        (drop (br_if $out (i32.xor (local.get $s) (local.get $i)) (i32.ge_u (local.get $i) (local.get $n))))
        (br_if $l (i32.lt_u (local.get $i) (local.get $n)))
        (local.get $s)))))`

// leafStores instantiates leafLoopWat on the interpreter and natively.
func leafStores(t *testing.T, opts compile.Options, cfg runtime.Config) (ref, got *runtime.Instance, s *runtime.Store) {
	t.Helper()
	return pairStores(t, leafLoopWat, opts, cfg) // recinline_test.go
}

var leafBuilds = []struct {
	name string
	opts compile.Options
}{
	{"O2", compile.Options{OptLevel: 2}},
	{"O3", compile.Options{OptLevel: 3}},
	{"O0", compile.Options{OptLevel: 0}},
	{"O2-debug", compile.Options{OptLevel: 2, Debug: true}},
	{"O2-debug-operands", compile.Options{OptLevel: 2, Debug: true, DebugOperandsWork: -1}}, // operands stored as pushed, allocations out of line
	{"O2-chunks", compile.Options{OptLevel: 2, ChunkInstrs: 1, Workers: 2}},
	{"O2-chunks40", compile.Options{OptLevel: 2, ChunkInstrs: 40, Workers: 2}}, // callers and clones together and apart
}

// inLeafBuilds runs check on wat instantiated on the interpreter (ref)
// and natively (got, in store s) in each of leafBuilds, with and without
// a collection at every allocation (subtests named after the build,
// "-gcstress" added), then verifies s's heap.
func inLeafBuilds(t *testing.T, wat string, check func(t *testing.T, ref, got *runtime.Instance)) {
	for _, b := range leafBuilds {
		for _, stress := range []bool{false, true} {
			name := b.name
			if stress {
				name += "-gcstress"
			}
			t.Run(name, func(t *testing.T) {
				ref, got, s := pairStores(t, wat, b.opts, runtime.Config{GCStress: stress}) // recinline_test.go
				check(t, ref, got)
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

// TestLeafCallsAndLoopCopies: results as the interpreter's, with and
// without a collection at every allocation (the heap verified after).
func TestLeafCallsAndLoopCopies(t *testing.T) {
	inLeafBuilds(t, leafLoopWat, func(t *testing.T, ref, got *runtime.Instance) {
		i32 := runtime.I32
		for _, c := range []struct {
			fn   string
			args []runtime.Value
		}{
			{"build", []runtime.Value{i32(0)}}, {"build", []runtime.Value{i32(1)}},
			{"build", []runtime.Value{i32(2)}}, {"build", []runtime.Value{i32(301)}},
			{"six", []runtime.Value{i32(0)}}, {"six", []runtime.Value{i32(1)}}, {"six", []runtime.Value{i32(40)}},
			{"heads", []runtime.Value{i32(9), i32(100), i32(0)}},
			{"mix", []runtime.Value{i32(1)}}, {"mix", []runtime.Value{i32(500)}},
			{"shapes", []runtime.Value{i32(0)}}, {"shapes", []runtime.Value{i32(1)}},
			{"shapes", []runtime.Value{i32(2)}}, {"shapes", []runtime.Value{i32(17)}},
			{"shapes", []runtime.Value{i32(18)}}, {"shapes", []runtime.Value{i32(2000)}},
		} {
			sameResults(t, ref, got, c.fn, c.args)
		}
	})
}

// TestLeafCallTrapBacktrace: a trap in a leaf's clone (a null cell, a
// division by zero), at an even and an odd iteration of the loop, names
// the interpreter's frames: the leaf at its instruction, the caller at
// its call, whose header the clone owed.
func TestLeafCallTrapBacktrace(t *testing.T) {
	for _, b := range leafBuilds {
		t.Run(b.name, func(t *testing.T) {
			ref, got, _ := leafStores(t, b.opts, runtime.Config{})
			for _, k := range []int32{0, 1, 4, 7} {
				for _, div := range []int32{0, 1} {
					args := []runtime.Value{runtime.I32(9), runtime.I32(k), runtime.I32(div)}
					want := trapOf(t, ref, "heads", args)
					tr := trapOf(t, got, "heads", args)
					if tr.Msg != want.Msg || !sameFrames(tr.Backtrace, want.Backtrace) || len(tr.Backtrace) != 2 {
						t.Fatalf("heads%v: %q at\n%v\nthe interpreter: %q at\n%v", args, tr.Msg, tr.Backtrace, want.Msg, want.Backtrace)
					}
				}
			}
			res, err := got.ExportedFunc("build").Call([]runtime.Value{runtime.I32(10)})
			if want, _ := ref.ExportedFunc("build").Call([]runtime.Value{runtime.I32(10)}); err != nil || !slices.Equal(res, want) {
				t.Fatalf("build(10) after the traps: %v, %v", res, err)
			}
		})
	}
}

// TestLeafCallStackExhausted: a recursion through cons's clone, whose
// frame its caller's entry check covers, ends in "call stack exhausted"
// with the interpreter's innermost frames.
func TestLeafCallStackExhausted(t *testing.T) {
	for _, b := range leafBuilds {
		t.Run(b.name, func(t *testing.T) {
			ref, got, s := leafStores(t, b.opts, runtime.Config{})
			args := []runtime.Value{runtime.I32(1)}
			want := trapOf(t, ref, "deep", args)
			tr := trapOf(t, got, "deep", args)
			if tr.Msg != "call stack exhausted" || tr.Msg != want.Msg {
				t.Fatalf("trap %q, the interpreter %q", tr.Msg, want.Msg)
			}
			const n = 8
			if len(tr.Backtrace) < 1000 || !sameFrames(tr.Backtrace[len(tr.Backtrace)-n:], want.Backtrace[len(want.Backtrace)-n:]) {
				t.Fatalf("%d frames, outermost %v; the interpreter's %v", len(tr.Backtrace),
					tr.Backtrace[len(tr.Backtrace)-n:], want.Backtrace[len(want.Backtrace)-n:])
			}
			if err := s.Heap.GC.Verify(); err != nil {
				t.Fatalf("heap: %v", err)
			}
			sameResults(t, ref, got, "six", []runtime.Value{runtime.I32(5)})
		})
	}
}

// Stubs (a call_ref of a method from the receiver's vtable) are called
// as clones, and their call_ref calls its leaf targets' clones
// (compile/leafcall.go caseCall). twice allocates in the method; bad
// casts the receiver to the wrong type, so the trap is in a target's
// clone inside a stub's clone inside the loop, and the backtrace must
// name all three frames as the interpreter does.
const stubWat = `(module
  (rec
    (type $m (func (param (ref $obj)) (result (ref null $obj))))
    (type $vt (struct (field (ref $m)) (field (ref $m))))
    (type $obj (sub (struct (field (ref $vt)) (field i32))))
    (type $a (sub final $obj (struct (field (ref $vt)) (field i32))))
    (type $b (sub final $obj (struct (field (ref $vt)) (field i32) (field i32)))))
  (global $avt (mut (ref null $vt)) (ref.null $vt))
  (global $bvt (mut (ref null $vt)) (ref.null $vt))
  (elem declare func $twice $bad $next)
  (func $twice (type $m)
    (struct.new $a (struct.get $obj 0 (local.get 0)) (struct.get $obj 1 (local.get 0))))
  (func $bad (type $m)
    (ref.cast (ref $b) (local.get 0)))
  (func $next (type $m)
    (struct.new $b (struct.get $obj 0 (local.get 0)) (i32.const 1) (i32.const 2)))
  (func $m0 (param $o (ref $obj)) (result (ref null $obj))
    (call_ref $m (local.get $o) (struct.get $vt 0 (struct.get $obj 0 (local.get $o)))))
  (func $m1 (param $o (ref $obj)) (result (ref null $obj))
    (call_ref $m (local.get $o) (struct.get $vt 1 (struct.get $obj 0 (local.get $o)))))
  (func $init
    (global.set $avt (struct.new $vt (ref.func $twice) (ref.func $bad)))
    (global.set $bvt (struct.new $vt (ref.func $twice) (ref.func $next))))
  (func (export "run") (param $n i32) (param $k i32) (result i32)
    (local $o (ref null $obj)) (local $keep (ref null $obj)) (local $i i32) (local $s i32)
    (call $init)
    (local.set $o (struct.new $b (ref.as_non_null (global.get $bvt)) (i32.const 1) (i32.const 5)))
    (local.set $keep (struct.new $a (ref.as_non_null (global.get $avt)) (i32.const 7)))
    (block $done
      (loop $more
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $o (call $m0 (ref.as_non_null (local.get $o))))
        (local.set $s (i32.add (local.get $s) (struct.get $obj 1 (ref.as_non_null (local.get $o)))))
        (if (i32.eq (local.get $i) (local.get $k))
          (then (local.set $o (struct.new $a (ref.as_non_null (global.get $avt)) (i32.const 3)))))
        (local.set $o (call $m1 (ref.as_non_null (local.get $o))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $more)))
    (i32.add (local.get $s) (struct.get $obj 1 (ref.as_non_null (local.get $keep))))))`

// TestStubClones: results as the interpreter's (with GC stress too), and
// a bad cast's backtrace through a target's and a stub's clones.
func TestStubClones(t *testing.T) {
	for _, b := range leafBuilds {
		for _, stress := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s-stress=%v", b.name, stress), func(t *testing.T) {
				ref, got, s := pairStores(t, stubWat, b.opts, runtime.Config{GCStress: stress})
				for _, n := range []int32{0, 1, 30} {
					sameResults(t, ref, got, "run", []runtime.Value{runtime.I32(n), runtime.I32(1000)})
				}
				for _, k := range []int32{0, 3} {
					args := []runtime.Value{runtime.I32(10), runtime.I32(k)}
					want := trapOf(t, ref, "run", args)
					tr := trapOf(t, got, "run", args)
					if tr.Msg != want.Msg || !sameFrames(tr.Backtrace, want.Backtrace) || len(tr.Backtrace) != 3 {
						t.Fatalf("run%v: %q at\n%v\nthe interpreter: %q at\n%v", args, tr.Msg, tr.Backtrace, want.Msg, want.Backtrace)
					}
				}
				if err := s.Heap.GC.Verify(); err != nil {
					t.Fatalf("heap: %v", err)
				}
			})
		}
	}
}
