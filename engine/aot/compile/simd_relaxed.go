package compile

import (
	"github.com/llir/llvm/ir/types"

	w "github.com/gcscope/gcscope/engine/wasm"
)

// Relaxed SIMD gets one deterministic result per instruction, among
// those the proposal allows. Most are their strict counterparts, handled
// with them: relaxed_swizzle (swizzle), relaxed_trunc (trunc_sat),
// relaxed_laneselect (bitselect), relaxed_min/max (min/max),
// relaxed_q15mulr_s (q15mulr_sat_s). The rest are here.

// simdRelaxed translates madd/nmadd and the i7 dot products.
func (f *funcGen) simdRelaxed(in *w.Instr) bool {
	switch in.Op {
	case w.OpF32x4RelaxedMadd, w.OpF32x4RelaxedNmadd, w.OpF64x2RelaxedMadd, w.OpF64x2RelaxedNmadd:
		t := f32x4
		if in.Op == w.OpF64x2RelaxedMadd || in.Op == w.OpF64x2RelaxedNmadd {
			t = f64x2
		}
		z, y, x := f.popAs(t), f.popAs(t), f.popAs(t)
		// Hidden from LLVM so that x*1 or p+(-0) is not folded (see opaque).
		x, y, z = f.opaque(x), f.opaque(y), f.opaque(z)
		b := f.cur
		// Unfused (two roundings), which the proposal allows: a fused
		// llvm.fma would become a libm call on x86-64-v2, which has no
		// FMA instructions.
		var p valueT = b.NewFMul(x, y)
		if in.Op == w.OpF32x4RelaxedNmadd || in.Op == w.OpF64x2RelaxedNmadd {
			p = b.NewFNeg(p)
		}
		f.pushV(b.NewFAdd(p, z))
	case w.OpI16x8RelaxedDotI8x16I7x16S:
		y, x := f.popAs(i8x16), f.popAs(i8x16)
		f.pushV(f.dotI8(x, y))
	case w.OpI32x4RelaxedDotI8x16I7x16AddS:
		acc, y, x := f.popAs(i32x4), f.popAs(i8x16), f.popAs(i8x16)
		d := f.dotI8(x, y)
		ev, od := f.pairs(d, 8)
		wt := types.NewVector(4, types.I32)
		b := f.cur
		s := b.NewAdd(b.NewSExt(ev, wt), b.NewSExt(od, wt))
		f.pushV(b.NewAdd(s, acc))
	default:
		return false
	}
	return true
}

// dotI8 multiplies the signed bytes of x and y and adds adjacent pairs
// into i16 lanes (wrapping, as the interpreter does; with y's lanes in
// i7 range, as the proposal intends, nothing wraps).
func (f *funcGen) dotI8(x, y valueT) valueT {
	b := f.cur
	wt := types.NewVector(16, types.I16)
	p := b.NewMul(b.NewSExt(x, wt), b.NewSExt(y, wt))
	ev, od := f.pairs(p, 16)
	return f.cur.NewAdd(ev, od)
}
