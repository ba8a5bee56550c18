package compile

import (
	"strings"
	"testing"

	"github.com/llir/llvm/ir"
)

// probeLoopWat: value, a recursive dispatcher (two self-call sites, so
// it gets levels and a probe), called from sum's loop and from once
// outside any loop; build allocates three objects one after another.
const probeLoopWat = `(module
  (type $boxed (struct (field i64)))
  (type $pair (struct (field anyref) (field anyref)))
  (func $value (param $x anyref) (result i64)
    (local $p (ref $pair))
    (block $is_pair (result (ref $pair))
      (block $is_boxed (result (ref $boxed))
        (block $is_i31 (result (ref i31))
          (local.get $x)
          (br_on_cast $is_i31 anyref (ref i31))
          (br_on_cast $is_boxed anyref (ref $boxed))
          (br_on_cast $is_pair anyref (ref $pair))
          (drop)
          (return (i64.const 0)))
        (return (i64.extend_i32_s (i31.get_s))))
      (return (struct.get $boxed 0)))
    (local.set $p)
    (i64.add (call $value (struct.get $pair 0 (local.get $p)))
             (call $value (struct.get $pair 1 (local.get $p)))))
  (func (export "sum") (param $x anyref) (param $n i32) (result i64)
    (local $s i64)
    (loop $l
      (local.set $s (i64.add (local.get $s) (call $value (local.get $x))))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (local.get $s))
  (func (export "once") (param $x anyref) (result i64)
    (call $value (local.get $x)))
  (func (export "build") (result anyref)
    (struct.new $pair (struct.new $boxed (i64.const 1)) (struct.new $boxed (i64.const 2)))))`

// callsOf lists the functions fn calls directly.
func callsOf(fn *ir.Func) []string {
	var out []string
	for _, b := range fn.Blocks {
		for _, in := range b.Insts {
			if c, ok := in.(*ir.InstCall); ok {
				if g, ok := c.Callee.(*ir.Func); ok {
					out = append(out, g.Name())
				}
			}
		}
	}
	return out
}

// TestLoopCallsOuterProbe: sum's call of value, in a loop, calls value's
// outer probe, passing sum's header; once's call, outside a loop, calls
// value. The outer probe runs the casts (answering an i31, a boxed
// number and null itself), while the levels' probe stops at the first
// cast; both call the function through its rec declaration.
// Debug builds and -O0 have no outer probe.
func TestLoopCallsOuterProbe(t *testing.T) {
	fns := funcsByName(t, probeLoopWat, Options{OptLevel: 2})
	levels := 0
	for cloneSymbolExists := true; cloneSymbolExists; levels++ {
		_, cloneSymbolExists = fns[cloneSymbol(0, levels+1)]
	}
	// levels-1 is the number of clones: levels 1..K-1, the probe, the outer probe.
	outerName, probeName := cloneSymbol(0, levels-1), cloneSymbol(0, levels-2)
	outer, probe := fns[outerName], fns[probeName]
	if outer == nil || probe == nil {
		t.Fatalf("no outer probe %s and probe %s among %d clones", outerName, probeName, levels-1)
	}
	sum := strings.Join(callsOf(fns["gcs_func_1"]), " ")
	if !strings.Contains(sum, outerName) || strings.Contains(sum, "gcs_func_0 ") || strings.HasSuffix(sum, "gcs_func_0") {
		t.Errorf("sum calls %s, want %s and not gcs_func_0", sum, outerName)
	}
	for _, b := range fns["gcs_func_1"].Blocks {
		for _, in := range b.Insts {
			if c, ok := in.(*ir.InstCall); ok && c.Callee == outer {
				if a := c.Args; len(a) != len(outer.Params) || a[len(a)-2].Ident() != "%top" {
					t.Errorf("sum's call does not pass its header to the probe: %s", c.LLString())
				}
			}
		}
	}
	if once := strings.Join(callsOf(fns["gcs_func_2"]), " "); !strings.Contains(once, "gcs_func_0") || strings.Contains(once, "gcs_func_0_r") {
		t.Errorf("once calls %s, want gcs_func_0", once)
	}
	// The casts: an i31 test and a compare of canonical ids per
	// concrete target. The levels' probe stops before the first.
	compares := func(fn *ir.Func) int {
		n := 0
		for _, b := range fn.Blocks {
			for _, in := range b.Insts {
				if _, ok := in.(*ir.InstICmp); ok {
					n++
				}
			}
		}
		return n
	}
	if n := compares(outer); n < 4 {
		t.Errorf("the outer probe makes %d compares, want the casts' (at least 4):\n%s", n, outer.LLString())
	}
	if n := compares(probe); n != 0 {
		t.Errorf("the levels' probe makes %d compares, want 0:\n%s", n, probe.LLString())
	}
	if !strings.Contains(strings.Join(callsOf(outer), " "), recSymbol(0)) {
		t.Errorf("the outer probe does not call %s", recSymbol(0))
	}
	for _, o := range []Options{{OptLevel: 2, Debug: true}, {OptLevel: 0}} {
		fns := funcsByName(t, probeLoopWat, o)
		if c := strings.Join(callsOf(fns["gcs_func_1"]), " "); strings.Contains(c, "gcs_func_0_r") {
			t.Errorf("%+v: sum calls %s", o, c)
		}
	}
}

