package compile

import (
	"github.com/llir/llvm/ir"
	"github.com/llir/llvm/ir/constant"
	"github.com/llir/llvm/ir/types"
)

// A debug build's inlined levels hand their kept interrupt word back to
// the caller (docs/aot-compiler.md "Debug builds", aot-debugcalls).
//
// After a call the caller must load the word afresh: the callee may have
// let this thread's debugger run (stepping turned on, a breakpoint set
// or a `finish` asked for). A level, though, is inlined code whose own
// kept word already obeys the same rule: at its return it holds a word
// loaded since the level's last call or helper, or the level's entry
// word (zero, levelCall) when no call or helper lies on the path. So
// the level stores that word through one more parameter (wordOut, the
// first after the function's own in a debug build's levels and probe,
// debug_owed.go), the caller keeps it as its own, and the fresh load
// after the call goes: on a path where the
// level made no real call (a leaf, the probe answering itself) LLVM
// sees the constant zero and drops the caller's next test too. The
// path through the function itself (the word set when the call was
// made) keeps the fresh load.

// dbgHandsBack reports whether this translation is a debug build's
// level below the function (or its probe), with a wordOut parameter.
func (f *funcGen) dbgHandsBack() bool {
	return f.g.dbg != nil && f.rec != nil && f.rec.level > 0
}

// dbgWordOut is the level's wordOut parameter.
func (f *funcGen) dbgWordOut() valueT { return f.dbgExtra(0) }

// dbgHandBack stores, before a level returns from the current block,
// the word the caller keeps: the kept one when valid, else a fresh load.
func (f *funcGen) dbgHandBack() {
	if !f.dbgHandsBack() {
		return
	}
	f.cur.NewStore(f.dbgWordNow(), f.dbgWordOut())
}

// dbgHandBackFresh stores at the end of b, a block that returns after
// a call (the probe's call of the function, the return of a pending
// exception), a freshly loaded word for the caller to keep.
func (f *funcGen) dbgHandBackFresh(b *ir.Block) {
	if !f.dbgHandsBack() {
		return
	}
	saved, valid := f.cur, f.dbg.w.valid
	f.cur = b
	ld := b.NewLoad(types.I64, f.envWord(envInterrupt))
	ld.Volatile = true
	b.NewStore(ld, f.dbgWordOut())
	f.cur, f.dbg.w.valid = saved, valid
}

// dbgWordNow is the kept word when valid, else a fresh load (kept).
func (f *funcGen) dbgWordNow() valueT {
	if f.dbg.w.valid && f.dbgReuse() {
		return f.cur.NewLoad(types.I64, f.dbgWordVar())
	}
	return f.dbgFreshWord()
}

// dbgLevelArgs appends a debug build's level arguments: the caller's
// variables for the word handed back and the paid flag, its top and the
// commit it owes (debug_owed.go; undef where it committed itself).
func (f *funcGen) dbgLevelArgs(args []valueT) []valueT {
	args = append(args, f.dbgWordVar(), f.dbgPaidVar(), f.top)
	owed := f.dbg.owed
	if owed == nil {
		owed = make([]valueT, 1+dbgOwedSlots)
		for k := range owed {
			owed[k] = constant.NewUndef(types.I64)
		}
	}
	return append(args, owed...)
}

// dbgKeepAfterCall: the word a level call left in the kept variable
// (handed back, or loaded afresh after the call of the function itself)
// is valid after the call's reload.
func (f *funcGen) dbgKeepAfterCall() {
	if f.g.dbg != nil && f.dbg.w.handedBack {
		f.dbg.w.valid, f.dbg.w.handedBack = f.dbgReuse(), false
	}
}
