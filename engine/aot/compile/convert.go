package compile

import (
	"math"

	"github.com/llir/llvm/ir/enum"
	"github.com/llir/llvm/ir/types"

	w "github.com/gcscope/gcscope/engine/wasm"
)

// truncRange gives, for a trapping float→int conversion, the exclusive
// bounds (lo, hi) a value must lie strictly between; both are exactly
// representable in the source type, so the compare itself is exact.
type truncSpec struct {
	from, to types.Type
	signed   bool
	lo, hi   float64
}

var truncs = map[w.Opcode]truncSpec{
	w.OpI32TruncF32S: {types.Float, types.I32, true, -2147483904.0, 2147483648.0},
	w.OpI32TruncF32U: {types.Float, types.I32, false, -1.0, 4294967296.0},
	w.OpI32TruncF64S: {types.Double, types.I32, true, -2147483649.0, 2147483648.0},
	w.OpI32TruncF64U: {types.Double, types.I32, false, -1.0, 4294967296.0},
	w.OpI64TruncF32S: {types.Float, types.I64, true, -9223373136366403584.0, 9223372036854775808.0},
	w.OpI64TruncF32U: {types.Float, types.I64, false, -1.0, 18446744073709551616.0},
	w.OpI64TruncF64S: {types.Double, types.I64, true, -9223372036854777856.0, 9223372036854775808.0},
	w.OpI64TruncF64U: {types.Double, types.I64, false, -1.0, 18446744073709551616.0},
}

var truncSats = map[w.Opcode]truncSpec{
	w.OpI32TruncSatF32S: {types.Float, types.I32, true, 0, 0},
	w.OpI32TruncSatF32U: {types.Float, types.I32, false, 0, 0},
	w.OpI32TruncSatF64S: {types.Double, types.I32, true, 0, 0},
	w.OpI32TruncSatF64U: {types.Double, types.I32, false, 0, 0},
	w.OpI64TruncSatF32S: {types.Float, types.I64, true, 0, 0},
	w.OpI64TruncSatF32U: {types.Float, types.I64, false, 0, 0},
	w.OpI64TruncSatF64S: {types.Double, types.I64, true, 0, 0},
	w.OpI64TruncSatF64U: {types.Double, types.I64, false, 0, 0},
}

func floatConst(t types.Type, v float64) valueT {
	if t == types.Float {
		return f32c(math.Float32bits(float32(v)))
	}
	return f64c(math.Float64bits(v))
}

// convert translates conversions, extensions and reinterpretations.
func (f *funcGen) convert(in *w.Instr) bool {
	if s, ok := truncs[in.Op]; ok {
		x := f.pop()
		f.trapIf(f.cur.NewFCmp(enum.FPredUNO, x, x), TrapInvalidConversion)
		b := f.cur
		inRange := b.NewAnd(b.NewFCmp(enum.FPredOGT, x, floatConst(s.from, s.lo)),
			b.NewFCmp(enum.FPredOLT, x, floatConst(s.from, s.hi)))
		f.trapIf(f.cur.NewXor(inRange, i1c(true)), TrapIntOverflow)
		if s.signed {
			f.push(f.cur.NewFPToSI(x, s.to))
		} else {
			f.push(f.cur.NewFPToUI(x, s.to))
		}
		return true
	}
	if s, ok := truncSats[in.Op]; ok {
		x := f.pop()
		name := "llvm.fptoui.sat."
		if s.signed {
			name = "llvm.fptosi.sat."
		}
		fn := f.g.intrinsic(name+suffix(s.to)+"."+suffix(s.from), s.to, s.from)
		f.push(f.cur.NewCall(fn, x))
		return true
	}
	b := f.cur
	sext := func(from, to types.Type) {
		f.push(b.NewSExt(b.NewTrunc(f.pop(), from), to))
	}
	switch in.Op {
	case w.OpI32WrapI64:
		f.push(b.NewTrunc(f.pop(), types.I32))
	case w.OpI64ExtendI32S:
		f.push(b.NewSExt(f.pop(), types.I64))
	case w.OpI64ExtendI32U:
		f.push(b.NewZExt(f.pop(), types.I64))
	case w.OpI32Extend8S:
		sext(types.I8, types.I32)
	case w.OpI32Extend16S:
		sext(types.I16, types.I32)
	case w.OpI64Extend8S:
		sext(types.I8, types.I64)
	case w.OpI64Extend16S:
		sext(types.I16, types.I64)
	case w.OpI64Extend32S:
		sext(types.I32, types.I64)
	case w.OpF32ConvertI32S, w.OpF32ConvertI64S:
		f.push(b.NewSIToFP(f.pop(), types.Float))
	case w.OpF32ConvertI32U, w.OpF32ConvertI64U:
		f.push(b.NewUIToFP(f.pop(), types.Float))
	case w.OpF64ConvertI32S, w.OpF64ConvertI64S:
		f.push(b.NewSIToFP(f.pop(), types.Double))
	case w.OpF64ConvertI32U, w.OpF64ConvertI64U:
		f.push(b.NewUIToFP(f.pop(), types.Double))
	case w.OpF32DemoteF64:
		f.demote(f.pop())
	case w.OpF64PromoteF32:
		f.promote(f.pop())
	case w.OpI32ReinterpretF32:
		f.push(b.NewBitCast(f.pop(), types.I32))
	case w.OpI64ReinterpretF64:
		f.push(b.NewBitCast(f.pop(), types.I64))
	case w.OpF32ReinterpretI32:
		f.push(b.NewBitCast(f.pop(), types.Float))
	case w.OpF64ReinterpretI64:
		f.push(b.NewBitCast(f.pop(), types.Double))
	default:
		return false
	}
	return true
}
