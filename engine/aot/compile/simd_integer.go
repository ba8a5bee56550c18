package compile

import (
	"github.com/llir/llvm/ir/enum"
	"github.com/llir/llvm/ir/types"

	w "github.com/gcscope/gcscope/engine/wasm"
)

// intBin is a lane-wise integer operation: an LLVM instruction kind or an
// intrinsic.
type intBin struct {
	shape *types.VectorType
	op    int    // ibAdd...; ibIntrinsic uses name
	name  string // llvm.<name>.<vN iM>
}

const (
	ibAdd = iota
	ibSub
	ibMul
	ibIntrinsic
	ibAvgr
)

var intBins = map[w.Opcode]intBin{
	w.OpI8x16Add: {i8x16, ibAdd, ""}, w.OpI16x8Add: {i16x8, ibAdd, ""}, w.OpI32x4Add: {i32x4, ibAdd, ""}, w.OpI64x2Add: {i64x2, ibAdd, ""},
	w.OpI8x16Sub: {i8x16, ibSub, ""}, w.OpI16x8Sub: {i16x8, ibSub, ""}, w.OpI32x4Sub: {i32x4, ibSub, ""}, w.OpI64x2Sub: {i64x2, ibSub, ""},
	w.OpI16x8Mul: {i16x8, ibMul, ""}, w.OpI32x4Mul: {i32x4, ibMul, ""}, w.OpI64x2Mul: {i64x2, ibMul, ""},
	w.OpI8x16AddSatS: {i8x16, ibIntrinsic, "sadd.sat"}, w.OpI8x16AddSatU: {i8x16, ibIntrinsic, "uadd.sat"},
	w.OpI8x16SubSatS: {i8x16, ibIntrinsic, "ssub.sat"}, w.OpI8x16SubSatU: {i8x16, ibIntrinsic, "usub.sat"},
	w.OpI16x8AddSatS: {i16x8, ibIntrinsic, "sadd.sat"}, w.OpI16x8AddSatU: {i16x8, ibIntrinsic, "uadd.sat"},
	w.OpI16x8SubSatS: {i16x8, ibIntrinsic, "ssub.sat"}, w.OpI16x8SubSatU: {i16x8, ibIntrinsic, "usub.sat"},
	w.OpI8x16MinS: {i8x16, ibIntrinsic, "smin"}, w.OpI8x16MinU: {i8x16, ibIntrinsic, "umin"},
	w.OpI8x16MaxS: {i8x16, ibIntrinsic, "smax"}, w.OpI8x16MaxU: {i8x16, ibIntrinsic, "umax"},
	w.OpI16x8MinS: {i16x8, ibIntrinsic, "smin"}, w.OpI16x8MinU: {i16x8, ibIntrinsic, "umin"},
	w.OpI16x8MaxS: {i16x8, ibIntrinsic, "smax"}, w.OpI16x8MaxU: {i16x8, ibIntrinsic, "umax"},
	w.OpI32x4MinS: {i32x4, ibIntrinsic, "smin"}, w.OpI32x4MinU: {i32x4, ibIntrinsic, "umin"},
	w.OpI32x4MaxS: {i32x4, ibIntrinsic, "smax"}, w.OpI32x4MaxU: {i32x4, ibIntrinsic, "umax"},
	w.OpI8x16AvgrU: {i8x16, ibAvgr, ""}, w.OpI16x8AvgrU: {i16x8, ibAvgr, ""},
}

// intCmp is a lane-wise integer comparison; lanes become all ones or zero.
type intCmp struct {
	shape *types.VectorType
	pred  enum.IPred
}

var intCmps = map[w.Opcode]intCmp{}

