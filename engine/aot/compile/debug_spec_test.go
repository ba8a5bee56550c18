package compile

import (
	"strings"
	"testing"
)

// specWat has one function of each kind debug_spec.go must tell apart:
// pure recursions (fast versions) and recursions with an effect or a
// loop (none).
const specWat = `(module
  (import "env" "h" (func $h (param i32)))
  (memory 1)
  (global $g (mut i32) (i32.const 0))
  (func $fib (param $n i32) (result i32)
    (if (result i32) (i32.lt_u (local.get $n) (i32.const 2))
      (then (local.get $n))
      (else (i32.add (call $fib (i32.sub (local.get $n) (i32.const 1)))
                     (call $fib (i32.sub (local.get $n) (i32.const 2)))))))
  (func $div (param $n i32) (param $d i64) (result i64 f64)
    (if (result i64 f64) (i32.lt_u (local.get $n) (i32.const 2))
      (then (i64.div_s (i64.const 7) (local.get $d)) (f64.const 1))
      (else (call $div (i32.sub (local.get $n) (i32.const 1)) (local.get $d))
            (drop)
            (drop)
            (call $div (i32.sub (local.get $n) (i32.const 2)) (local.get $d)))))
  (func $host (param $n i32) (result i32)
    (call $h (local.get $n))
    (if (result i32) (i32.lt_u (local.get $n) (i32.const 2))
      (then (local.get $n))
      (else (i32.add (call $host (i32.sub (local.get $n) (i32.const 1)))
                     (call $host (i32.sub (local.get $n) (i32.const 2)))))))
  (func $mem (param $n i32) (result i32)
    (if (result i32) (i32.lt_u (local.get $n) (i32.const 2))
      (then (i32.load (local.get $n)))
      (else (i32.add (call $mem (i32.sub (local.get $n) (i32.const 1)))
                     (call $mem (i32.sub (local.get $n) (i32.const 2)))))))
  (func $glob (param $n i32) (result i32)
    (if (result i32) (i32.lt_u (local.get $n) (i32.const 2))
      (then (global.get $g))
      (else (i32.add (call $glob (i32.sub (local.get $n) (i32.const 1)))
                     (call $glob (i32.sub (local.get $n) (i32.const 2)))))))
  (func $loop (param $n i32) (result i32)
    (loop $l (br_if $l (i32.eqz (local.get $n))))
    (if (result i32) (i32.lt_u (local.get $n) (i32.const 2))
      (then (local.get $n))
      (else (i32.add (call $loop (i32.sub (local.get $n) (i32.const 1)))
                     (call $loop (i32.sub (local.get $n) (i32.const 2)))))))
  (func $ref (param $n i32) (param $r externref) (result i32)
    (if (result i32) (i32.lt_u (local.get $n) (i32.const 2))
      (then (local.get $n))
      (else (i32.add (call $ref (i32.sub (local.get $n) (i32.const 1)) (local.get $r))
                     (call $ref (i32.sub (local.get $n) (i32.const 2)) (local.get $r)))))))`

// TestSpecFastVersions: a debug build gives fast versions to the pure
// recursions only (fib, div: numbers, traps allowed), none to those
// calling out, touching memory or a global, looping or holding a
// reference; a release build to none. Each fast version and its levels
// compile and are all inlined.
func TestSpecFastVersions(t *testing.T) {
	m := parse(t, []byte(specWat))
	for _, debug := range []bool{false, true} {
		o := Options{OptLevel: 2, Debug: debug}
		mod, _, err := generate(m, o)
		if err != nil {
			t.Fatal(err)
		}
		ir := mod.String()
		for i, name := range []string{"fib", "div", "host", "mem", "glob", "loop", "ref"} {
			want := debug && i < 2
			if got := strings.Contains(ir, "@"+specSymbol(i)+"("); got != want {
				t.Errorf("debug %v: %s has a fast version: %v, want %v", debug, name, got, want)
			}
		}
		obj, err := toLinkedObject(m, mod, o)
		if err != nil {
			t.Fatal(err)
		}
		if name := recLeftover(obj); name != "" {
			t.Fatalf("debug %v: LLVM left level %s uninlined", debug, name)
		}
		if _, ok := obj.syms[specSymbol(0)]; ok != debug {
			t.Fatalf("debug %v: the object has %s: %v", debug, specSymbol(0), ok)
		}
	}
}
