package compile

import (
	"slices"

	"github.com/llir/llvm/ir"
	"github.com/llir/llvm/ir/constant"
	"github.com/llir/llvm/ir/enum"
	"github.com/llir/llvm/ir/types"

	"github.com/gcscope/gcscope/engine/wasm"
)

// The interrupt word, loaded once per stretch of code that cannot let
// this thread's debugger run.
//
// A run's test and a stop's first test only pick the fast path (the
// word is zero: no stop can fire) or the slow one (some bit is set:
// look closer). The word changes under this thread's feet in two ways:
//
//   - this thread's own debugger (OnBreak at a stop, or code a callee or
//     a helper runs) sets or clears stepping, a breakpoint, a pause; that
//     can only happen inside a call or a helper call;
//   - another thread sets bits (a breakpoint, a pause, a stop-the-world)
//     at any time; the code sees them at its next load, whenever that
//     is, as long as it comes soon (no loop or call in between).
//
// So the code keeps the last loaded word in a variable (wvar, SSA after
// mem2reg) and tests that instead of loading again while no call, no
// helper (other than a trap) and no loop header lies between; a call or
// helper makes the next test load afresh. A value gone stale while it
// was non-zero only sends the code down a slow path whose stops load the
// word afresh for their own decision (debugStop), so it costs time, never
// a stop; it cannot go stale while zero, since on the zero path nothing
// of this thread's can change it. What another thread does is seen at
// the next fresh load: at most a loop-free, call-free stretch of one
// function later (before, at most one run later). LLVM, seeing the
// same value tested again on a path where it is known to be zero, drops
// the later tests (the stops at an if's arms, at a function's end).
//
// The translation tracks, at each point, whether wvar holds such a word
// on every path reaching it (wValid): block ends and if arms merge the
// paths (dbgToEnd, dbgElse, dbgAtEnd). Functions with exception handling
// (handlers entered from calls by unwinding, try_table's branches from
// them) always load afresh.

// wordState is a debug build's interrupt word tracking for one function.
type wordState struct {
	wvar   *ir.InstAlloca
	valid  bool           // wvar holds a word loaded since the last call or helper, on every path here
	reuse  int8           // 0 unknown, 1 yes, -1 no (the function handles exceptions)
	broken map[*ctrl]bool // a block end some path reaches with valid false
	atIf   map[*ctrl]bool // valid where an if branched, for its else arm

	// The locals whose slots hold their values (debug_clean.go): here,
	// where an if branched, and on every path to a block end so far.
	clean    []bool
	cleanIf  map[*ctrl][]bool
	cleanEnd map[*ctrl][]bool
	reached  map[*ctrl]bool // some path to the block end was noted

	// handedBack: the last call was a level's, which left a valid word
	// in wvar (debug_handback.go).
	handedBack bool
}

// dbgReuse reports whether this function may test a kept word.
func (f *funcGen) dbgReuse() bool {
	d := &f.dbg.w
	if d.reuse == 0 {
		d.reuse = 1
		for _, in := range f.g.m.Funcs[f.idx].Body {
			switch in.Op {
			case wasm.OpTry, wasm.OpTryTable, wasm.OpCatch, wasm.OpCatchAll, wasm.OpDelegate,
				wasm.OpThrow, wasm.OpThrowRef, wasm.OpRethrow:
				d.reuse = -1
			}
		}
	}
	return d.reuse > 0
}

// dbgWord is the interrupt word for a run's or a stop's first test: the
// kept one when valid, else a fresh volatile load (kept from then on).
// fresh reports which.
func (f *funcGen) dbgWord() (w valueT, fresh bool) {
	d := &f.dbg.w
	if d.valid && f.dbgReuse() {
		return f.cur.NewLoad(types.I64, f.dbgWordVar()), false
	}
	return f.dbgFreshWord(), true
}

