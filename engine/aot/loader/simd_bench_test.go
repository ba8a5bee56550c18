package loader

import (
	"testing"

	"github.com/gcscope/gcscope/engine/interp"
	"github.com/gcscope/gcscope/engine/runtime"
)

// simdKernels are two SIMD loops over one 64 KiB memory: an f32x4 dot
// product of its two halves and a count of one byte value.
const simdKernels = `(module
  (memory 1)
  (func (export "init")
    (local $i i32)
    (loop $l
      (f32.store (i32.shl (local.get $i) (i32.const 2)) (f32.convert_i32_u (i32.and (local.get $i) (i32.const 255))))
      (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (i32.const 16384)))))
  (func (export "dot") (result f32)
    (local $acc v128) (local $p i32)
    (loop $l
      (local.set $acc (f32x4.add (local.get $acc)
        (f32x4.mul (v128.load (local.get $p)) (v128.load offset=32768 (local.get $p)))))
      (br_if $l (i32.lt_u (local.tee $p (i32.add (local.get $p) (i32.const 16))) (i32.const 32768))))
    (f32.add (f32.add (f32x4.extract_lane 0 (local.get $acc)) (f32x4.extract_lane 1 (local.get $acc)))
             (f32.add (f32x4.extract_lane 2 (local.get $acc)) (f32x4.extract_lane 3 (local.get $acc)))))
  (func (export "count") (param $b i32) (result i32)
    (local $acc v128) (local $k v128) (local $one v128) (local $p i32)
    (local.set $k (i8x16.splat (local.get $b)))
    (local.set $one (i8x16.splat (i32.const 1)))
    (loop $l
      (local.set $acc (i16x8.add (local.get $acc) (i16x8.extadd_pairwise_i8x16_u
        (v128.and (local.get $one) (i8x16.eq (v128.load (local.get $p)) (local.get $k))))))
      (br_if $l (i32.lt_u (local.tee $p (i32.add (local.get $p) (i32.const 16))) (i32.const 65536))))
    (local.set $acc (i32x4.extadd_pairwise_i16x8_u (local.get $acc)))
    (i32.add (i32.add (i32x4.extract_lane 0 (local.get $acc)) (i32x4.extract_lane 1 (local.get $acc)))
             (i32.add (i32x4.extract_lane 2 (local.get $acc)) (i32x4.extract_lane 3 (local.get $acc)))))
)`

// benchKernel runs export fn of simdKernels b.N times on eng and returns
// its last result's bits.
func benchKernel(b *testing.B, eng runtime.Engine, fn string, args ...runtime.Value) uint64 {
	s, err := runtime.NewStore(runtime.Config{Engine: eng})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	inst, err := s.Instantiate(parse(b, simdKernels), nil)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := inst.ExportedFunc("init").Call(nil); err != nil {
		b.Fatal(err)
	}
	f := inst.ExportedFunc(fn)
	var last uint64
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		res, err := f.Call(args)
		if err != nil {
			b.Fatal(err)
		}
		last = res[0].Bits
	}
	return last
}

// BenchmarkSIMD runs the kernels on the interpreter and natively (64 KiB
// per call); compare the ns/op of the pairs. The results must agree.
func BenchmarkSIMD(b *testing.B) {
	for _, c := range []struct {
		fn   string
		args []runtime.Value
	}{{"dot", nil}, {"count", []runtime.Value{runtime.I32(0x43)}}} {
		var ri, ra uint64
		var iran, aran bool
		b.Run(c.fn+"/interp", func(b *testing.B) { ri, iran = benchKernel(b, interp.New(), c.fn, c.args...), true })
		b.Run(c.fn+"/aot", func(b *testing.B) {
			e := New(nil)
			defer e.Close()
			ra, aran = benchKernel(b, e, c.fn, c.args...), true
		})
		// Both ran unless -bench selected one of them.
		if iran && aran && ri != ra {
			b.Fatalf("%s: interpreter %#x, native %#x", c.fn, ri, ra)
		}
	}
}
