package interp

import (
	"math"
	"testing"

	"github.com/gcscope/gcscope/engine/runtime"
)

func TestNumericTraps(t *testing.T) {
	s := newStore(t, runtime.Config{})
	inst := instantiate(t, s, `(module
	  (func (export "div_s") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
	  (func (export "rem_s") (param i32 i32) (result i32) (i32.rem_s (local.get 0) (local.get 1)))
	  (func (export "trunc") (param f32) (result i32) (i32.trunc_f32_s (local.get 0)))
	  (func (export "trunc_u64") (param f64) (result i64) (i64.trunc_f64_u (local.get 0)))
	  (func (export "sat") (param f64) (result i32) (i32.trunc_sat_f64_s (local.get 0))))`)
	if got := int32(mustCall(t, inst, "div_s", runtime.I32(-7), runtime.I32(2))); got != -3 {
		t.Errorf("div_s = %d", got)
	}
	wantTrap(t, inst, "div_s", "integer divide by zero", runtime.I32(1), runtime.I32(0))
	wantTrap(t, inst, "div_s", "integer overflow", runtime.I32(math.MinInt32), runtime.I32(-1))
	if got := mustCall(t, inst, "rem_s", runtime.I32(math.MinInt32), runtime.I32(-1)); got != 0 {
		t.Errorf("rem_s min/-1 = %d", got)
	}
	wantTrap(t, inst, "trunc", "invalid conversion to integer", runtime.F32(0x7FC00000))
	wantTrap(t, inst, "trunc", "integer overflow", runtime.F32(math.Float32bits(2147483648)))
	if got := int32(mustCall(t, inst, "trunc", runtime.F32(math.Float32bits(-2147483648)))); got != math.MinInt32 {
		t.Errorf("trunc(-2^31) = %d", got)
	}
	if got := mustCall(t, inst, "trunc_u64", runtime.F64(math.Float64bits(18446744073709549568))); got != 18446744073709549568 {
		t.Errorf("trunc_u64 = %d", got)
	}
	if got := int32(mustCall(t, inst, "sat", runtime.F64(math.Float64bits(-1e10)))); got != math.MinInt32 {
		t.Errorf("sat(-1e10) = %d", got)
	}
	if got := mustCall(t, inst, "sat", runtime.F64(math.Float64bits(math.NaN()))); got != 0 {
		t.Errorf("sat(NaN) = %d", got)
	}
}

func TestFloatMinMaxNearest(t *testing.T) {
	cases := []struct {
		op   uint64
		a, b float64
		want float64
	}{
		{0, 0, math.Copysign(0, -1), math.Copysign(0, -1)},
		{1, math.Copysign(0, -1), 0, 0},
		{0, 1, 2, 1},
		{1, -1, -2, -1},
	}
	for _, c := range cases {
		var got float64
		if c.op == 0 {
			got = fmin(c.a, c.b)
		} else {
			got = fmax(c.a, c.b)
		}
		if math.Float64bits(got) != math.Float64bits(c.want) {
			t.Errorf("op %d (%v, %v) = %v, want %v", c.op, c.a, c.b, got, c.want)
		}
	}
	if !math.IsNaN(fmin(math.NaN(), 1)) || !math.IsNaN(fmax(1, math.NaN())) {
		t.Error("min/max must propagate NaN")
	}
	nearest := numOps[0x90] // f32.nearest
	for in, want := range map[float32]float32{2.5: 2, 3.5: 4, -0.5: float32(math.Copysign(0, -1)), 1.4999999: 1} {
		if got := f32(nearest(uf32(in), 0)); math.Float32bits(got) != math.Float32bits(want) {
			t.Errorf("nearest(%v) = %v, want %v", in, got, want)
		}
	}
	if got := u64ToF32(0xFFFFFFFFFFFFFFFF); got != 1.8446744e19 {
		t.Errorf("u64ToF32(max) = %v", got)
	}
	// 2^63 + 2^39 + 1 rounds up (sticky bit) to 2^63 + 2^40 in f32.
	if got := u64ToF32(1<<63 | 1<<39 | 1); got != float32(1<<63+1<<40) {
		t.Errorf("u64ToF32 sticky = %v", got)
	}
}
