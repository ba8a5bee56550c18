package compile

import (
	"math"

	"github.com/llir/llvm/ir"
	"github.com/llir/llvm/ir/constant"
	"github.com/llir/llvm/ir/enum"
	"github.com/llir/llvm/ir/types"
)

// Wasm requires arithmetic on a signalling NaN to return a quiet one, so
// x*1, x/1, x-0, x+(-0), -0-x, x*-1, x/-1, promote(demote x) and demote(promote x) are not
// identities for NaN inputs; LLVM folds them anyway in its default
// floating-point mode (and constrained intrinsics did not stop all of
// it). For those few shapes — an operation with one of these constants, a
// promote of a demote or the reverse — the result gets its quiet bit set when it is a
// NaN, after whatever LLVM made of the operation. Every other operation
// stays plain.

// identityConst reports whether v is a float constant that some
// arithmetic treats as an identity (±0, ±1).
func identityConst(v valueT) bool {
	bc, ok := v.(*constant.ExprBitCast)
	if !ok {
		return false
	}
	ci, ok := bc.From.(*constant.Int)
	if !ok {
		return false
	}
	bits := uint64(ci.X.Int64()) // constants hold the bits sign-extended
	var f float64
	if bc.To == types.Float {
		f = float64(math.Float32frombits(uint32(bits)))
	} else {
		f = math.Float64frombits(bits)
	}
	return f == 0 || f == 1 || f == -1
}

// quiet returns r with its quiet bit set if it is a NaN.
func (f *funcGen) quiet(r valueT) valueT {
	b := f.cur
	it, q := types.Type(types.I32), valueT(i32c(0x0040_0000))
	if r.Type() == types.Double {
		it, q = types.I64, i64c(0x0008_0000_0000_0000)
	}
	qr := b.NewBitCast(b.NewOr(b.NewBitCast(r, it), q), r.Type())
	return b.NewSelect(b.NewFCmp(enum.FPredUNO, r, r), qr, r)
}

// binaryFloat pushes x op y, quieting the result when an operand is an
// identity constant.
func (f *funcGen) binaryFloat(mk func(x, y valueT) valueT, x, y valueT) {
	r := mk(x, y)
	if identityConst(x) || identityConst(y) {
		r = f.quiet(r)
	}
	f.push(r)
}

// promote pushes fpext x, quieted when x is a demote.
func (f *funcGen) promote(x valueT) {
	var r valueT = f.cur.NewFPExt(x, types.Double)
	if _, ok := x.(*ir.InstFPTrunc); ok {
		r = f.quiet(r)
	}
	f.push(r)
}

// demote pushes fptrunc x, quieted when x is a promote.
func (f *funcGen) demote(x valueT) {
	var r valueT = f.cur.NewFPTrunc(x, types.Float)
	if _, ok := x.(*ir.InstFPExt); ok {
		r = f.quiet(r)
	}
	f.push(r)
}
