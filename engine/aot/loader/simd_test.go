package loader

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/gcscope/gcscope/engine/aot/aotfile"
	"github.com/gcscope/gcscope/engine/interp"
	"github.com/gcscope/gcscope/engine/runtime"
	"github.com/gcscope/gcscope/engine/wasm"
)

// simdWat exercises SIMD through every path a v128 takes natively:
// parameters and results of the entry wrapper, multi-value results, calls
// (defined and imported), globals, block values, memory, and a spread of
// lane operations whose edge cases differ between LLVM and Wasm.
const simdWat = `(module
  (import "host" "rev" (func $rev (param v128 i32) (result i32 v128)))
  (memory 1)
  (data (i32.const 0) "\00\00\80\3f\00\00\00\40\00\00\40\40\00\00\80\40\00\00\a0\40\00\00\c0\40\00\00\e0\40\00\00\00\41")
  (data (i32.const 64) "abcabcaaxaayyyyazzzzzzaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
  (global $g (mut v128) (v128.const i32x4 1 2 3 4))
  (func (export "dot") (param $n i32) (result f32)
    (local $acc v128) (local $i i32)
    (block $done (loop $l
      (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
      (local.set $acc (f32x4.add (local.get $acc)
        (f32x4.mul (v128.load (i32.shl (local.get $i) (i32.const 4)))
                   (v128.load offset=16 (i32.shl (local.get $i) (i32.const 4))))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $l)))
    (f32.add (f32.add (f32x4.extract_lane 0 (local.get $acc)) (f32x4.extract_lane 1 (local.get $acc)))
             (f32.add (f32x4.extract_lane 2 (local.get $acc)) (f32x4.extract_lane 3 (local.get $acc)))))
  (func (export "count") (param $p i32) (param $n i32) (param $b i32) (result i32)
    (local $acc v128) (local $k v128)
    (local.set $k (i8x16.splat (local.get $b)))
    (block $done (loop $l
      (br_if $done (i32.eqz (local.get $n)))
      (local.set $acc (i8x16.sub (local.get $acc) (i8x16.eq (v128.load (local.get $p)) (local.get $k))))
      (local.set $p (i32.add (local.get $p) (i32.const 16)))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br $l)))
    (i32x4.extract_lane 0 (i32x4.extadd_pairwise_i16x8_u (i16x8.extadd_pairwise_i8x16_u (local.get $acc)))))
  (func $pair (param v128 v128) (result v128 v128) (local.get 1) (local.get 0))
  (func (export "swap") (param v128 v128) (result v128 v128) (call $pair (local.get 0) (local.get 1)))
  (func (export "host") (param v128 i32) (result i32 v128) (call $rev (local.get 0) (local.get 1)))
  (func (export "global") (param v128) (result v128)
    (global.get $g) (global.set $g (i32x4.add (global.get $g) (local.get 0))))
  (func (export "select") (param v128 v128 i32) (result v128)
    (block (result v128) (select (local.get 0) (local.get 1) (local.get 2))))
  (func (export "shuffle") (param v128 v128) (result v128)
    (i8x16.shuffle 31 0 30 1 29 2 28 3 16 17 18 19 4 5 6 7 (local.get 0) (local.get 1)))
  (func (export "swizzle") (param v128 v128) (result v128) (i8x16.swizzle (local.get 0) (local.get 1)))
  (func (export "narrow") (param v128 v128) (result v128) (i8x16.narrow_i16x8_s (local.get 0) (local.get 1)))
  (func (export "narrow_u") (param v128 v128) (result v128) (i16x8.narrow_i32x4_u (local.get 0) (local.get 1)))
  (func (export "q15") (param v128 v128) (result v128) (i16x8.q15mulr_sat_s (local.get 0) (local.get 1)))
  (func (export "dot_s") (param v128 v128) (result v128) (i32x4.dot_i16x8_s (local.get 0) (local.get 1)))
  (func (export "extmul") (param v128 v128) (result v128) (i64x2.extmul_high_i32x4_s (local.get 0) (local.get 1)))
  (func (export "avgr") (param v128 v128) (result v128) (i8x16.avgr_u (local.get 0) (local.get 1)))
  (func (export "sat") (param v128 v128) (result v128) (i16x8.sub_sat_u (local.get 0) (local.get 1)))
  (func (export "abs") (param v128) (result v128) (i8x16.abs (local.get 0)))
  (func (export "popcnt") (param v128) (result v128) (i8x16.popcnt (local.get 0)))
  (func (export "shl") (param v128 i32) (result v128) (i8x16.shl (local.get 0) (local.get 1)))
  (func (export "shr_s") (param v128 i32) (result v128) (i64x2.shr_s (local.get 0) (local.get 1)))
  (func (export "shr_u") (param v128 i32) (result v128) (i16x8.shr_u (local.get 0) (local.get 1)))
  (func (export "bitmask") (param v128) (result i32) (i8x16.bitmask (local.get 0)))
  (func (export "all_true") (param v128) (result i32) (i32x4.all_true (local.get 0)))
  (func (export "any_true") (param v128) (result i32) (v128.any_true (local.get 0)))
  (func (export "cmp") (param v128 v128) (result v128) (i64x2.lt_s (local.get 0) (local.get 1)))
  (func (export "trunc_s") (param v128) (result v128) (i32x4.trunc_sat_f32x4_s (local.get 0)))
  (func (export "trunc_u") (param v128) (result v128) (i32x4.trunc_sat_f64x2_u_zero (local.get 0)))
  (func (export "trunc_su") (param v128) (result v128) (i32x4.trunc_sat_f32x4_u (local.get 0)))
  (func (export "trunc_ds") (param v128) (result v128) (i32x4.relaxed_trunc_f64x2_s_zero (local.get 0)))
  (func (export "convert_u") (param v128) (result v128) (f32x4.convert_i32x4_u (local.get 0)))
  (func (export "f32_min") (param v128 v128) (result v128) (f32x4.min (local.get 0) (local.get 1)))
  (func (export "f64_max") (param v128 v128) (result v128) (f64x2.max (local.get 0) (local.get 1)))
  (func (export "mul_local") (param v128) (result v128) (local $one v128)
    (local.set $one (f32x4.splat (f32.const 1)))
    (f32x4.mul (local.get 0) (local.get $one)))
  (func (export "sub_block") (param v128) (result v128)
    (f64x2.sub (local.get 0) (block (result v128) (v128.const f64x2 0 0))))
  (func (export "min_zero") (param v128) (result v128) (f32x4.min (local.get 0) (v128.const f32x4 -0 -0 -0 -0)))
  (func (export "madd_one") (param v128) (result v128)
    (f64x2.relaxed_madd (local.get 0) (v128.const f64x2 1 1) (v128.const f64x2 -0 -0)))
  (func (export "pmin") (param v128 v128) (result v128) (f32x4.pmin (local.get 0) (local.get 1)))
  (func (export "nearest") (param v128) (result v128) (f32x4.nearest (local.get 0)))
  (func (export "demote") (param v128) (result v128) (f32x4.demote_f64x2_zero (local.get 0)))
  (func (export "fcmp") (param v128 v128) (result v128) (f64x2.ne (local.get 0) (local.get 1)))
  (func (export "extract") (param v128) (result i32) (i16x8.extract_lane_s 5 (local.get 0)))
  (func (export "replace") (param v128 i32) (result v128) (i8x16.replace_lane 9 (local.get 0) (local.get 1)))
  (func (export "load_lane") (param i32 v128) (result v128) (v128.load16_lane offset=3 5 (local.get 0) (local.get 1)))
  (func (export "store_lane") (param i32 v128) (result i64)
    (v128.store64_lane 1 (local.get 0) (local.get 1)) (i64.load (local.get 0)))
  (func (export "load_ext") (param i32) (result v128) (v128.load8x8_s offset=1 (local.get 0)))
  (func (export "load_splat") (param i32) (result v128) (v128.load32_splat (local.get 0)))
  (func (export "load_zero") (param i32) (result v128) (v128.load64_zero (local.get 0)))
  (func (export "rdot") (param v128 v128 v128) (result v128)
    (i32x4.relaxed_dot_i8x16_i7x16_add_s (local.get 0) (local.get 1) (local.get 2)))
)`

