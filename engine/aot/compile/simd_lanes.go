package compile

import (
	"github.com/llir/llvm/ir/types"

	w "github.com/gcscope/gcscope/engine/wasm"
)

// splats gives the result shape of the splat instructions; the operand
// is the lane type, or i32 for the narrow integer shapes (truncated).
var splats = map[w.Opcode]*types.VectorType{
	w.OpI8x16Splat: i8x16, w.OpI16x8Splat: i16x8, w.OpI32x4Splat: i32x4,
	w.OpI64x2Splat: i64x2, w.OpF32x4Splat: f32x4, w.OpF64x2Splat: f64x2,
}

// extracts gives the shape of extract_lane and whether a narrow lane is
// sign-extended to i32.
var extracts = map[w.Opcode]struct {
	shape  *types.VectorType
	signed bool
}{
	w.OpI8x16ExtractLaneS: {i8x16, true}, w.OpI8x16ExtractLaneU: {i8x16, false},
	w.OpI16x8ExtractLaneS: {i16x8, true}, w.OpI16x8ExtractLaneU: {i16x8, false},
	w.OpI32x4ExtractLane: {i32x4, false}, w.OpI64x2ExtractLane: {i64x2, false},
	w.OpF32x4ExtractLane: {f32x4, false}, w.OpF64x2ExtractLane: {f64x2, false},
}

var replaces = map[w.Opcode]*types.VectorType{
	w.OpI8x16ReplaceLane: i8x16, w.OpI16x8ReplaceLane: i16x8, w.OpI32x4ReplaceLane: i32x4,
	w.OpI64x2ReplaceLane: i64x2, w.OpF32x4ReplaceLane: f32x4, w.OpF64x2ReplaceLane: f64x2,
}

// narrowScalar truncates an i32 operand to a narrow lane type.
func (f *funcGen) narrowScalar(x valueT, lane types.Type) valueT {
	if lane == types.I8 || lane == types.I16 {
		return f.cur.NewTrunc(x, lane)
	}
	return x
}

// simdLanes translates v128.const, shuffles, splats and lane accesses.
func (f *funcGen) simdLanes(in *w.Instr) bool {
	if t, ok := splats[in.Op]; ok {
		f.pushV(f.splat(f.narrowScalar(f.pop(), t.ElemType), t))
		return true
	}
	if e, ok := extracts[in.Op]; ok {
		x := f.cur.NewExtractElement(f.popAs(e.shape), i32c(int64(in.Lane)))
		switch {
		case e.shape.ElemType != types.I8 && e.shape.ElemType != types.I16:
			f.push(x)
		case e.signed:
			f.push(f.cur.NewSExt(x, types.I32))
		default:
			f.push(f.cur.NewZExt(x, types.I32))
		}
		return true
	}
	if t, ok := replaces[in.Op]; ok {
		x := f.narrowScalar(f.pop(), t.ElemType)
		f.pushV(f.cur.NewInsertElement(f.popAs(t), x, i32c(int64(in.Lane))))
		return true
	}
	switch in.Op {
	case w.OpV128Const:
		f.push(v128Const(in.Ext.Bytes))
	case w.OpI8x16Shuffle:
		y, x := f.popAs(i8x16), f.popAs(i8x16)
		lanes := make([]int, 16)
		for k, l := range in.Ext.Bytes {
			lanes[k] = int(l)
		}
		f.pushV(f.cur.NewShuffleVector(x, y, mask(lanes...)))
	case w.OpI8x16Swizzle, w.OpI8x16RelaxedSwizzle:
		f.swizzle()
	default:
		return false
	}
	return true
}

// swizzle picks x's bytes by index, 0 for indices ≥ 16. SSSE3's pshufb
// zeroes a byte whose index has the top bit set and otherwise uses the
// low four bits, so a saturating add of 0x70 maps 16..255 to ≥ 0x80 and
// keeps 0..15 in their low bits. (LLVM has no generic variable shuffle;
// x86-64-v2 guarantees SSSE3.)
func (f *funcGen) swizzle() {
	s, x := f.popAs(i8x16), f.popAs(i8x16)
	idx := f.vcall("llvm.uadd.sat", i8x16, s, splatConst(i8x16, 0x70))
	pshufb := f.g.intrinsic("llvm.x86.ssse3.pshuf.b.128", i8x16, i8x16, i8x16)
	f.pushV(f.cur.NewCall(pshufb, x, idx))
}
