package compile

import (
	"github.com/llir/llvm/ir/constant"
	"github.com/llir/llvm/ir/types"
)

// A v128 value is an LLVM <2 x i64> everywhere a value rests: on the
// compile-time operand stack, in locals, block allocas and slots. Each
// instruction bitcasts its operands to its lane shape and its result back
// (bitcasts are free; opt folds the chains), so the stack never has to
// know which shape produced a value.
var (
	v128T = types.NewVector(2, types.I64)
	i8x16 = types.NewVector(16, types.I8)
	i16x8 = types.NewVector(8, types.I16)
	i32x4 = types.NewVector(4, types.I32)
	i64x2 = v128T
	f32x4 = types.NewVector(4, types.Float)
	f64x2 = types.NewVector(2, types.Double)
)

// isV128 reports whether t is the canonical v128 type.
func isV128(t types.Type) bool { return t == v128T }

// as bitcasts a vector to shape t (constants stay constants, so the NaN
// quieting of constant operands can still see them).
func (f *funcGen) as(v valueT, t *types.VectorType) valueT {
	if v.Type() == t {
		return v
	}
	if c, ok := v.(constant.Constant); ok {
		return constant.NewBitCast(c, t)
	}
	return f.cur.NewBitCast(v, t)
}

// popAs pops a v128 and views it as shape t.
func (f *funcGen) popAs(t *types.VectorType) valueT { return f.as(f.pop(), t) }

// pushV pushes a vector of any shape as the canonical v128.
func (f *funcGen) pushV(v valueT) { f.push(f.as(v, v128T)) }

// vsuffix is the overloaded-intrinsic suffix of a vector type (v4f32).
func vsuffix(t *types.VectorType) string {
	return "v" + itoa(int(t.Len)) + suffixAny(t.ElemType)
}

func suffixAny(t types.Type) string {
	switch t {
	case types.I8:
		return "i8"
	case types.I16:
		return "i16"
	}
	return suffix(t)
}

// vcall calls the overloaded intrinsic name.<suffix of t> returning t.
func (f *funcGen) vcall(name string, t *types.VectorType, args ...valueT) valueT {
	ps := make([]types.Type, len(args))
	for k, a := range args {
		ps[k] = a.Type()
	}
	return f.cur.NewCall(f.g.intrinsic(name+"."+vsuffix(t), t, ps...), args...)
}

// laneConst is a constant scalar of a lane type from its bits.
func laneConst(t types.Type, bits uint64) constant.Constant {
	switch t {
	case types.Float:
		return f32c(uint32(bits))
	case types.Double:
		return f64c(bits)
	}
	return constant.NewInt(t.(*types.IntType), int64(bits))
}

// splatConst is a vector of t with every lane the given bits.
func splatConst(t *types.VectorType, bits uint64) constant.Constant {
	es := make([]constant.Constant, t.Len)
	for k := range es {
		es[k] = laneConst(t.ElemType, bits)
	}
	return constant.NewVector(t, es...)
}

// zeroV is the all-zero vector of shape t.
func zeroV(t *types.VectorType) constant.Constant { return constant.NewZeroInitializer(t) }

// mask is a shufflevector mask selecting the given lanes.
func mask(lanes ...int) constant.Constant {
	es := make([]constant.Constant, len(lanes))
	for k, l := range lanes {
		es[k] = constant.NewInt(types.I32, int64(l))
	}
	return constant.NewVector(types.NewVector(uint64(len(lanes)), types.I32), es...)
}

// lanesFrom lists n lanes from start by step (shuffle masks).
func lanesFrom(start, n, step int) []int {
	ls := make([]int, n)
	for k := range ls {
		ls[k] = start + k*step
	}
	return ls
}

// splat makes a vector of shape t with every lane x (of t's lane type).
func (f *funcGen) splat(x valueT, t *types.VectorType) valueT {
	if c, ok := x.(constant.Constant); ok {
		es := make([]constant.Constant, t.Len)
		for k := range es {
			es[k] = c
		}
		return constant.NewVector(t, es...)
	}
	one := f.cur.NewInsertElement(constant.NewUndef(t), x, i32c(0))
	return f.cur.NewShuffleVector(one, constant.NewUndef(t), zeroV(types.NewVector(t.Len, types.I32)))
}

// widen is the shape with lanes twice as wide and the same lane count
// (for extending n lanes of t).
func widen(t *types.VectorType, n int) *types.VectorType {
	switch t.ElemType {
	case types.I8:
		return types.NewVector(uint64(n), types.I16)
	case types.I16:
		return types.NewVector(uint64(n), types.I32)
	}
	return types.NewVector(uint64(n), types.I64)
}

// v128Const is a v128.const's value.
func v128Const(b [16]byte) constant.Constant {
	var lo, hi uint64
	for k := 7; k >= 0; k-- {
		lo = lo<<8 | uint64(b[k])
		hi = hi<<8 | uint64(b[k+8])
	}
	return constant.NewVector(v128T, i64c(int64(lo)), i64c(int64(hi)))
}

// constIntN is an integer constant of any width (v sign-extended).
func constIntN(t *types.IntType, v int64) constant.Constant { return constant.NewInt(t, v) }