// simdShapes says how to compare a v128 result: exactly, or as float lanes
// where any NaN equals any NaN (the spec lets NaN bits differ per engine).
var simdShapes = map[string]int{"min_zero": 4, "madd_one": 8, "mul_local": 4, "sub_block": 8, "f32_min": 4, "pmin": 4, "nearest": 4, "demote": 4, "convert_u": 4, "f64_max": 8}

// specialBits are lane values where LLVM and Wasm semantics part ways.
var specialBits = []uint64{0, 1, 0x7f, 0x80, 0xff, 0x7fff, 0x8000, 0xffff, 0x7fffffff, 0x80000000, 0xffffffff,
	0x7fc00000, 0xffc00000, 0x7f800001, 0x80000000, 0x4f000000, 0x4f800000, 0xcf000001, 0x3f000000, 0x3fc00000,
	0x4effffff, 0x4f7fffff, 0xcf000000, 0x3f7fffff, 0xbf7fffff,
	0x7ff8000000000000, 0x7ff0000000000001, 0x41dfffffffc00000, 0x41efffffffe00000, 0xc1e0000000200000, 0xc1e0000000000000, 0x8000000000000000, 0x41e0000000000000, 0x41f0000000000000, 0xbff0000000000000}

func randV128(r *rand.Rand) runtime.Value {
	var lanes [2]uint64
	for k := range lanes {
		switch r.IntN(3) {
		case 0:
			lanes[k] = r.Uint64()
		case 1:
			lanes[k] = specialBits[r.IntN(len(specialBits))] | specialBits[r.IntN(len(specialBits))]<<32
		default:
			lanes[k] = specialBits[r.IntN(len(specialBits))]
		}
	}
	return runtime.Value{Type: wasm.V128, Bits: lanes[0], Hi: lanes[1]}
}