// TestStraightAllocsKeepCursor: build's three allocations, in no loop,
// bump the cursor in a variable: the env's cursor word is read once, in
// the entry block (then only written, at each allocation, and read again
// after calls: build makes none but the slow paths' helpers).
func TestStraightAllocsKeepCursor(t *testing.T) {
	build := funcsByName(t, probeLoopWat, Options{OptLevel: 2})["gcs_func_3"]
	for k, b := range build.Blocks {
		loads := 0
		for _, in := range b.Insts {
			ld, ok := in.(*ir.InstLoad)
			if !ok {
				continue
			}
			if g, ok := ld.Src.(*ir.InstGetElementPtr); ok && len(g.Indices) == 1 && g.Indices[0].Ident() == "5" && g.Src.Ident() == "%env" {
				loads++
			}
		}
		calls := len(callsOf(&ir.Func{Blocks: []*ir.Block{b}})) > 0 || strings.Contains(b.LLString(), "call ")
		if k == 0 && loads != 1 || k > 0 && loads > 0 && !calls {
			t.Errorf("block %d reads the cursor word %d times:\n%s", k, loads, b.LLString())
		}
	}
}

// probeLoopsWat: tail's loop runs to the end of the body, so its outer
// probe runs it; mid's loop is followed by self-calls, where the probe
// stops, so its outer probe stops at the loop (the function would do the
// loop's work again).
const probeLoopsWat = `(module
  (type $bytes (array i8))
  (func $tail (param $x anyref) (param $d i32) (result i32)
    (local $b (ref $bytes)) (local $i i32) (local $s i32)
    (if (local.get $d)
      (then (return (i32.add (call $tail (local.get $x) (i32.sub (local.get $d) (i32.const 1)))
                             (call $tail (local.get $x) (i32.const 0))))))
    (local.set $b (block $is (result (ref $bytes))
      (br_on_cast $is anyref (ref $bytes) (local.get $x))
      (return (i32.const -1))))
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $i) (array.len (local.get $b))))
        (local.set $s (i32.add (local.get $s) (array.get_u $bytes (local.get $b) (local.get $i))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $each)))
    (local.get $s))
  (func $mid (param $n i32) (result i32)
    (local $i i32)
    (loop $l
      (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (i32.const 10))))
    (if (result i32) (i32.lt_u (local.get $n) (i32.const 2))
      (then (local.get $n))
      (else (i32.add (call $mid (i32.sub (local.get $n) (i32.const 1))) (call $mid (i32.sub (local.get $n) (i32.const 2)))))))
  (func (export "run") (param $x anyref) (param $n i32) (result i32)
    (local $s i32)
    (loop $l
      (local.set $s (i32.add (local.get $s) (i32.add (call $tail (local.get $x) (i32.const 0)) (call $mid (local.get $n)))))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (local.get $s)))`

// TestOuterProbeRunsTrailingLoops: tail's outer probe runs its byte
// loop, testing the interrupt word at the loop's header (with the word
// set it calls the function); mid's outer probe stops at its loop, so it
// tests no interrupt word and calls the function on every path.
func TestOuterProbeRunsTrailingLoops(t *testing.T) {
	fns := funcsByName(t, probeLoopsWat, Options{OptLevel: 2})
	outer := func(i int) *ir.Func {
		var last *ir.Func
		for l := 1; fns[cloneSymbol(i, l)] != nil; l++ {
			last = fns[cloneSymbol(i, l)]
		}
		return last
	}
	tail, mid := outer(0), outer(1)
	if tail == nil || mid == nil {
		t.Fatal("no outer probes")
	}
	volatile := func(fn *ir.Func) int { return strings.Count(fn.LLString(), "load volatile") }
	if volatile(tail) != 1 || !strings.Contains(tail.LLString(), "zext i8") {
		t.Errorf("tail's outer probe does not run the byte loop with one interrupt test:\n%s", tail.LLString())
	}
	if n := strings.Count(tail.LLString(), "call "); n != 1 {
		t.Errorf("tail's outer probe makes %d calls, want 1 (the function's, also where the interrupt word is set):\n%s", n, tail.LLString())
	}
	if volatile(mid) != 0 {
		t.Errorf("mid's outer probe runs its loop:\n%s", mid.LLString())
	}
	run := strings.Join(callsOf(fns["gcs_func_2"]), " ")
	if !strings.Contains(run, tail.Name()) || !strings.Contains(run, mid.Name()) {
		t.Errorf("run calls %s, want the outer probes %s and %s", run, tail.Name(), mid.Name())
	}
}
