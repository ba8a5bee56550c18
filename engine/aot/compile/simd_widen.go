package compile

import (
	"github.com/llir/llvm/ir/types"

	w "github.com/gcscope/gcscope/engine/wasm"
)

// Instructions that change lane width: narrow, extend, extmul,
// extadd_pairwise, q15mulr_sat_s and dot. Each extends to the wide lanes,
// computes there exactly, and truncates or saturates back; LLVM's x86
// back end recognizes the shapes (packsswb, pmovsx, pmaddwd...).

// extendOp: source shape, high half or low half, signed.
type extendOp struct {
	from   *types.VectorType
	high   bool
	signed bool
}

var extends = map[w.Opcode]extendOp{
	w.OpI16x8ExtendLowI8x16S: {i8x16, false, true}, w.OpI16x8ExtendHighI8x16S: {i8x16, true, true},
	w.OpI16x8ExtendLowI8x16U: {i8x16, false, false}, w.OpI16x8ExtendHighI8x16U: {i8x16, true, false},
	w.OpI32x4ExtendLowI16x8S: {i16x8, false, true}, w.OpI32x4ExtendHighI16x8S: {i16x8, true, true},
	w.OpI32x4ExtendLowI16x8U: {i16x8, false, false}, w.OpI32x4ExtendHighI16x8U: {i16x8, true, false},
	w.OpI64x2ExtendLowI32x4S: {i32x4, false, true}, w.OpI64x2ExtendHighI32x4S: {i32x4, true, true},
	w.OpI64x2ExtendLowI32x4U: {i32x4, false, false}, w.OpI64x2ExtendHighI32x4U: {i32x4, true, false},
}

var extmuls = map[w.Opcode]extendOp{
	w.OpI16x8ExtmulLowI8x16S: {i8x16, false, true}, w.OpI16x8ExtmulHighI8x16S: {i8x16, true, true},
	w.OpI16x8ExtmulLowI8x16U: {i8x16, false, false}, w.OpI16x8ExtmulHighI8x16U: {i8x16, true, false},
	w.OpI32x4ExtmulLowI16x8S: {i16x8, false, true}, w.OpI32x4ExtmulHighI16x8S: {i16x8, true, true},
	w.OpI32x4ExtmulLowI16x8U: {i16x8, false, false}, w.OpI32x4ExtmulHighI16x8U: {i16x8, true, false},
	w.OpI64x2ExtmulLowI32x4S: {i32x4, false, true}, w.OpI64x2ExtmulHighI32x4S: {i32x4, true, true},
	w.OpI64x2ExtmulLowI32x4U: {i32x4, false, false}, w.OpI64x2ExtmulHighI32x4U: {i32x4, true, false},
}

// extendHalf extends the low or high half of x to lanes twice as wide.
func (f *funcGen) extendHalf(x valueT, e extendOp) valueT {
	n := int(e.from.Len) / 2
	start := 0
	if e.high {
		start = n
	}
	h := f.cur.NewShuffleVector(x, x, mask(lanesFrom(start, n, 1)...))
	return f.ext(h, widen(e.from, n), e.signed)
}

func (f *funcGen) ext(x valueT, t *types.VectorType, signed bool) valueT {
	if signed {
		return f.cur.NewSExt(x, t)
	}
	return f.cur.NewZExt(x, t)
}

// pairs splits x into its even and odd lanes.
func (f *funcGen) pairs(x valueT, n int) (even, odd valueT) {
	return f.cur.NewShuffleVector(x, x, mask(lanesFrom(0, n/2, 2)...)),
		f.cur.NewShuffleVector(x, x, mask(lanesFrom(1, n/2, 2)...))
}

// clamp limits the lanes of x to [lo, hi] (signed).
func (f *funcGen) clamp(x valueT, t *types.VectorType, lo, hi int64) valueT {
	x = f.vcall("llvm.smax", t, x, splatConst(t, uint64(lo)))
	return f.vcall("llvm.smin", t, x, splatConst(t, uint64(hi)))
}