func randArg(r *rand.Rand, t wasm.ValType) runtime.Value {
	if t.Kind == wasm.KindV128 {
		return randV128(r)
	}
	ints := []int32{0, 1, 3, 7, 8, 9, 15, 16, 17, 63, 64, 65, 127, 128, -1, -128, 65520, 65534, 65535, 65536}
	return runtime.I32(ints[r.IntN(len(ints))])
}

// simdStore instantiates simdWat on eng with the host import $rev, which
// returns its i32 and the v128 with its halves swapped.
func simdStore(t *testing.T, eng runtime.Engine) *runtime.Instance {
	t.Helper()
	s, err := runtime.NewStore(runtime.Config{Engine: eng})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	host := s.NewHostInstance("host")
	ft := wasm.CompositeType{Kind: wasm.CompFunc, Params: []wasm.ValType{wasm.V128, wasm.I32}, Results: []wasm.ValType{wasm.I32, wasm.V128}}
	if _, err := host.DefineFunc("rev", ft, func(_ *runtime.Instance, a []runtime.Value) ([]runtime.Value, error) {
		return []runtime.Value{a[1], {Type: wasm.V128, Bits: a[0].Hi, Hi: a[0].Bits}}, nil
	}); err != nil {
		t.Fatal(err)
	}
	s.Register("host", host)
	inst, err := s.Instantiate(parse(t, simdWat), nil)
	if err != nil {
		t.Fatal(err)
	}
	return inst
}

