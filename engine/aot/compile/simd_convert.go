package compile

import (
	"math"

	"github.com/llir/llvm/ir/enum"
	"github.com/llir/llvm/ir/types"

	w "github.com/gcscope/gcscope/engine/wasm"
)

// simdConvert translates the lane conversions between integers and
// floats and between float widths.
func (f *funcGen) simdConvert(in *w.Instr) bool {
	b := f.cur
	switch in.Op {
	case w.OpI32x4TruncSatF32x4S, w.OpI32x4RelaxedTruncF32x4S:
		// The relaxed variants take the saturating result, one of those
		// the proposal allows.
		f.pushV(f.truncSat(f.popAs(f32x4), true))
	case w.OpI32x4TruncSatF32x4U, w.OpI32x4RelaxedTruncF32x4U:
		f.pushV(f.truncSat(f.popAs(f32x4), false))
	case w.OpI32x4TruncSatF64x2SZero, w.OpI32x4RelaxedTruncF64x2SZero,
		w.OpI32x4TruncSatF64x2UZero, w.OpI32x4RelaxedTruncF64x2UZero:
		signed := in.Op == w.OpI32x4TruncSatF64x2SZero || in.Op == w.OpI32x4RelaxedTruncF64x2SZero
		r := f.truncSat(f.popAs(f64x2), signed)
		f.pushV(f.cur.NewShuffleVector(r, zeroV(types.NewVector(2, types.I32)), mask(0, 1, 2, 3)))
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

// truncSat is Wasm's trunc_sat per lane (NaN → 0, out of range → the
// nearest bound) into i32 lanes. llvm.fpto[su]i.sat has these semantics
// but LLVM 14 scalarizes it on x86; this form stays in vector registers.
// Out-of-range lanes are replaced by 0 before the fptosi (which would be
// poison for them) and get their bound afterwards; an unsigned lane ≥ 2^31
// is converted as x − 2^31 (exact) and gets the top bit back.
func (f *funcGen) truncSat(x valueT, signed bool) valueT {
	t := x.Type().(*types.VectorType)
	it := types.NewVector(t.Len, types.I32)
	b := f.cur
	fc := func(v float64) valueT {
		if t == f32x4 {
			return splatConst(t, uint64(math.Float32bits(float32(v))))
		}
		return splatConst(t, math.Float64bits(v))
	}
	zero := zeroV(t)
	if signed {
		low := b.NewFCmp(enum.FPredOLT, x, fc(-2147483648))
		high := b.NewFCmp(enum.FPredOGE, x, fc(2147483648))
		bad := b.NewOr(b.NewOr(low, high), b.NewFCmp(enum.FPredUNO, x, x))
		r := b.NewFPToSI(b.NewSelect(bad, zero, x), it)
		r2 := b.NewSelect(low, splatConst(it, 0x8000_0000), r)
		return b.NewSelect(high, splatConst(it, 0x7fff_ffff), r2)
	}
	none := b.NewFCmp(enum.FPredULE, x, zero) // NaN and x ≤ 0 give 0
	big := b.NewFCmp(enum.FPredOGE, x, fc(2147483648))
	over := b.NewFCmp(enum.FPredOGE, x, fc(4294967296))
	y := b.NewSelect(big, b.NewFSub(x, fc(2147483648)), x)
	y2 := b.NewSelect(b.NewOr(none, over), zero, y)
	r := b.NewFPToSI(y2, it)
	r2 := b.NewSelect(big, b.NewXor(r, splatConst(it, 0x8000_0000)), r)
	return b.NewSelect(over, splatConst(it, 0xffff_ffff), r2)
}
