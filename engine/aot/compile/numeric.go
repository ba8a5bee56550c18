package compile

import (
	"github.com/llir/llvm/ir/enum"
	"github.com/llir/llvm/ir/types"

	w "github.com/gcscope/gcscope/engine/wasm"
)

// Comparison predicates, indexed by opcode.
var icmps = map[w.Opcode]enum.IPred{
	w.OpI32Eq: enum.IPredEQ, w.OpI32Ne: enum.IPredNE, w.OpI32LtS: enum.IPredSLT, w.OpI32LtU: enum.IPredULT,
	w.OpI32GtS: enum.IPredSGT, w.OpI32GtU: enum.IPredUGT, w.OpI32LeS: enum.IPredSLE, w.OpI32LeU: enum.IPredULE,
	w.OpI32GeS: enum.IPredSGE, w.OpI32GeU: enum.IPredUGE,
	w.OpI64Eq: enum.IPredEQ, w.OpI64Ne: enum.IPredNE, w.OpI64LtS: enum.IPredSLT, w.OpI64LtU: enum.IPredULT,
	w.OpI64GtS: enum.IPredSGT, w.OpI64GtU: enum.IPredUGT, w.OpI64LeS: enum.IPredSLE, w.OpI64LeU: enum.IPredULE,
	w.OpI64GeS: enum.IPredSGE, w.OpI64GeU: enum.IPredUGE,
}

// Float comparisons: ordered except ne, which is true for NaN operands.
var fcmps = map[w.Opcode]enum.FPred{
	w.OpF32Eq: enum.FPredOEQ, w.OpF32Ne: enum.FPredUNE, w.OpF32Lt: enum.FPredOLT, w.OpF32Gt: enum.FPredOGT,
	w.OpF32Le: enum.FPredOLE, w.OpF32Ge: enum.FPredOGE,
	w.OpF64Eq: enum.FPredOEQ, w.OpF64Ne: enum.FPredUNE, w.OpF64Lt: enum.FPredOLT, w.OpF64Gt: enum.FPredOGT,
	w.OpF64Le: enum.FPredOLE, w.OpF64Ge: enum.FPredOGE,
}