// simdIntegerWide translates the lane-width-changing integer instructions.
func (f *funcGen) simdIntegerWide(in *w.Instr) bool {
	if e, ok := extends[in.Op]; ok {
		f.pushV(f.extendHalf(f.popAs(e.from), e))
		return true
	}
	if e, ok := extmuls[in.Op]; ok {
		y, x := f.popAs(e.from), f.popAs(e.from)
		f.pushV(f.cur.NewMul(f.extendHalf(x, e), f.extendHalf(y, e)))
		return true
	}
	switch in.Op {
	case w.OpI8x16NarrowI16x8S, w.OpI8x16NarrowI16x8U, w.OpI16x8NarrowI32x4S, w.OpI16x8NarrowI32x4U:
		from, to := i16x8, i8x16
		if in.Op == w.OpI16x8NarrowI32x4S || in.Op == w.OpI16x8NarrowI32x4U {
			from, to = i32x4, i16x8
		}
		y, x := f.popAs(from), f.popAs(from)
		both := f.cur.NewShuffleVector(x, y, mask(lanesFrom(0, int(to.Len), 1)...))
		wt := types.NewVector(to.Len, from.ElemType)
		bits := laneBits(to)
		lo, hi := -int64(1)<<(bits-1), int64(1)<<(bits-1)-1
		if in.Op == w.OpI8x16NarrowI16x8U || in.Op == w.OpI16x8NarrowI32x4U {
			lo, hi = 0, int64(1)<<bits-1
		}
		f.pushV(f.cur.NewTrunc(f.clamp(both, wt, lo, hi), to))
	case w.OpI16x8ExtaddPairwiseI8x16S, w.OpI16x8ExtaddPairwiseI8x16U, w.OpI32x4ExtaddPairwiseI16x8S, w.OpI32x4ExtaddPairwiseI16x8U:
		from := i8x16
		if in.Op == w.OpI32x4ExtaddPairwiseI16x8S || in.Op == w.OpI32x4ExtaddPairwiseI16x8U {
			from = i16x8
		}
		signed := in.Op == w.OpI16x8ExtaddPairwiseI8x16S || in.Op == w.OpI32x4ExtaddPairwiseI16x8S
		n := int(from.Len)
		ev, od := f.pairs(f.popAs(from), n)
		wt := widen(from, n/2)
		f.pushV(f.cur.NewAdd(f.ext(ev, wt, signed), f.ext(od, wt, signed)))
	case w.OpI16x8Q15mulrSatS, w.OpI16x8RelaxedQ15mulrS:
		f.q15mulr()
	case w.OpI32x4DotI16x8S:
		y, x := f.popAs(i16x8), f.popAs(i16x8)
		wt := types.NewVector(8, types.I32)
		p := f.cur.NewMul(f.cur.NewSExt(x, wt), f.cur.NewSExt(y, wt))
		ev, od := f.pairs(p, 8)
		f.pushV(f.cur.NewAdd(ev, od))
	default:
		return false
	}
	return true
}

// q15mulr computes (x*y + 2^14) >> 15 per i16 lane, saturated: only
// -32768 * -32768 overflows, to 32768, which becomes 32767. (The relaxed
// variant may wrap there instead; saturating is one allowed result.)
func (f *funcGen) q15mulr() {
	y, x := f.popAs(i16x8), f.popAs(i16x8)
	wt := types.NewVector(8, types.I32)
	b := f.cur
	p := b.NewMul(b.NewSExt(x, wt), b.NewSExt(y, wt))
	r := b.NewAShr(b.NewAdd(p, splatConst(wt, 0x4000)), splatConst(wt, 15))
	r2 := f.vcall("llvm.smin", wt, r, splatConst(wt, 0x7fff))
	f.pushV(f.cur.NewTrunc(r2, i16x8))
}
