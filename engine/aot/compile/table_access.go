package compile

import (
	"github.com/llir/llvm/ir/enum"
	"github.com/llir/llvm/ir/types"

	w "github.com/gcscope/gcscope/engine/wasm"
)

// OpTableGetPure and OpTableSetPure are the pseudo-opcodes of table.get
// and table.set of table imm: slots[0] is the index (zero-extended),
// slots[1] table.set's value. The helper returns table.get's element
// (a u32) or 0 for table.set, and -1 when the index is out of bounds; the
// code then traps itself at the instruction's offset. The op helper serves
// them without materializing frames (they neither collect, call out nor
// trap), so they are not safepoints: no commit, no stack map. Tables are
// Go slices that a grow may move and other instances may share, so the
// code cannot read them itself; this keeps table.get (microhs programs
// fetch every function of their graph with one) from storing the whole
// operand stack each time.
const (
	OpTableGetPure = 0xfbf010
	OpTableSetPure = 0xfbf011
)

// tableAccess translates table.get and table.set through the pure op
// helper; it reports whether in was one of them.
func (f *funcGen) tableAccess(in *w.Instr) bool {
	var op int64
	var args []valueT
	switch in.Op {
	case w.OpTableGet:
		op = OpTableGetPure
		args = f.popN(1)
	case w.OpTableSet:
		op = OpTableSetPure
		args = f.popN(2)
	default:
		return false
	}
	slots := f.spill(args, 2)
	h := f.helper(HelperOp, types.I64, envPtr, types.I64, types.I64, slotPtr)
	r := f.cur.NewCall(h, f.env, i64c(op), i64c(int64(in.Index)), slots)
	f.trapIf(f.cur.NewICmp(enum.IPredSLT, r, i64c(0)), TrapTableOOB)
	if in.Op == w.OpTableGet {
		f.pushRef(f.cur.NewTrunc(r, types.I32))
	}
	return true
}
