package compile

import (
	"github.com/llir/llvm/ir"
	"github.com/llir/llvm/ir/constant"
	"github.com/llir/llvm/ir/types"
)

// Owed commits in debug builds (docs/aot-compiler.md "Debug builds",
// aot-debugcalls): release builds' owed headers (recowed.go) extended to
// the whole frame. A debug build commits a frame (header, changed
// locals, every operand) before each call so that the debugger, stopped
// deeper, reads it. But only a stop, a helper, a trap or a real call of
// the callee (or deeper) can let the debugger look; so where a level of
// a function inlined into itself calls the next level or the probe, it
// passes the values of its commit to the callee instead of storing them,
// and the callee stores them (payOwed) just before its own first commit,
// helper call, trap or call, or before the probe calls the function. A
// leaf (fib's n < 2) returns without storing its caller's frame: in
// fib, half of the commits.
//
// The callee tells the caller whether it paid through a flag in the
// caller's variable (paidOut); the caller reloads its frame from the
// slots after the call only then: a callee that did not pay ran no
// stop, helper or call, so no debugger wrote the frame, and the slots
// are stale. Only frames within dbgOwedSlots slots fit, numbers and
// references (no vectors, dbgOwableFrame); other call sites commit as
// before and pass nothing (undef values, whose stores LLVM drops; a
// payment stores only within the function's frame). Leaf clones
// (debug_leaf.go) are owed their callers' commits too.

// dbgOwedSlots is how many slot values a level's caller can owe.
const dbgOwedSlots = 8

// dbgLevelExtras is the number of parameters a debug build's level has
// after the function's: wordOut (debug_handback.go), paidOut, the owed
// top and header word, and dbgOwedSlots slot values.
const dbgLevelExtras = 4 + dbgOwedSlots

// dbgLevelParams adds a debug build's level parameters.
func dbgLevelParams(ps []*ir.Param) []*ir.Param {
	ps = append(ps, ir.NewParam("wordout", types.NewPointer(types.I64)),
		ir.NewParam("paidout", types.NewPointer(types.I1)),
		ir.NewParam("owedtop", slotPtr), ir.NewParam("owedword", types.I64))
	for range dbgOwedSlots {
		ps = append(ps, ir.NewParam("", types.I64))
	}
	return ps
}

// dbgExtra is a debug build's level parameter k (0: wordOut).
func (f *funcGen) dbgExtra(k int) valueT {
	return f.fn.Params[len(f.fn.Params)-dbgLevelExtras+k]
}

// dbgOwes reports whether this is a debug build's level below the
// function (or its probe), which may owe its caller's commit.
func (f *funcGen) dbgOwes() bool { return f.dbgHandsBack() }

// dbgPayOwed stores the owed commit in the current block and flags it
// paid for the caller.
func (f *funcGen) dbgPayOwed() {
	b := f.cur
	if f.dbgLeafClone() {
		f.dbgPayLeafOwed() // debug_leaf.go
		return
	}
	top := f.dbgExtra(2)
	b.NewStore(f.dbgExtra(3), top)
	// Within the function's frame (translated before its levels), so an
	// undef that LLVM did not drop cannot reach the callee's frame.
	for s := range min(dbgOwedSlots, int(f.g.frames[f.idx].slots)) {
		b.NewStore(f.dbgExtra(4+s), b.NewGetElementPtr(types.I64, top, i64c(int64(1+s))))
	}
	b.NewStore(constant.True, f.dbgExtra(1))
}

// dbgLazySite reports whether a call to the next level from here may
// leave its commit owed: a debug build's level call whose frame (the
// locals and every operand) fits dbgOwedSlots slots (dbgOwableFrame).
func (f *funcGen) dbgLazySite(callee *ir.Func) bool {
	if f.g.dbg == nil || f.rec == nil || f.top == nil || !f.isNextLevel(callee) {
		return false
	}
	return f.dbgOwableFrame()
}

// dbgOwableFrame reports whether this frame's commit can be owed: the
// locals and every operand are numbers or references (no vectors) within
// dbgOwedSlots slots, the locals in variables, and no exception handling
// (the kept word, and legacy catches' hidden slots). References are owed
// as numbers are (since aot-debugratio): a payment comes before any
// helper, so before any collection, and the call's stack map lists their
// slots (dbgOwedLive).
func (f *funcGen) dbgOwableFrame() bool {
	if f.top == nil || !f.dbgReuse() || f.localsInSlots() || f.operandsInSlots() || f.exn.rethrow {
		return false
	}
	n := f.fr.slots.NumLocals()
	for _, t := range f.ltypes {
		if isV128(t) {
			return false
		}
	}
	for _, v := range f.stack {
		if isV128(v.Type()) {
			return false
		}
		n++
	}
	return n <= dbgOwedSlots
}

