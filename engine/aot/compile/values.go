package compile

import (
	"github.com/llir/llvm/ir"
	"github.com/llir/llvm/ir/constant"
	"github.com/llir/llvm/ir/types"
	"github.com/llir/llvm/ir/value"
)

type valueT = value.Value

func i32c(v int64) *constant.Int { return constant.NewInt(types.I32, v) }
func i64c(v int64) *constant.Int { return constant.NewInt(types.I64, v) }
func i1c(v bool) *constant.Int   { return constant.NewBool(v) }

// f32c and f64c build float constants from their bits, so NaN payloads
// and signed zeros survive exactly (a decimal literal would not).
func f32c(bits uint32) constant.Constant {
	return constant.NewBitCast(constant.NewInt(types.I32, int64(int32(bits))), types.Float)
}

func f64c(bits uint64) constant.Constant {
	return constant.NewBitCast(constant.NewInt(types.I64, int64(bits)), types.Double)
}

// slotAt addresses slot k of a slot array.
func slotAt(b *ir.Block, slots valueT, k int) valueT {
	return b.NewGetElementPtr(types.I64, slots, i64c(int64(k)))
}

// toSlot widens a value to its 64-bit slot form (docs/frame-layout.md):
// i32 and f32 zero-extended, i64 and f64 as their bits.
func toSlot(b *ir.Block, v valueT) valueT {
	// Types are compared with Equal, not by identity: an instruction may
	// carry its own *types.IntType (an atomic load's, for one) rather
	// than the types.I32 singleton.
	switch t := v.Type(); {
	case t.Equal(types.I32):
		return b.NewZExt(v, types.I64)
	case t.Equal(types.Float):
		return b.NewZExt(b.NewBitCast(v, types.I32), types.I64)
	case t.Equal(types.Double):
		return b.NewBitCast(v, types.I64)
	}
	return v
}

// fromSlot is toSlot's inverse.
func fromSlot(b *ir.Block, v valueT, t types.Type) valueT {
	switch {
	case t.Equal(types.I32):
		return b.NewTrunc(v, types.I32)
	case t.Equal(types.Float):
		return b.NewBitCast(b.NewTrunc(v, types.I32), types.Float)
	case t.Equal(types.Double):
		return b.NewBitCast(v, types.Double)
	}
	return v
}

// intrinsic declares (once) and returns an LLVM intrinsic.
func (g *modGen) intrinsic(name string, ret types.Type, params ...types.Type) *ir.Func {
	if f, ok := g.intr[name]; ok {
		return f
	}
	var ps []*ir.Param
	for _, p := range params {
		ps = append(ps, ir.NewParam("", p))
	}
	f := g.mod.NewFunc(name, ret, ps...)
	g.intr[name] = f
	return f
}

// suffix is the type suffix of overloaded intrinsics.
func suffix(t types.Type) string {
	switch t {
	case types.I32:
		return "i32"
	case types.I64:
		return "i64"
	case types.Float:
		return "f32"
	}
	return "f64"
}
