package compile

import (
	"github.com/llir/llvm/ir"
	"github.com/llir/llvm/ir/constant"
	"github.com/llir/llvm/ir/enum"
	"github.com/llir/llvm/ir/types"

	w "github.com/gcscope/gcscope/engine/wasm"
)

// floatOp is a lane-wise float instruction on shape f32x4 or f64x2.
type floatOp struct {
	shape *types.VectorType
	kind  int
	name  string // the intrinsic of fkUnary
}

const (
	fkAdd = iota
	fkSub
	fkMul
	fkDiv
	fkMin
	fkMax
	fkPmin
	fkPmax
	fkNeg
	fkUnary
)

var floatOps = map[w.Opcode]floatOp{}

// floatCmps are the lane comparisons: ordered except ne (true for NaN).
var floatCmps = map[w.Opcode]struct {
	shape *types.VectorType
	pred  enum.FPred
}{}

func init() {
	for _, s := range []struct {
		t                                                        *types.VectorType
		add, sub, mul, div, min, max, pmin, pmax, neg, abs, sqrt w.Opcode
		ceil, floor, trunc, nearest, eq, relaxedMin, relaxedMax  w.Opcode
	}{
		{f32x4, w.OpF32x4Add, w.OpF32x4Sub, w.OpF32x4Mul, w.OpF32x4Div, w.OpF32x4Min, w.OpF32x4Max, w.OpF32x4Pmin, w.OpF32x4Pmax,
			w.OpF32x4Neg, w.OpF32x4Abs, w.OpF32x4Sqrt, w.OpF32x4Ceil, w.OpF32x4Floor, w.OpF32x4Trunc, w.OpF32x4Nearest, w.OpF32x4Eq,
			w.OpF32x4RelaxedMin, w.OpF32x4RelaxedMax},
		{f64x2, w.OpF64x2Add, w.OpF64x2Sub, w.OpF64x2Mul, w.OpF64x2Div, w.OpF64x2Min, w.OpF64x2Max, w.OpF64x2Pmin, w.OpF64x2Pmax,
			w.OpF64x2Neg, w.OpF64x2Abs, w.OpF64x2Sqrt, w.OpF64x2Ceil, w.OpF64x2Floor, w.OpF64x2Trunc, w.OpF64x2Nearest, w.OpF64x2Eq,
			w.OpF64x2RelaxedMin, w.OpF64x2RelaxedMax},
	} {
		floatOps[s.add] = floatOp{s.t, fkAdd, ""}
		floatOps[s.sub] = floatOp{s.t, fkSub, ""}
		floatOps[s.mul] = floatOp{s.t, fkMul, ""}
		floatOps[s.div] = floatOp{s.t, fkDiv, ""}
		// relaxed_min/max: the deterministic choice is Wasm's min/max.
		floatOps[s.min] = floatOp{s.t, fkMin, ""}
		floatOps[s.relaxedMin] = floatOp{s.t, fkMin, ""}
		floatOps[s.max] = floatOp{s.t, fkMax, ""}
		floatOps[s.relaxedMax] = floatOp{s.t, fkMax, ""}
		floatOps[s.pmin] = floatOp{s.t, fkPmin, ""}
		floatOps[s.pmax] = floatOp{s.t, fkPmax, ""}
		floatOps[s.neg] = floatOp{s.t, fkNeg, ""}
		floatOps[s.abs] = floatOp{s.t, fkUnary, "fabs"}
		floatOps[s.sqrt] = floatOp{s.t, fkUnary, "sqrt"}
		floatOps[s.ceil] = floatOp{s.t, fkUnary, "ceil"}
		floatOps[s.floor] = floatOp{s.t, fkUnary, "floor"}
		floatOps[s.trunc] = floatOp{s.t, fkUnary, "trunc"}
		// rint: ties to even in the default rounding mode (SSE4.1 round*).
		floatOps[s.nearest] = floatOp{s.t, fkUnary, "rint"}
		preds := []enum.FPred{enum.FPredOEQ, enum.FPredUNE, enum.FPredOLT, enum.FPredOGT, enum.FPredOLE, enum.FPredOGE}
		for k, p := range preds {
			floatCmps[s.eq+w.Opcode(k)] = struct {
				shape *types.VectorType
				pred  enum.FPred
			}{s.t, p}
		}
	}
}