// dbgOwedLive lists the slots of the references an owed commit holds,
// for the call's stack map: what storeAll would list.
func (f *funcGen) dbgOwedLive() []uint32 {
	var live []uint32
	for i := range f.locals {
		if f.fr.lwasm[i].IsRef() {
			live = append(live, f.fr.slots.Local(uint32(i)))
		}
	}
	below := uint32(0)
	for _, v := range f.stack {
		if f.isRef(v) {
			live = append(live, f.fr.slots.Operand(below))
		}
		below += uint32(slotWidth(v.Type()))
	}
	return live
}

// dbgOwedValues is the commit a lazy site owes its callee: the header
// word and each slot's value (undef above the operands).
func (f *funcGen) dbgOwedValues() []valueT {
	out := []valueT{f.frameWord(f.curOff)}
	vals := make([]valueT, dbgOwedSlots)
	for i := range f.locals { // clean ones too: a slot the debugger reads is never undef
		vals[f.fr.slots.Local(uint32(i))] = toSlot(f.cur, f.getLocal(uint32(i)))
	}
	below := uint32(0)
	for _, v := range f.stack {
		vals[f.fr.slots.Operand(below)] = toSlot(f.cur, v)
		below++
	}
	for _, v := range vals {
		if v == nil {
			v = constant.NewUndef(types.I64)
		}
		out = append(out, v)
	}
	return out
}

// dbgStoreOwed stores a lazy site's commit (its own frame) in block b:
// the path that calls the function itself rather than the level.
func (f *funcGen) dbgStoreOwed(b *ir.Block, owed []valueT) {
	b.NewStore(owed[0], f.top)
	for s, v := range owed[1:] {
		if _, undef := v.(*constant.Undef); !undef {
			b.NewStore(v, b.NewGetElementPtr(types.I64, f.top, i64c(int64(1+s))))
		}
	}
}

// dbgPaidVar is the variable a level callee flags its payment in.
func (f *funcGen) dbgPaidVar() *ir.InstAlloca {
	if f.dbg.paid == nil {
		f.dbg.paid = f.alloca(types.I1)
	}
	return f.dbg.paid
}

// dbgReloadIfPaid reads the frame back after a lazy site's call, only
// when the callee paid the commit (else nothing wrote the slots, which
// may be stale): locals into their variables, the operands below the
// call's results through phis. The locals clean before the call stay
// so on both paths.
func (f *funcGen) dbgReloadIfPaid(results int, clean []bool) {
	f.dbgInvalidate()
	f.dbg.owed = nil
	if f.dead {
		return
	}
	paid := f.cur.NewLoad(types.I1, f.dbgPaidVar())
	from := f.cur
	reload, join := f.newBlock(), f.newBlock()
	f.cur.NewCondBr(paid, reload, join)
	f.cur = reload
	for i := range f.locals {
		f.reloadLocal(i, true) // debug_slots.go
	}
	below := uint32(0)
	nv := make([]valueT, len(f.stack))
	for i, v := range f.stack[:len(f.stack)-results] {
		if i >= f.blockBase() {
			nv[i] = f.reloadSlot(f.fr.slots.Operand(below), v.Type())
		}
		below += uint32(slotWidth(v.Type()))
	}
	f.cur.NewBr(join)
	f.cur = join
	for i, v := range nv {
		if v != nil {
			phi := join.NewPhi(ir.NewIncoming(f.stack[i], from), ir.NewIncoming(v, reload))
			if f.isRef(f.stack[i]) {
				f.fr.refs[phi] = true
			}
			f.stack[i] = phi
		}
	}
	f.dbgCleanRestore(clean)
}

// dbgLazyCommit decides at a direct call of function index whether the
// call leaves its commit owed to the level it calls; then it pays this
// level's own owed commit (the call is where the frames above this one
// must be stored, as at any call), records the call's stack map and
// keeps the values for the call (dbg.owed), and returns the locals clean
// before the call.
func (f *funcGen) dbgLazyCommit(index uint32) (bool, []bool) {
	if f.g.dbg == nil {
		return false, nil
	}
	f.dbg.owed = nil
	ci := int(index) - f.g.nImpFunc
	if ci < 0 || !f.dbgLazySite(f.selfCallee(ci, f.g.funcs[ci])) {
		return false, nil
	}
	f.payOwed()
	clean := f.dbgCleanSave()
	f.dbg.owed = f.dbgOwedValues()
	f.recordMap(f.dbgOwedLive())
	return true, clean
}
