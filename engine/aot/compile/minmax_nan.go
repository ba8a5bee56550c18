package compile

import (
	"github.com/llir/llvm/ir/constant"
	"github.com/llir/llvm/ir/enum"
	"github.com/llir/llvm/ir/types"
)

// nanOperand is min/max's result when x or y is a NaN (lane by lane for
// vectors; it is the integer shape of x's type): x if it is a NaN, else
// y, with the quiet bit set. The spec allows any arithmetic NaN there
// (either sign of the canonical NaN when both are canonical); this picks
// by position, as the interpreter does (interp's nanOperand), where x+y
// would leave the choice to whichever operand order LLVM's commutation
// and the x86 rule "first source operand wins" produce, and the two tiers
// then logged different payloads (fuzz module all6059). It is all
// bitwise, so nothing LLVM folds can lose the quieting. Lanes that are
// not NaN compute garbage the caller's select discards.
func (f *funcGen) nanOperand(x, y valueT, it types.Type) valueT {
	b := f.cur
	n := b.NewSelect(b.NewFCmp(enum.FPredUNO, x, x), x, y)
	var q valueT
	if vt, ok := it.(*types.VectorType); ok {
		q = splatConst(vt, quietBit(vt.ElemType))
	} else {
		q = constant.NewInt(it.(*types.IntType), int64(quietBit(it)))
	}
	return b.NewBitCast(b.NewOr(b.NewBitCast(n, it), q), x.Type())
}

// quietBit is the quiet bit of the float whose bits the integer type it
// holds (i32 for f32, i64 for f64).
func quietBit(it types.Type) uint64 {
	if t, ok := it.(*types.IntType); ok && t.BitSize == 64 {
		return 1 << 51
	}
	return 1 << 22
}