// dbgFreshWord loads the word afresh and keeps it.
func (f *funcGen) dbgFreshWord() valueT {
	ld := f.cur.NewLoad(types.I64, f.envWord(envInterrupt))
	ld.Volatile = true
	f.cur.NewStore(ld, f.dbgWordVar())
	f.dbg.w.valid = true
	return ld
}

// dbgWordVar is the variable holding the kept word; it starts non-zero
// (never read before a store, but the safe side if it were).
func (f *funcGen) dbgWordVar() *ir.InstAlloca {
	d := &f.dbg.w
	if d.wvar == nil {
		d.wvar = f.alloca(types.I64)
		f.entry.NewStore(i64c(1), d.wvar)
	}
	return d.wvar
}

// dbgInvalidate: a call or a helper may have let this thread's debugger
// run, so the next test loads the word afresh, and the next commit
// stores every local (debug_clean.go).
func (f *funcGen) dbgInvalidate() { f.dbg.w.valid, f.dbg.w.clean = false, nil }

// dbgOpen notes where a block or if begins.
func (f *funcGen) dbgOpen(c *ctrl) {
	if f.g.dbg == nil {
		return
	}
	d := &f.dbg.w
	if d.atIf == nil {
		d.atIf, d.broken = map[*ctrl]bool{}, map[*ctrl]bool{}
		d.cleanIf, d.cleanEnd, d.reached = map[*ctrl][]bool{}, map[*ctrl][]bool{}, map[*ctrl]bool{}
	}
	d.atIf[c] = d.valid
	d.cleanIf[c] = slices.Clone(d.clean)
}

// dbgToEnd notes a path to c's end from the current point.
func (f *funcGen) dbgToEnd(c *ctrl) {
	if f.g.dbg != nil {
		f.dbgPathToEnd(c, f.dbg.w.valid, f.dbg.w.clean)
	}
}

// dbgIfToEnd notes the path of an if without else, from the if to its end.
func (f *funcGen) dbgIfToEnd(c *ctrl) {
	if f.g.dbg != nil {
		f.dbgPathToEnd(c, f.dbg.w.atIf[c], f.dbg.w.cleanIf[c])
	}
}

// dbgPathToEnd notes a path to c's end with the given state.
func (f *funcGen) dbgPathToEnd(c *ctrl, valid bool, clean []bool) {
	d := &f.dbg.w
	if d.broken == nil {
		d.broken, d.cleanEnd, d.reached = map[*ctrl]bool{}, map[*ctrl][]bool{}, map[*ctrl]bool{}
	}
	if !valid {
		d.broken[c] = true
	}
	if d.reached[c] {
		d.cleanEnd[c] = cleanMeet(d.cleanEnd[c], clean)
	} else {
		d.reached[c], d.cleanEnd[c] = true, slices.Clone(clean)
	}
}

// dbgElse starts an if's else arm with the state at the if.
func (f *funcGen) dbgElse(c *ctrl) {
	if f.g.dbg != nil {
		f.dbg.w.valid = f.dbg.w.atIf[c]
		f.dbg.w.clean = slices.Clone(f.dbg.w.cleanIf[c])
	}
}

// dbgAtEnd sets the state at c's end from the paths reaching it; a try's
// end is also reached from its handlers, which calls lead to.
func (f *funcGen) dbgAtEnd(c *ctrl) {
	if f.g.dbg == nil {
		return
	}
	d := &f.dbg.w
	d.valid = !d.broken[c] && c.h == nil
	d.clean = nil
	if c.h == nil {
		d.clean = d.cleanEnd[c]
	}
	delete(d.broken, c)
	delete(d.atIf, c)
	delete(d.cleanIf, c)
	delete(d.cleanEnd, c)
	delete(d.reached, c)
}

// dbgKeepWord keeps w as the word at this point of a debug build's
// prologue: 0 on the path that passed the stack guard, which every
// setter of the word raises (runtime stackguard.go), so the first stop
// needs no load of its own on a function's entry.
func (f *funcGen) dbgKeepWord(w valueT) {
	if f.g.dbg != nil {
		f.cur.NewStore(w, f.dbgWordVar())
	}
}