// sameResult compares one result value. NaN lanes of float shapes may
// differ in sign and payload but not in being quiet: an operation must
// quiet a signalling NaN (pmin/pmax pass it through on both tiers).
func sameResult(a, b runtime.Value, shape int) bool {
	if a.Type.Kind != b.Type.Kind {
		return false
	}
	if a.Bits == b.Bits && a.Hi == b.Hi {
		return true
	}
	if shape == 0 {
		return false
	}
	for _, half := range [][2]uint64{{a.Bits, b.Bits}, {a.Hi, b.Hi}} {
		for k := 0; k < 8/shape; k++ {
			x, y := half[0]>>(64/(8/shape)*k), half[1]>>(64/(8/shape)*k)
			var nx, ny bool
			quiet := uint64(1) << 51
			if shape == 4 {
				x, y = uint64(uint32(x)), uint64(uint32(y))
				nx, ny = math.IsNaN(float64(math.Float32frombits(uint32(x)))), math.IsNaN(float64(math.Float32frombits(uint32(y))))
				quiet = 1 << 22
			} else {
				nx, ny = math.IsNaN(math.Float64frombits(x)), math.IsNaN(math.Float64frombits(y))
			}
			if x != y && !(nx && ny && x&quiet == y&quiet) {
				return false
			}
		}
	}
	return true
}

// TestSIMDAgainstInterpreter calls every export of simdWat with random and
// edge-case arguments natively and on the interpreter; results (or trap
// messages) must agree.
func TestSIMDAgainstInterpreter(t *testing.T) {
	// -O0 keeps every value in memory; -O2 lets LLVM fold and pick
	// instructions: both must keep Wasm's semantics.
	for _, level := range []int{0, 2} {
		e := New(nil)
		e.Options.OptLevel = level
		simdAgainst(t, simdStore(t, e), simdStore(t, interp.New()))
		e.Close()
	}
}

func simdAgainst(t *testing.T, native, ref *runtime.Instance) {
	r := rand.New(rand.NewPCG(1, 2))
	m := native.Module
	for _, ex := range m.Exports {
		if ex.Kind != wasm.ExternFunc {
			continue
		}
		fn, rf := native.ExportedFunc(ex.Name), ref.ExportedFunc(ex.Name)
		for range 200 {
			var args []runtime.Value
			for _, p := range fn.Type.Comp.Params {
				args = append(args, randArg(r, p))
			}
			if ex.Name == "dot" || ex.Name == "count" {
				args[0] = runtime.I32(int32(r.IntN(3)))
				if ex.Name == "count" {
					args = []runtime.Value{runtime.I32(int32(64 + r.IntN(8))), runtime.I32(int32(r.IntN(4))), runtime.I32(int32('a' + r.IntN(3)))}
				}
			}
			got, gerr := fn.Call(args)
			want, werr := rf.Call(args)
			if (gerr == nil) != (werr == nil) {
				t.Fatalf("%s%v: native %v, %v; interpreter %v, %v", ex.Name, args, got, gerr, want, werr)
			}
			if gerr != nil {
				var gt, wt *runtime.Trap
				if !errors.As(gerr, &gt) || !errors.As(werr, &wt) || gt.Msg != wt.Msg {
					t.Fatalf("%s%v: native error %v, interpreter %v", ex.Name, args, gerr, werr)
				}
				continue
			}
			for k := range want {
				if !sameResult(got[k], want[k], simdShapes[ex.Name]) {
					t.Fatalf("%s%v: native %v, interpreter %v", ex.Name, args, got, want)
				}
			}
		}
	}
}

// The loader takes files that rely on SIMD and still refuses features
// this runtime lacks.
func TestSIMDFeatureCheck(t *testing.T) {
	good := compileSmall(t)
	for _, c := range []struct {
		fs aotfile.Features
		ok bool
	}{{aotfile.FeatureSIMD | aotfile.FeatureRelaxedSIMD, true}, {aotfile.FeatureSIMD | aotfile.FeatureGC, false}} {
		m, err := Load(rewrite(t, good, func(f *aotfile.File) { f.Header.Features = c.fs }))
		if (err == nil) != c.ok {
			t.Errorf("features %v: %v", c.fs, err)
		}
		if err == nil {
			m.Close()
		}
	}
}