func init() {
	preds := []enum.IPred{enum.IPredEQ, enum.IPredNE, enum.IPredSLT, enum.IPredULT, enum.IPredSGT, enum.IPredUGT,
		enum.IPredSLE, enum.IPredULE, enum.IPredSGE, enum.IPredUGE}
	for k, p := range preds {
		intCmps[w.OpI8x16Eq+w.Opcode(k)] = intCmp{i8x16, p}
		intCmps[w.OpI16x8Eq+w.Opcode(k)] = intCmp{i16x8, p}
		intCmps[w.OpI32x4Eq+w.Opcode(k)] = intCmp{i32x4, p}
	}
	// i64x2 has eq, ne and the signed orders only.
	for k, p := range []enum.IPred{enum.IPredEQ, enum.IPredNE, enum.IPredSLT, enum.IPredSGT, enum.IPredSLE, enum.IPredSGE} {
		intCmps[w.OpI64x2Eq+w.Opcode(k)] = intCmp{i64x2, p}
	}
}

// intUnary: abs, neg, popcnt; shifts; the boolean reductions.
var intShapeOf = map[w.Opcode]*types.VectorType{
	w.OpI8x16Abs: i8x16, w.OpI16x8Abs: i16x8, w.OpI32x4Abs: i32x4, w.OpI64x2Abs: i64x2,
	w.OpI8x16Neg: i8x16, w.OpI16x8Neg: i16x8, w.OpI32x4Neg: i32x4, w.OpI64x2Neg: i64x2,
	w.OpI8x16Shl: i8x16, w.OpI16x8Shl: i16x8, w.OpI32x4Shl: i32x4, w.OpI64x2Shl: i64x2,
	w.OpI8x16ShrS: i8x16, w.OpI16x8ShrS: i16x8, w.OpI32x4ShrS: i32x4, w.OpI64x2ShrS: i64x2,
	w.OpI8x16ShrU: i8x16, w.OpI16x8ShrU: i16x8, w.OpI32x4ShrU: i32x4, w.OpI64x2ShrU: i64x2,
	w.OpI8x16AllTrue: i8x16, w.OpI16x8AllTrue: i16x8, w.OpI32x4AllTrue: i32x4, w.OpI64x2AllTrue: i64x2,
	w.OpI8x16Bitmask: i8x16, w.OpI16x8Bitmask: i16x8, w.OpI32x4Bitmask: i32x4, w.OpI64x2Bitmask: i64x2,
}

// laneBits is the width of t's lanes.
func laneBits(t *types.VectorType) int64 { return 8 * byteSize(t.ElemType) }

// simdInteger translates integer lane arithmetic, comparisons, shifts,
// the bitwise instructions and the boolean reductions.
func (f *funcGen) simdInteger(in *w.Instr) bool {
	if o, ok := intBins[in.Op]; ok {
		y, x := f.popAs(o.shape), f.popAs(o.shape)
		b := f.cur
		switch o.op {
		case ibAdd:
			f.pushV(b.NewAdd(x, y))
		case ibSub:
			f.pushV(b.NewSub(x, y))
		case ibMul:
			f.pushV(b.NewMul(x, y))
		case ibAvgr:
			// (x + y + 1) / 2 without wrapping: computed in wider lanes.
			wt := widen(o.shape, int(o.shape.Len))
			s := b.NewAdd(b.NewAdd(b.NewZExt(x, wt), b.NewZExt(y, wt)), splatConst(wt, 1))
			f.pushV(b.NewTrunc(b.NewLShr(s, splatConst(wt, 1)), o.shape))
		default:
			f.pushV(f.vcall("llvm."+o.name, o.shape, x, y))
		}
		return true
	}
	if c, ok := intCmps[in.Op]; ok {
		y, x := f.popAs(c.shape), f.popAs(c.shape)
		f.pushV(f.cur.NewSExt(f.cur.NewICmp(c.pred, x, y), c.shape))
		return true
	}
	if t, ok := intShapeOf[in.Op]; ok {
		f.intShaped(in.Op, t)
		return true
	}
	b := f.cur
	switch in.Op {
	case w.OpV128Not:
		f.push(b.NewXor(f.pop(), splatConst(v128T, ^uint64(0))))
	case w.OpV128And:
		y, x := f.pop(), f.pop()
		f.push(b.NewAnd(x, y))
	case w.OpV128Or:
		y, x := f.pop(), f.pop()
		f.push(b.NewOr(x, y))
	case w.OpV128Xor:
		y, x := f.pop(), f.pop()
		f.push(b.NewXor(x, y))
	case w.OpV128Andnot:
		y, x := f.pop(), f.pop()
		f.push(b.NewAnd(x, b.NewXor(y, splatConst(v128T, ^uint64(0)))))
	case w.OpV128Bitselect, w.OpI8x16RelaxedLaneselect, w.OpI16x8RelaxedLaneselect,
		w.OpI32x4RelaxedLaneselect, w.OpI64x2RelaxedLaneselect:
		// laneselect may act bitwise (its lanes are all ones or zero in
		// the cases the proposal pins down), so it is bitselect too.
		c, y, x := f.pop(), f.pop(), f.pop()
		f.push(b.NewOr(b.NewAnd(x, c), b.NewAnd(y, b.NewXor(c, splatConst(v128T, ^uint64(0))))))
	case w.OpV128AnyTrue:
		i := b.NewBitCast(f.pop(), types.I128)
		f.push(b.NewZExt(b.NewICmp(enum.IPredNE, i, constIntN(types.I128, 0)), types.I32))
	case w.OpI8x16Popcnt:
		f.pushV(f.vcall("llvm.ctpop", i8x16, f.popAs(i8x16)))
	default:
		return false
	}
	return true
}