// dbgEntered: every path out of the prologue kept the word.
func (f *funcGen) dbgEntered() {
	if f.g.dbg != nil {
		f.dbg.w.valid = true
	}
}

// levelCall calls callee with args. In a debug build, when callee is a
// level of this function (recinline.go), the call goes there only with
// the kept word clear, and to the function itself (through its own
// entry check and first test) when it is set: so a level always starts
// with the word clear (dbgLevelEntry) and its first stops' slow paths,
// which no path reaches, drop out of the inlined code. Without it each
// level repeats a test its caller has just made, and carries slow
// copies of its code on every level.
func (f *funcGen) levelCall(callee *ir.Func, args []valueT) valueT {
	if f.g.dbg == nil || f.rec == nil || !f.isNextLevel(callee) {
		return f.cur.NewCall(callee, args...)
	}
	return f.dbgDispatchByWord(f.rec.fn.back, callee, args, f.dbgLevelArgs(args), false)
}

// dbgDispatchByWord calls inlined (a level or a leaf clone) with largs
// when the kept word is clear, else whole with args, after storing what
// this function owes (debug_owed.go) and with the word loaded afresh
// after the call; the word the inlined code hands back is kept after
// the join. The whole path marks the frame paid (to be read back) when
// it stored a debt, or always with paidAlways (a leaf's function,
// which may stop with the caller's frame in its slots).
func (f *funcGen) dbgDispatchByWord(whole, inlined *ir.Func, args, largs []valueT, paidAlways bool) valueT {
	w, _ := f.dbgWord()
	f.cur.NewStore(constant.False, f.dbgPaidVar())
	set := f.wordSet(f.cur, w)
	wb, ib, join := f.newBlock(), f.newBlock(), f.newBlock()
	f.cur.NewCondBr(set, wb, ib)
	if f.dbg.owed != nil { // the function itself owes nothing: commit here
		f.dbgStoreOwed(wb, f.dbg.owed)
	}
	if paidAlways || f.dbg.owed != nil {
		wb.NewStore(constant.True, f.dbgPaidVar())
	}
	rw := wb.NewCall(whole, args...)
	f.cur = wb
	f.dbgFreshWord() // kept after the call, as the inlined code's (debug_handback.go)
	wb.NewBr(join)
	rl := ib.NewCall(inlined, largs...)
	ib.NewBr(join)
	f.cur = join
	f.dbg.w.handedBack = true
	if types.Equal(inlined.Sig.RetType, types.Void) {
		return rl
	}
	return join.NewPhi(ir.NewIncoming(rw, wb), ir.NewIncoming(rl, ib))
}

// isNextLevel reports whether callee is the level below this one, or
// the probe below the deepest level (recprobe.go).
func (f *funcGen) isNextLevel(callee *ir.Func) bool {
	r := f.rec.fn
	if f.rec.level+1 < len(r.levels) {
		return callee == r.levels[f.rec.level+1]
	}
	return r.probe != nil && callee == r.probe
}

// dbgLevelEntry starts a level with the word clear: levelCall sends the
// calls made with it set to the function itself.
func (f *funcGen) dbgLevelEntry() {
	if f.g.dbg != nil {
		f.dbgKeepWord(i64c(0))
		f.dbgEntered()
	}
}

// wordSet tests, in block b, that the interrupt word value w is non-zero,
// marked unlikely (llvm.expect): the stops' slow paths are cold.
func (f *funcGen) wordSet(b *ir.Block, w valueT) valueT {
	expect := f.g.intrinsic("llvm.expect.i1", types.I1, types.I1, types.I1)
	return b.NewCall(expect, b.NewICmp(enum.IPredNE, w, i64c(0)), i1c(false))
}