// intShape is the integer shape with the lanes of float shape t.
func intShape(t *types.VectorType) *types.VectorType {
	if t == f32x4 {
		return i32x4
	}
	return i64x2
}

// simdFloat translates float lane arithmetic and comparisons.
func (f *funcGen) simdFloat(in *w.Instr) bool {
	if c, ok := floatCmps[in.Op]; ok {
		y, x := f.popAs(c.shape), f.popAs(c.shape)
		f.pushV(f.cur.NewSExt(f.cur.NewFCmp(c.pred, x, y), intShape(c.shape)))
		return true
	}
	o, ok := floatOps[in.Op]
	if !ok {
		return false
	}
	t := o.shape
	switch o.kind {
	case fkNeg:
		f.pushV(f.cur.NewFNeg(f.popAs(t)))
		return true
	case fkUnary:
		f.pushV(f.vcall("llvm."+o.name, t, f.popAs(t)))
		return true
	}
	y, x := f.popAs(t), f.popAs(t)
	_, cx := x.(constant.Constant)
	_, cy := y.(constant.Constant)
	if o.kind <= fkDiv {
		// A constant that reaches the operation through a local or a
		// block (made constant by mem2reg) would be folded like a
		// literal one; the barrier hides it, at no cost in instructions.
		if !cx {
			x = f.opaque(x)
		}
		if !cy {
			y = f.opaque(y)
		}
	}
	b := f.cur
	var r valueT
	switch o.kind {
	case fkAdd:
		r = b.NewFAdd(x, y)
	case fkSub:
		r = b.NewFSub(x, y)
	case fkMul:
		r = b.NewFMul(x, y)
	case fkDiv:
		r = b.NewFDiv(x, y)
	case fkMin, fkMax:
		f.pushV(f.vminMax(x, y, t, o.kind == fkMin))
		return true
	case fkPmin:
		// pmin is y < x ? y : x, not IEEE min: NaNs and -0 pass as is.
		f.pushV(b.NewSelect(b.NewFCmp(enum.FPredOLT, y, x), y, x))
		return true
	case fkPmax:
		f.pushV(b.NewSelect(b.NewFCmp(enum.FPredOLT, x, y), y, x))
		return true
	}
	// As for scalars (nanquiet.go): with a constant operand LLVM may fold
	// x*1, x-0... to x and lose the quieting of a signalling NaN lane.
	if cx || cy {
		r = f.vquiet(r, t)
	}
	f.pushV(r)
	return true
}

// vminMax is Wasm's min/max per lane: a NaN operand gives a NaN (the
// first NaN operand, quieted: nanOperand), equal operands are combined
// bitwise (so min(-0, +0) is -0 and max is +0), otherwise the ordered
// pick.
func (f *funcGen) vminMax(x, y valueT, t *types.VectorType, isMin bool) valueT {
	nan, r := f.orderedMinMax(x, y, intShape(t), isMin)
	return f.cur.NewSelect(nan, f.nanOperand(x, y, intShape(t)), r)
}

// vquiet sets the quiet bit of every NaN lane of r.
func (f *funcGen) vquiet(r valueT, t *types.VectorType) valueT {
	b := f.cur
	it := intShape(t)
	q := uint64(0x0040_0000)
	if t == f64x2 {
		q = 0x0008_0000_0000_0000
	}
	qr := b.NewBitCast(b.NewOr(b.NewBitCast(r, it), splatConst(it, q)), t)
	return b.NewSelect(b.NewFCmp(enum.FPredUNO, r, r), qr, r)
}

// opaque returns v through an empty inline asm that ties its output to
// its input register: no instruction, but LLVM can no longer see that v
// is a constant (such as 1.0 in every lane) and fold x*v to x, which
// would return a signalling NaN lane unquieted. (v may itself be a
// constant; it then costs the register load it needed anyway.)
func (f *funcGen) opaque(v valueT) valueT {
	t := v.Type()
	asm := ir.NewInlineAsm(types.NewPointer(types.NewFunc(t, t)), "", "=x,0")
	return f.cur.NewCall(asm, v)
}
