package compile

import (
	"github.com/llir/llvm/ir"
	"github.com/llir/llvm/ir/constant"
	"github.com/llir/llvm/ir/enum"
	"github.com/llir/llvm/ir/types"
)

// Bounds-check coalescing: the translation (the plan and why it is exact:
// boundsgroup_plan.go).

// planFuncBounds makes the function's plan; debug builds, which commit and
// stop at every instruction, keep one check per access (but for the
// guarded accesses of versioned loops' fast copies).
func (f *funcGen) planFuncBounds() {
	f.bp = f.g.planBounds(f.g.m.Funcs[f.idx].Body)
	if f.g.dbg != nil {
		// No groups: a group's cold path traps at a later access, whose
		// frame (locals, operands) a debug build's trap must commit.
		// Versioned loops use the addresses (debug_loops.go).
		clear(f.bp.lead)
		clear(f.bp.member)
	}
}

// groupedCheck does the bounds check of the 32-bit access at the current
// pc whose address operand is addr (zero-extended to i64), if the plan
// covers it: a group's lead checks the group's largest end, a member
// nothing. It reports false when the access must check itself.
func (f *funcGen) groupedCheck(k uint32, addr valueT) bool {
	if f.bp == nil {
		return false
	}
	pc := f.fr.pc
	if grp, ok := f.bp.member[pc]; ok {
		// The lead's check covers this access unless the lead found its
		// operand other than planned (then neither is trusted).
		return !grp.broken && f.operandIs(addr, grp.sym)
	}
	grp, ok := f.bp.lead[pc]
	if !ok || grp.mem != k {
		return false
	}
	if !f.operandIs(addr, grp.sym) {
		grp.broken = true
		return false
	}
	size := f.cur.NewLoad(types.I64, f.cachedSize(k))
	end := f.cur.NewAdd(addr, i64c(int64(grp.maxEnd)))
	replay, cont := f.newBlock(), f.newBlock()
	f.coldBr(f.cur.NewICmp(enum.IPredUGT, end, size), replay, cont)
	f.cur = replay
	f.replayChecks(grp, k, size)
	f.cur = cont
	return true
}

// replayChecks is the cold path of a failed group check: the checks of
// the run's accesses from the lead to the group's last member, each
// against the size the lead read (nothing between them can change it),
// trapping at the first that fails with that access's offset. One of
// them fails (the group's largest end is among them).
func (f *funcGen) replayChecks(grp *boundsGroup, k uint32, size valueT) {
	body := f.g.m.Funcs[f.idx].Body
	saved := f.curOff
	for _, a := range grp.replay {
		sz := size
		if a.mem != k {
			sz = f.cur.NewLoad(types.I64, f.cachedSize(a.mem))
		}
		var addr valueT
		if a.sym.kind == symConst {
			addr = i64c(int64(a.sym.c))
		} else {
			l := a.sym.local
			addr = f.cur.NewZExt(f.getLocal(l), types.I64)
		}
		end := f.cur.NewAdd(addr, i64c(int64(a.end)))
		f.curOff = f.offsetOf(body, a.pc)
		f.trapIf(f.cur.NewICmp(enum.IPredUGT, end, sz), TrapMemoryOOB)
	}
	f.curOff = saved
	f.cur.NewUnreachable()
}

// operandIs reports whether addr (the zero-extended address operand) is
// what the plan says: a load of the local or the constant. The plan
// simulates the operand stack; this keeps a mistake in that simulation
// from ever dropping a check the access needs.
func (f *funcGen) operandIs(addr valueT, s boundsSym) bool {
	z, ok := addr.(*ir.InstZExt)
	if !ok {
		return false
	}
	switch s.kind {
	case symConst:
		c, ok := z.From.(*constant.Int)
		return ok && c.X.IsInt64() && c.X.Int64() == int64(int32(s.c))
	case symLocal:
		return f.isLocalGet(z.From, s.local) // debug_slots.go
	}
	return false
}