// intShaped translates the single-shape integer instructions of
// intShapeOf.
func (f *funcGen) intShaped(op w.Opcode, t *types.VectorType) {
	b := f.cur
	switch op {
	case w.OpI8x16Abs, w.OpI16x8Abs, w.OpI32x4Abs, w.OpI64x2Abs:
		// INT_MIN is not poison: its absolute value wraps to itself.
		f.pushV(f.vcall("llvm.abs", t, f.popAs(t), i1c(false)))
	case w.OpI8x16Neg, w.OpI16x8Neg, w.OpI32x4Neg, w.OpI64x2Neg:
		f.pushV(b.NewSub(zeroV(t), f.popAs(t)))
	case w.OpI8x16AllTrue, w.OpI16x8AllTrue, w.OpI32x4AllTrue, w.OpI64x2AllTrue:
		nz := b.NewICmp(enum.IPredNE, f.popAs(t), zeroV(t))
		bits := types.NewInt(t.Len)
		all := b.NewICmp(enum.IPredEQ, b.NewBitCast(nz, bits), constIntN(bits, -1))
		f.push(b.NewZExt(all, types.I32))
	case w.OpI8x16Bitmask, w.OpI16x8Bitmask, w.OpI32x4Bitmask, w.OpI64x2Bitmask:
		neg := b.NewICmp(enum.IPredSLT, f.popAs(t), zeroV(t))
		f.push(b.NewZExt(b.NewBitCast(neg, types.NewInt(t.Len)), types.I32))
	default:
		f.shift(op, t)
	}
}

// shift shifts every lane by the i32 count modulo the lane width (LLVM
// would give poison for counts ≥ the width).
func (f *funcGen) shift(op w.Opcode, t *types.VectorType) {
	n, x := f.pop(), f.popAs(t)
	b := f.cur
	var c valueT = b.NewAnd(n, i32c(laneBits(t)-1))
	switch t.ElemType {
	case types.I8, types.I16:
		c = b.NewTrunc(c, t.ElemType)
	case types.I64:
		c = b.NewZExt(c, types.I64)
	}
	cs := f.splat(c, t)
	b = f.cur
	switch op {
	case w.OpI8x16Shl, w.OpI16x8Shl, w.OpI32x4Shl, w.OpI64x2Shl:
		f.pushV(b.NewShl(x, cs))
	case w.OpI8x16ShrS, w.OpI16x8ShrS, w.OpI32x4ShrS, w.OpI64x2ShrS:
		f.pushV(b.NewAShr(x, cs))
	default:
		f.pushV(b.NewLShr(x, cs))
	}
}