// numeric translates the numeric instructions; it reports whether in was one.
func (f *funcGen) numeric(in *w.Instr) bool {
	b := f.cur
	if p, ok := icmps[in.Op]; ok {
		y, x := f.pop(), f.pop()
		f.push(b.NewZExt(b.NewICmp(p, x, y), types.I32))
		return true
	}
	if p, ok := fcmps[in.Op]; ok {
		y, x := f.pop(), f.pop()
		f.push(b.NewZExt(b.NewFCmp(p, x, y), types.I32))
		return true
	}
	switch in.Op {
	case w.OpI32Const:
		f.push(i32c(int64(in.I32())))
	case w.OpI64Const:
		f.push(i64c(int64(in.Value)))
	case w.OpF32Const:
		f.push(f32c(uint32(in.Value)))
	case w.OpF64Const:
		f.push(f64c(in.Value))
	case w.OpI32Eqz:
		f.push(b.NewZExt(b.NewICmp(enum.IPredEQ, f.pop(), i32c(0)), types.I32))
	case w.OpI64Eqz:
		f.push(b.NewZExt(b.NewICmp(enum.IPredEQ, f.pop(), i64c(0)), types.I32))
	case w.OpI32Clz, w.OpI64Clz, w.OpI32Ctz, w.OpI64Ctz:
		x := f.pop()
		name := "llvm.ctlz."
		if in.Op == w.OpI32Ctz || in.Op == w.OpI64Ctz {
			name = "llvm.cttz."
		}
		// is_zero_poison false: clz(0) and ctz(0) are the bit width.
		fn := f.g.intrinsic(name+suffix(x.Type()), x.Type(), x.Type(), types.I1)
		f.push(b.NewCall(fn, x, i1c(false)))
	case w.OpI32Popcnt, w.OpI64Popcnt:
		x := f.pop()
		f.push(b.NewCall(f.g.intrinsic("llvm.ctpop."+suffix(x.Type()), x.Type(), x.Type()), x))
	case w.OpI32Add, w.OpI64Add:
		y, x := f.pop(), f.pop()
		f.push(b.NewAdd(x, y))
	case w.OpI32Sub, w.OpI64Sub:
		y, x := f.pop(), f.pop()
		f.push(b.NewSub(x, y))
	case w.OpI32Mul, w.OpI64Mul:
		y, x := f.pop(), f.pop()
		f.push(b.NewMul(x, y))
	case w.OpI32And, w.OpI64And:
		y, x := f.pop(), f.pop()
		f.push(b.NewAnd(x, y))
	case w.OpI32Or, w.OpI64Or:
		y, x := f.pop(), f.pop()
		f.push(b.NewOr(x, y))
	case w.OpI32Xor, w.OpI64Xor:
		y, x := f.pop(), f.pop()
		f.push(b.NewXor(x, y))
	case w.OpI32Shl, w.OpI64Shl, w.OpI32ShrS, w.OpI64ShrS, w.OpI32ShrU, w.OpI64ShrU:
		y, x := f.pop(), f.pop()
		// Wasm takes the count modulo the width; LLVM would give poison.
		y = b.NewAnd(y, f.widthMask(x.Type()))
		switch in.Op {
		case w.OpI32Shl, w.OpI64Shl:
			f.push(b.NewShl(x, y))
		case w.OpI32ShrS, w.OpI64ShrS:
			f.push(b.NewAShr(x, y))
		default:
			f.push(b.NewLShr(x, y))
		}
	case w.OpI32Rotl, w.OpI64Rotl, w.OpI32Rotr, w.OpI64Rotr:
		y, x := f.pop(), f.pop()
		name := "llvm.fshl."
		if in.Op == w.OpI32Rotr || in.Op == w.OpI64Rotr {
			name = "llvm.fshr."
		}
		t := x.Type()
		f.push(b.NewCall(f.g.intrinsic(name+suffix(t), t, t, t, t), x, x, y))
	case w.OpI32DivS, w.OpI64DivS, w.OpI32DivU, w.OpI64DivU, w.OpI32RemS, w.OpI64RemS, w.OpI32RemU, w.OpI64RemU:
		f.divRem(in.Op)
	default:
		return f.float(in) || f.convert(in)
	}
	return true
}

func (f *funcGen) widthMask(t types.Type) valueT {
	if t == types.I32 {
		return i32c(31)
	}
	return i64c(63)
}

func intc(t types.Type, v int64) valueT {
	if t == types.I32 {
		return i32c(v)
	}
	return i64c(v)
}

// divRem traps on a zero divisor and on signed overflow (div_s only);
// rem_s of INT_MIN by -1 is 0, computed without the hardware fault.
func (f *funcGen) divRem(op w.Opcode) {
	y, x := f.pop(), f.pop()
	t := x.Type()
	f.trapIf(f.cur.NewICmp(enum.IPredEQ, y, intc(t, 0)), TrapDivZero)
	b := f.cur
	minInt := int64(-1 << 31)
	if t == types.I64 {
		minInt = -1 << 63
	}
	switch op {
	case w.OpI32DivS, w.OpI64DivS:
		ovf := b.NewAnd(b.NewICmp(enum.IPredEQ, x, intc(t, minInt)), b.NewICmp(enum.IPredEQ, y, intc(t, -1)))
		f.trapIf(ovf, TrapIntOverflow)
		f.push(f.cur.NewSDiv(x, y))
	case w.OpI32DivU, w.OpI64DivU:
		f.push(b.NewUDiv(x, y))
	case w.OpI32RemS, w.OpI64RemS:
		m1 := b.NewICmp(enum.IPredEQ, y, intc(t, -1))
		safe := b.NewSelect(m1, intc(t, 1), y)
		f.push(b.NewSelect(m1, intc(t, 0), b.NewSRem(x, safe)))
	default:
		f.push(b.NewURem(x, y))
	}
}

