package compile

import (
	"github.com/llir/llvm/ir"
	"github.com/llir/llvm/ir/enum"
	"github.com/llir/llvm/ir/types"

	"github.com/gcscope/gcscope/engine/gc"
)

// Which defined function a funcref names (docs/aot-compiler.md, "Virtual
// calls (aot-smallgc)"). call_ref's switch over the instance's functions
// needs the callee's defined index. Reading it from the funcref object
// (its store function number, minus InstFuncBase) put a fourth dependent
// load on a virtual call's path (receiver → vtable → funcref → number →
// compare): in shapes.wat's dispatchers that load was the hottest
// instruction. Instantiation gives a module's functions their funcref
// objects one after another, each gc.SmallObjectSize bytes, and the store
// keeps them for its lifetime (roots) in a heap that never moves objects;
// when the loader finds them so it puts the first one's reference in
// InstFuncRefBase, and the index is (r - base) / SmallObjectSize, with
// no load: a reference below the range gives a huge index and one past
// it an index past the functions, so only the instance's own funcrefs
// match a case (no other object can start inside the range). An
// instance whose funcrefs are not consecutive (all ones in the word)
// reads the number as before.

// funcRefSizeLog is log2(gc.SmallObjectSize), the funcref objects' stride.
const funcRefSizeLog = 4

// Compile-time check that the stride is what the shift assumes.
var _ = [1]struct{}{}[gc.SmallObjectSize-1<<funcRefSizeLog]

// funcRefDefined returns the defined-function index funcref r (non-null)
// names when it is a function of this instance, and otherwise a value
// that is no defined index (all ones, or at least the number of defined
// functions). The code after it continues in a new block.
func (f *funcGen) funcRefDefined(r valueT) valueT {
	refBase := f.instWord(InstFuncRefBase)
	fast, slow, join := f.newBlock(), f.newBlock(), f.newBlock()
	f.coldBr(f.cur.NewICmp(enum.IPredEQ, refBase, i64c(-1)), slow, fast)

	f.cur = fast
	d := fast.NewLShr(fast.NewSub(fast.NewZExt(r, types.I64), refBase), i64c(funcRefSizeLog))
	fast.NewBr(join)

	f.cur = slow
	id := f.cur.NewZExt(f.cur.NewLoad(types.I32, f.objPtr(r, i64c(gc.PayloadOffset), types.I32)), types.I64)
	base := f.instWord(InstFuncBase)
	// All ones: no direct calls (-1 matches no case).
	byID := f.cur.NewSelect(f.cur.NewICmp(enum.IPredEQ, base, i64c(-1)), i64c(-1), f.cur.NewSub(id, base))
	slowEnd := f.cur
	slowEnd.NewBr(join)

	f.cur = join
	return join.NewPhi(ir.NewIncoming(d, fast), ir.NewIncoming(byID, slowEnd))
}
