package loader

import (
	"math"
	"testing"

	"github.com/gcscope/gcscope/engine/aot/compile"
	"github.com/gcscope/gcscope/engine/runtime"
)

// convWat calls functions whose arguments fill GHC's registers exactly
// (compile/callconv.go: ten integer ones, env and top among them, six
// XMM ones) and one past each limit (those keep the C convention),
// directly, through call_indirect (the switch, and the entry wrappers for
// several results) and call_ref, and through a recursion that keeps
// integer and float values live across its calls (no register survives
// a GHC call) and traps at a chosen depth. Every parameter has its own
// weight, so a swapped or lost argument changes the result.
const convWat = `(module
  (type $i8 (func (param i32 i64 i32 i64 i32 i64 i32 i64) (result i64)))
  (type $m8 (func (param i32 i32 i32 i32 i32 i32 i32 i32) (result i32 i64)))
  (type $f6 (func (param f64 f32 f64 f32 f64 v128) (result f64)))
  (table 8 funcref)
  (elem (i32.const 0) $ints8 $ints9 $floats6 $floats7 $multi8)
  (elem declare func $ints8 $floats6)
  (func $ints8 (type $i8)
    (i64.add (i64.add (i64.add (i64.extend_i32_s (local.get 0)) (i64.mul (local.get 1) (i64.const 3)))
                      (i64.add (i64.mul (i64.extend_i32_s (local.get 2)) (i64.const 5)) (i64.mul (local.get 3) (i64.const 7))))
             (i64.add (i64.add (i64.mul (i64.extend_i32_s (local.get 4)) (i64.const 11)) (i64.mul (local.get 5) (i64.const 13)))
                      (i64.add (i64.mul (i64.extend_i32_s (local.get 6)) (i64.const 17)) (i64.mul (local.get 7) (i64.const 19))))))
  (func $ints9 (param i32 i64 i32 i64 i32 i64 i32 i64 i32) (result i64)
    (i64.add (call $ints8 (local.get 0) (local.get 1) (local.get 2) (local.get 3) (local.get 4) (local.get 5) (local.get 6) (local.get 7))
             (i64.mul (i64.extend_i32_s (local.get 8)) (i64.const 23))))
  (func $floats6 (type $f6)
    (f64.add (f64.add (f64.add (local.get 0) (f64.mul (f64.promote_f32 (local.get 1)) (f64.const 3)))
                      (f64.add (f64.mul (local.get 2) (f64.const 5)) (f64.mul (f64.promote_f32 (local.get 3)) (f64.const 7))))
             (f64.add (f64.mul (local.get 4) (f64.const 11))
                      (f64.add (f64.mul (f64x2.extract_lane 0 (local.get 5)) (f64.const 13))
                               (f64.mul (f64x2.extract_lane 1 (local.get 5)) (f64.const 17))))))
  (func $floats7 (param f64 f32 f64 f32 f64 v128 f64) (result f64)
    (f64.add (call $floats6 (local.get 0) (local.get 1) (local.get 2) (local.get 3) (local.get 4) (local.get 5))
             (f64.mul (local.get 6) (f64.const 19))))
  (func $multi8 (type $m8)
    (i32.add (i32.add (i32.add (local.get 0) (i32.mul (local.get 1) (i32.const 3)))
                      (i32.add (i32.mul (local.get 2) (i32.const 5)) (i32.mul (local.get 3) (i32.const 7))))
             (i32.add (i32.add (i32.mul (local.get 4) (i32.const 11)) (i32.mul (local.get 5) (i32.const 13)))
                      (i32.add (i32.mul (local.get 6) (i32.const 17)) (i32.mul (local.get 7) (i32.const 19)))))
    (i64.mul (i64.extend_i32_s (local.get 7)) (i64.const 1000)))
  ;; n > d: recurse twice, a, x and the first result live across calls.
  (func $rec (export "rec") (param $n i32) (param $d i32) (param $a i64) (param $x f64) (result f64)
    (if (i32.eq (local.get $n) (local.get $d)) (then unreachable))
    (if (result f64) (i32.lt_s (local.get $n) (i32.const 2))
      (then (f64.add (local.get $x) (f64.convert_i64_s (local.get $a))))
      (else
        (f64.add
          (f64.add (call $rec (i32.sub (local.get $n) (i32.const 1)) (local.get $d) (i64.add (local.get $a) (i64.const 1)) (f64.mul (local.get $x) (f64.const 1.5)))
                   (f64.convert_i64_s (local.get $a)))
          (f64.sub (call $rec (i32.sub (local.get $n) (i32.const 2)) (local.get $d) (i64.mul (local.get $a) (i64.const 3)) (local.get $x))
                   (local.get $x))))))
  (func (export "direct") (param $k i32) (result i64)
    (i64.add
      (i64.add (call $ints8 (local.get $k) (i64.const 2) (i32.const 3) (i64.const 4) (i32.const 5) (i64.const 6) (i32.const 7) (i64.const -8))
               (call $ints9 (i32.const 1) (i64.const 2) (local.get $k) (i64.const 4) (i32.const 5) (i64.const 6) (i32.const 7) (i64.const 8) (i32.const 9)))
      (i64.add
        (i64.trunc_f64_s (f64.add
          (call $floats6 (f64.const 1.25) (f32.const 2) (f64.convert_i32_s (local.get $k)) (f32.const 4) (f64.const 5) (v128.const f64x2 6 7))
          (call $floats7 (f64.const 1) (f32.const 2.5) (f64.const 3) (f32.convert_i32_s (local.get $k)) (f64.const 5) (v128.const f64x2 6 7) (f64.const 8))))
        (call $multi (local.get $k)))))
  (func $multi (param $k i32) (result i64)
    (local $hi i64)
    (call $multi8 (i32.const 1) (i32.const 2) (i32.const 3) (local.get $k) (i32.const 5) (i32.const 6) (i32.const 7) (i32.const 8))
    (local.set $hi)
    (i64.add (i64.extend_i32_s) (local.get $hi)))
  (func (export "indirect") (param $k i32) (result i64)
    (local $r i64) (local $hi i64)
    (local.set $r (call_indirect (type $i8) (local.get $k) (i64.const 2) (i32.const 3) (i64.const 4) (i32.const 5) (i64.const 6) (i32.const 7) (i64.const 8) (i32.const 0)))
    (local.set $r (i64.add (local.get $r) (call_indirect (param i32 i64 i32 i64 i32 i64 i32 i64 i32) (result i64)
      (i32.const 1) (i64.const 2) (local.get $k) (i64.const 4) (i32.const 5) (i64.const 6) (i32.const 7) (i64.const 8) (i32.const 9) (i32.const 1))))
    (local.set $r (i64.add (local.get $r) (i64.trunc_f64_s (f64.add
      (call_indirect (type $f6) (f64.const 1.25) (f32.const 2) (f64.convert_i32_s (local.get $k)) (f32.const 4) (f64.const 5) (v128.const f64x2 6 7) (i32.const 2))
      (call_indirect (param f64 f32 f64 f32 f64 v128 f64) (result f64)
        (f64.const 1) (f32.const 2.5) (f64.const 3) (f32.convert_i32_s (local.get $k)) (f64.const 5) (v128.const f64x2 6 7) (f64.const 8) (i32.const 3))))))
    (call_indirect (type $m8) (i32.const 1) (i32.const 2) (i32.const 3) (local.get $k) (i32.const 5) (i32.const 6) (i32.const 7) (i32.const 8) (i32.const 4))
    (local.set $hi)
    (i64.add (i64.extend_i32_s) (local.get $hi))
    (i64.add (local.get $r)))
  (func (export "byref") (param $k i32) (result i64)
    (i64.add
      (call_ref $i8 (local.get $k) (i64.const 2) (i32.const 3) (i64.const 4) (i32.const 5) (i64.const 6) (i32.const 7) (i64.const 8) (ref.func $ints8))
      (i64.trunc_f64_s (call_ref $f6 (f64.const 1.25) (f32.const 2) (f64.convert_i32_s (local.get $k)) (f32.const 4) (f64.const 5) (v128.const f64x2 6 7) (ref.func $floats6))))))`

