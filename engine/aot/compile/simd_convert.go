package compile

import (
	"github.com/llir/llvm/ir/types"

	w "github.com/gcscope/gcscope/engine/wasm"
)

// simdConvert translates the lane conversions between integers and
// floats and between float widths.
func (f *funcGen) simdConvert(in *w.Instr) bool {
	b := f.cur
	switch in.Op {
	case w.OpI32x4TruncSatF32x4S, w.OpI32x4RelaxedTruncF32x4S:
		// llvm.fpto[su]i.sat is exactly Wasm's trunc_sat: NaN → 0, out of
		// range → the nearest bound (plain fptosi would be poison). The
		// relaxed variants take the same result, one of those allowed.
		f.pushV(f.vcall2("llvm.fptosi.sat", i32x4, f.popAs(f32x4)))
	case w.OpI32x4TruncSatF32x4U, w.OpI32x4RelaxedTruncF32x4U:
		f.pushV(f.vcall2("llvm.fptoui.sat", i32x4, f.popAs(f32x4)))
	case w.OpI32x4TruncSatF64x2SZero, w.OpI32x4RelaxedTruncF64x2SZero,
		w.OpI32x4TruncSatF64x2UZero, w.OpI32x4RelaxedTruncF64x2UZero:
		name := "llvm.fptoui.sat"
		if in.Op == w.OpI32x4TruncSatF64x2SZero || in.Op == w.OpI32x4RelaxedTruncF64x2SZero {
			name = "llvm.fptosi.sat"
		}
		two := types.NewVector(2, types.I32)
		r := f.vcall2(name, two, f.popAs(f64x2))
		f.pushV(f.cur.NewShuffleVector(r, zeroV(two), mask(0, 1, 2, 3)))
	case w.OpF32x4ConvertI32x4S:
		f.pushV(b.NewSIToFP(f.popAs(i32x4), f32x4))
	case w.OpF32x4ConvertI32x4U:
		f.pushV(b.NewUIToFP(f.popAs(i32x4), f32x4))
	case w.OpF64x2ConvertLowI32x4S, w.OpF64x2ConvertLowI32x4U:
		x := f.popAs(i32x4)
		lo := b.NewShuffleVector(x, x, mask(0, 1))
		if in.Op == w.OpF64x2ConvertLowI32x4S {
			f.pushV(b.NewSIToFP(lo, f64x2))
		} else {
			f.pushV(b.NewUIToFP(lo, f64x2))
		}
	case w.OpF32x4DemoteF64x2Zero:
		// Always quieted: LLVM may fold a demote of a promote (or the
		// reverse) to the original lanes, signalling NaNs included.
		two := types.NewVector(2, types.Float)
		d := b.NewFPTrunc(f.popAs(f64x2), two)
		r := b.NewShuffleVector(d, zeroV(two), mask(0, 1, 2, 3))
		f.pushV(f.vquiet(r, f32x4))
	case w.OpF64x2PromoteLowF32x4:
		x := f.popAs(f32x4)
		lo := b.NewShuffleVector(x, x, mask(0, 1))
		f.pushV(f.vquiet(b.NewFPExt(lo, f64x2), f64x2))
	default:
		return false
	}
	return true
}

// vcall2 calls an intrinsic overloaded on its result and operand types
// (llvm.fptosi.sat.v4i32.v4f32).
func (f *funcGen) vcall2(name string, ret *types.VectorType, x valueT) valueT {
	full := name + "." + vsuffix(ret) + "." + vsuffix(x.Type().(*types.VectorType))
	return f.cur.NewCall(f.g.intrinsic(full, ret, x.Type()), x)
}