// float translates float arithmetic.
func (f *funcGen) float(in *w.Instr) bool {
	b := f.cur
	un := func(name string) {
		x := f.pop()
		f.push(b.NewCall(f.g.intrinsic("llvm."+name+"."+suffix(x.Type()), x.Type(), x.Type()), x))
	}
	switch in.Op {
	case w.OpF32Abs, w.OpF64Abs:
		un("fabs")
	case w.OpF32Neg, w.OpF64Neg:
		f.push(b.NewFNeg(f.pop()))
	case w.OpF32Ceil, w.OpF64Ceil:
		un("ceil")
	case w.OpF32Floor, w.OpF64Floor:
		un("floor")
	case w.OpF32Trunc, w.OpF64Trunc:
		un("trunc")
	case w.OpF32Nearest, w.OpF64Nearest:
		// rint rounds to nearest, ties to even, in the default mode.
		un("rint")
	case w.OpF32Sqrt, w.OpF64Sqrt:
		un("sqrt")
	case w.OpF32Add, w.OpF64Add:
		y, x := f.pop(), f.pop()
		f.binaryFloat(func(x, y valueT) valueT { return b.NewFAdd(x, y) }, x, y)
	case w.OpF32Sub, w.OpF64Sub:
		y, x := f.pop(), f.pop()
		f.binaryFloat(func(x, y valueT) valueT { return b.NewFSub(x, y) }, x, y)
	case w.OpF32Mul, w.OpF64Mul:
		y, x := f.pop(), f.pop()
		f.binaryFloat(func(x, y valueT) valueT { return b.NewFMul(x, y) }, x, y)
	case w.OpF32Div, w.OpF64Div:
		y, x := f.pop(), f.pop()
		f.binaryFloat(func(x, y valueT) valueT { return b.NewFDiv(x, y) }, x, y)
	case w.OpF32Copysign, w.OpF64Copysign:
		y, x := f.pop(), f.pop()
		t := x.Type()
		f.push(b.NewCall(f.g.intrinsic("llvm.copysign."+suffix(t), t, t, t), x, y))
	case w.OpF32Min, w.OpF64Min, w.OpF32Max, w.OpF64Max:
		f.minMax(in.Op == w.OpF32Min || in.Op == w.OpF64Min)
	default:
		return false
	}
	return true
}

// minMax follows the spec: a NaN operand gives NaN (see nanOperand), and
// -0 < +0 (see orderedMinMax).
func (f *funcGen) minMax(isMin bool) {
	y, x := f.pop(), f.pop()
	it := types.Type(types.I32)
	if x.Type() == types.Double {
		it = types.I64
	}
	nan, r := f.orderedMinMax(x, y, it, isMin)
	f.push(f.cur.NewSelect(nan, f.nanOperand(x, y, it), r))
}

// orderedMinMax is min/max of floats x and y (scalars or vectors, it their
// integer shape) when neither is NaN, and nan, true when one is: the
// caller picks the NaN result. Equal operands are combined bitwise (or
// for min, and for max), which picks -0 over +0 for min and +0 for max
// and is the identity otherwise.
func (f *funcGen) orderedMinMax(x, y valueT, it types.Type, isMin bool) (nan, r valueT) {
	b := f.cur
	t := x.Type()
	nan = b.NewFCmp(enum.FPredUNO, x, y)
	eq := b.NewFCmp(enum.FPredOEQ, x, y)
	xi, yi := b.NewBitCast(x, it), b.NewBitCast(y, it)
	var both, pick valueT
	if isMin {
		both = b.NewBitCast(b.NewOr(xi, yi), t)
		pick = b.NewSelect(b.NewFCmp(enum.FPredOLT, x, y), x, y)
	} else {
		both = b.NewBitCast(b.NewAnd(xi, yi), t)
		pick = b.NewSelect(b.NewFCmp(enum.FPredOGT, x, y), x, y)
	}
	return nan, b.NewSelect(eq, both, pick)
}
