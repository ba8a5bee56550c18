package compile

import (
	"math"

	"github.com/llir/llvm/ir"
	"github.com/llir/llvm/ir/constant"
	"github.com/llir/llvm/ir/enum"
	"github.com/llir/llvm/ir/types"
)

// Wasm requires arithmetic on a signalling NaN to return a quiet one, so
// x*1, x/1, x-0, x+(-0), -0-x, x*-1, x/-1, x op NaN and demote(promote
// x) are not identities for NaN inputs; LLVM folds them anyway in its
// default floating-point mode (and constrained intrinsics did not stop
// all of it). (min and max quiet their NaN with bit operations instead:
// nanOperand.) Two measures close every route:
//
//   - An operand that is a literal constant is visible here: when it is
//     ±0, ±1 or a NaN, the result gets its quiet bit set if it is a NaN,
//     after whatever LLVM made of the operation.
//   - Any other operand goes through nanBarrier, an empty inline asm LLVM
//     cannot see through. After mem2reg, SCCP and inlining, a value that
//     was a local, a block result, a global, a select, a loop-carried
//     local or a call's result may well be a constant; behind the barrier
//     it is just a register, so nothing can be folded.
//
// The barrier emits no instruction; what it costs is that LLVM can no
// longer fold a load into the arithmetic instruction or vectorize across
// it (docs/aot-compiler.md gives the measurement).

// foldableConst reports whether v is a float constant with which LLVM
// may fold arithmetic to an operand or to the constant itself: ±0, ±1 or
// a NaN.
func foldableConst(v valueT) bool {
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
	return f == 0 || f == 1 || f == -1 || math.IsNaN(f)
}

// nanBarrier returns v through an empty inline asm that ties its output
// to its input register: no instruction, but LLVM no longer knows the
// value, so a constant that reached v through locals, blocks, globals,
// selects or calls cannot be folded into the arithmetic that uses it.
// Literal constants pass unchanged: the caller quiets their results.
// readnone lets LLVM hoist and merge barriers like any pure operation
// (without it a call counts as touching memory and blocks load
// optimizations around it).
func (f *funcGen) nanBarrier(v valueT) valueT {
	if _, ok := v.(constant.Constant); ok {
		return v
	}
	return f.hide(v)
}

// hide is the barrier itself, for constants too.
func (f *funcGen) hide(v valueT) valueT {
	t := v.Type()
	c := f.cur.NewCall(ir.NewInlineAsm(types.NewPointer(types.NewFunc(t, t)), "", "=x,0"), v)
	c.FuncAttrs = append(c.FuncAttrs, enum.FuncAttrReadNone, enum.FuncAttrNoUnwind)
	return c
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

// binaryFloat pushes x op y: non-literal operands behind the barrier,
// the result quieted when a literal operand is one LLVM folds with.
func (f *funcGen) binaryFloat(mk func(x, y valueT) valueT, x, y valueT) {
	r := mk(f.nanBarrier(x), f.nanBarrier(y))
	if foldableConst(x) || foldableConst(y) {
		r = f.quiet(r)
	}
	f.push(r)
}

// promote pushes fpext x. The barrier hides a demote behind x (LLVM does
// not fold fpext(fptrunc x) today, but nothing promises that); a literal
// is converted, and quieted, by LLVM's constant folder.
func (f *funcGen) promote(x valueT) {
	f.push(f.cur.NewFPExt(f.nanBarrier(x), types.Double))
}

// demote pushes fptrunc x; the barrier keeps LLVM from folding
// fptrunc(fpext y) to y, a signalling NaN unquieted.
func (f *funcGen) demote(x valueT) {
	f.push(f.cur.NewFPTrunc(f.nanBarrier(x), types.Float))
}