// TestWasmConvCalls: every call path between functions of both
// conventions computes what the interpreter computes, and a trap deep in
// a recursion that keeps values live across its calls reports the
// interpreter's message and frames, in every kind of build.
func TestWasmConvCalls(t *testing.T) {
	m := encoded(t, convWat)
	ref := interpInstance(t, m)
	builds := append(recBuilds[:len(recBuilds):len(recBuilds)], struct {
		name string
		opts compile.Options
	}{"O0", compile.Options{OptLevel: 0}})
	for _, b := range builds {
		t.Run(b.name, func(t *testing.T) {
			got, _ := instantiateWith(t, m, func(e *Engine) { e.Options = b.opts })
			x := runtime.F64(math.Float64bits(0.75))
			for _, c := range []struct {
				fn   string
				args []runtime.Value
			}{
				{"direct", []runtime.Value{runtime.I32(1)}}, {"direct", []runtime.Value{runtime.I32(-40)}},
				{"indirect", []runtime.Value{runtime.I32(1)}}, {"indirect", []runtime.Value{runtime.I32(-40)}},
				{"byref", []runtime.Value{runtime.I32(1)}}, {"byref", []runtime.Value{runtime.I32(-40)}},
				{"rec", []runtime.Value{runtime.I32(18), runtime.I32(-5), runtime.I64(3), x}},
			} {
				sameResults(t, ref, got, c.fn, c.args)
			}
			args := []runtime.Value{runtime.I32(16), runtime.I32(4), runtime.I64(3), x}
			wantTrap, gotTrap := trapOf(t, ref, "rec", args), trapOf(t, got, "rec", args)
			if gotTrap.Msg != wantTrap.Msg || !sameFrames(gotTrap.Backtrace, wantTrap.Backtrace) || len(wantTrap.Backtrace) != 13 {
				t.Fatalf("rec%v: %q at %v, the interpreter %q at %v (13 frames)", args, gotTrap.Msg, gotTrap.Backtrace, wantTrap.Msg, wantTrap.Backtrace)
			}
			// The instance works after the trap's longjmp.
			if res, err := got.ExportedFunc("direct").Call([]runtime.Value{runtime.I32(2)}); err != nil || len(res) != 1 {
				t.Fatalf("direct after the trap: %v, %v", res, err)
			}
		})
	}
}
