package compile

import (
	"github.com/llir/llvm/ir/types"

	w "github.com/gcscope/gcscope/engine/wasm"
)

// Vector memory accesses use the scalar accesses' explicit bounds check
// (address) and align 1, like every other access.

// vload describes a load that makes a vector from fewer bytes.
type vload struct {
	mem  types.Type // what is read
	kind int        // how it becomes a v128
	lane *types.VectorType
}

const (
	vlExtendS = iota // loadNxM_s: mem is <M x iN>, sign-extended to lane
	vlExtendU        // loadNxM_u: zero-extended
	vlSplat          // load_splat: mem is the lane type, copied to every lane
	vlZero           // load_zero: mem in lane 0, the rest zero
)

var vloads = map[w.Opcode]vload{
	w.OpV128Load8x8S: {types.NewVector(8, types.I8), vlExtendS, i16x8}, w.OpV128Load8x8U: {types.NewVector(8, types.I8), vlExtendU, i16x8},
	w.OpV128Load16x4S: {types.NewVector(4, types.I16), vlExtendS, i32x4}, w.OpV128Load16x4U: {types.NewVector(4, types.I16), vlExtendU, i32x4},
	w.OpV128Load32x2S: {types.NewVector(2, types.I32), vlExtendS, i64x2}, w.OpV128Load32x2U: {types.NewVector(2, types.I32), vlExtendU, i64x2},
	w.OpV128Load8Splat: {types.I8, vlSplat, i8x16}, w.OpV128Load16Splat: {types.I16, vlSplat, i16x8},
	w.OpV128Load32Splat: {types.I32, vlSplat, i32x4}, w.OpV128Load64Splat: {types.I64, vlSplat, i64x2},
	w.OpV128Load32Zero: {types.I32, vlZero, i32x4}, w.OpV128Load64Zero: {types.I64, vlZero, i64x2},
}

// laneOps gives the shape of the lane load/store instructions.
var laneOps = map[w.Opcode]struct {
	shape *types.VectorType
	store bool
}{
	w.OpV128Load8Lane: {i8x16, false}, w.OpV128Load16Lane: {i16x8, false}, w.OpV128Load32Lane: {i32x4, false},
	w.OpV128Load64Lane: {i64x2, false}, w.OpV128Store8Lane: {i8x16, true}, w.OpV128Store16Lane: {i16x8, true},
	w.OpV128Store32Lane: {i32x4, true}, w.OpV128Store64Lane: {i64x2, true},
}

// byteSize is the size in memory of a scalar or vector type.
func byteSize(t types.Type) int64 {
	switch t := t.(type) {
	case *types.VectorType:
		return int64(t.Len) * byteSize(t.ElemType)
	case *types.IntType:
		return int64(t.BitSize / 8)
	}
	if t == types.Float {
		return 4
	}
	return 8
}

// vaddr bounds-checks an access of t at addr + the instruction's offset.
func (f *funcGen) vaddr(in *w.Instr, addr valueT, t types.Type) valueT {
	return f.memAddress(in.Index, addr, in.Value, byteSize(t), t)
}

func (f *funcGen) vloadAt(in *w.Instr, addr valueT, t types.Type) valueT {
	ld := f.cur.NewLoad(t, f.vaddr(in, addr, t))
	ld.Align = 1
	return ld
}

func (f *funcGen) vstoreAt(in *w.Instr, addr, v valueT) {
	st := f.cur.NewStore(v, f.vaddr(in, addr, v.Type()))
	st.Align = 1
}

// simdMemory translates the vector loads and stores.
func (f *funcGen) simdMemory(in *w.Instr) bool {
	if l, ok := vloads[in.Op]; ok {
		x := f.vloadAt(in, f.pop(), l.mem)
		b := f.cur
		switch l.kind {
		case vlExtendS:
			f.pushV(b.NewSExt(x, l.lane))
		case vlExtendU:
			f.pushV(b.NewZExt(x, l.lane))
		case vlSplat:
			f.pushV(f.splat(x, l.lane))
		default:
			f.pushV(b.NewInsertElement(zeroV(l.lane), x, i32c(0)))
		}
		return true
	}
	if l, ok := laneOps[in.Op]; ok {
		v := f.popAs(l.shape)
		addr := f.pop()
		if l.store {
			x := f.cur.NewExtractElement(v, i32c(int64(in.Lane)))
			f.vstoreAt(in, addr, x)
			return true
		}
		x := f.vloadAt(in, addr, l.shape.ElemType)
		f.pushV(f.cur.NewInsertElement(v, x, i32c(int64(in.Lane))))
		return true
	}
	switch in.Op {
	case w.OpV128Load:
		f.push(f.vloadAt(in, f.pop(), v128T))
	case w.OpV128Store:
		v := f.pop()
		f.vstoreAt(in, f.pop(), v)
	default:
		return false
	}
	return true
}
