package compile

import (
	"fmt"

	"github.com/llir/llvm/ir"
	"github.com/llir/llvm/ir/constant"
	"github.com/llir/llvm/ir/enum"
	"github.com/llir/llvm/ir/types"

	"github.com/gcscope/gcscope/engine/wasm"
)

// Leaf clones in debug builds (docs/aot-compiler.md "Debug builds",
// aot-debugratio). Release builds call small leaves (constructors,
// getters, linked_list's cons) and virtual methods' stubs (shapes' area)
// through alwaysinline clones (leafcall.go). A debug build's clone is
// the callee's debug translation as an inlined level (genLevel at level
// 1, as a recursive function's levels, debug_word.go): every stop,
// safepoint, stack map and trap of the callee, its frame at the caller's
// frame top with its own header, so a walk of the frames shows it as the
// callee's frame. What goes is the real call: the entry check (the
// caller's covers the clone's frame, leafExtra), the call and return,
// the caller's commit and the reload of its frame when nothing in the
// clone let a debugger look.
//
// A call site calls the clone only while its kept interrupt word is zero
// and the function itself when not (dbgLeafDispatch), as level calls do:
// a breakpoint or stepping armed before the call runs the callee through
// its own entry, and the clone starts with the word clear. Where the
// caller's frame fits an owed commit (dbgOwableFrame, debug_owed.go:
// at most dbgOwedSlots slots of numbers and references), the caller
// stores nothing before the call: it passes its header word and slot
// values to the clone, which stores them (dbgPayLeafOwed) right before
// its own first stop's slow path, helper call, trap or call, as a
// level pays its caller. Else the caller commits as at any call and
// passes nothing. Either way the clone flags through the caller's paid
// variable that it got that far: only then could a debugger have
// looked at or written the caller's frame, and only then does the
// caller read it back (dbgReloadIfPaid). The clone hands its kept word
// back (debug_handback.go). Its stops are numbered as the function's
// (dbgLeafStops), so a breakpoint set in the callee stops in its clones
// too.

// dbgLeafClone reports whether this translation is a debug build's leaf
// clone.
func (f *funcGen) dbgLeafClone() bool {
	return f.g.dbg != nil && f.rec != nil && isLeafSymbol(f.fn.Name())
}

// dbgLeafOK reports whether a debug build may call defined function ci
// through a clone: not a function whose locals or operands live in
// their slots (debugPlainFuncs: levels have neither).
func (f *funcGen) dbgLeafOK(ci int) bool {
	return f.g.dbg == nil || !f.g.dbg.plain[ci]
}

// dbgLeafCallee is the debug clone of leaf ci, declared at its first
// use: the parameters of a debug build's level (wordOut, paidOut, the
// owed commit, which a clone never pays: dbgPayOwed).
func (f *funcGen) dbgLeafCallee(ci int) *ir.Func {
	ls := f.g.leaves
	key := [2]int{ci, 0}
	if c := ls.clones[key]; c != nil {
		return c
	}
	fn := f.g.funcs[ci]
	c := f.g.mod.NewFunc(leafSymbol(ci, 0), fn.Sig.RetType, f.g.levelParams(fn)...)
	c.Linkage = enum.LinkageInternal
	c.FuncAttrs = append(append(c.FuncAttrs, fn.FuncAttrs...), enum.FuncAttrAlwaysInline)
	ls.clones[key] = c
	ls.order = append(ls.order, key)
	return c
}

// dbgLeafCall translates a direct call of leaf ci (isLeafCall) in a
// debug build, with the call's operands on the stack.
func (f *funcGen) dbgLeafCall(ci int, ft *wasm.CompositeType) {
	f.dbg.owed = nil
	var clean []bool
	if f.dbgOwableFrame() { // owed to the clone (debug_owed.go)
		f.payOwed()
		clean = f.dbgCleanSave()
		f.dbg.owed = f.dbgOwedValues()
		f.recordMap(f.dbgOwedLive())
	} else {
		f.commit()
		clean = f.dbgCleanSave()
	}
	f.owedPaid()
	args := f.popN(len(ft.Params))
	cargs := append([]valueT{f.env, f.next}, args...)
	var out valueT
	if len(ft.Results) > 1 {
		out = f.scratchSlots(slotCount(typesOf(ft.Results)))
		cargs = append(cargs, out)
	}
	r := f.dbgLeafDispatch(f.g.funcs[ci], f.dbgLeafCallee(ci), cargs)
	f.checkPending()
	f.dbgReloadIfPaid(0, clean) // debug_owed.go
	f.dbgKeepAfterCall()        // debug_handback.go
	f.pushResults(ft, r, out)
}

// dbgLeafDispatch calls clone with args when the kept word is zero, else
// fn itself (the word loaded afresh after it, and the frame flagged to
// be read back); the word the clone hands back is kept after the call.
func (f *funcGen) dbgLeafDispatch(fn, clone *ir.Func, args []valueT) valueT {
	largs := f.dbgLevelArgs(args)
	if f.dbg.owed == nil { // nothing owed: a null top (dbgPayLeafOwed)
		largs[len(args)+2] = constant.NewNull(slotPtr)
	}
	return f.dbgDispatchByWord(fn, clone, args, largs, true)
}

// dbgCaseCall calls target k of a call_ref's switch (caseCall) through
// its clone in a debug build: the call_ref committed the frame before
// its switch and reads it back after it (debugReload), loading the word
// afresh, so nothing of the clone's hand-back is kept past this case,
// and the next case starts from what was known before this one.
func (f *funcGen) dbgCaseCall(k int, cargs []valueT) valueT {
	if !f.dbgLeafOK(k) {
		return f.cur.NewCall(f.g.funcs[k], cargs...)
	}
	f.dbg.owed = nil // the call_ref committed
	valid := f.dbg.w.valid
	r := f.dbgLeafDispatch(f.g.funcs[k], f.dbgLeafCallee(k), cargs)
	f.dbg.w.valid, f.dbg.w.handedBack = valid, false
	return r
}

// dbgPayLeafOwed is a leaf clone's payment (dbgPayOwed): the caller's
// header word and slot values, as a level's, but only into the slots of
// the caller's frame, which ends where the clone's begins, and only when
// the caller owes them (a null owed top: it committed itself). A store
// it must not make goes to a scratch variable instead: once the clone is
// inlined the caller's frame size and owed top are known, so each
// address folds to one of the two, and the scratch stores go.
func (f *funcGen) dbgPayLeafOwed() {
	b := f.cur
	top := f.dbgExtra(2)
	scratch := f.alloca(types.I64)
	owes := b.NewICmp(enum.IPredNE, top, constant.NewNull(slotPtr))
	b.NewStore(f.dbgExtra(3), b.NewSelect(owes, top, scratch))
	words := b.NewAShr(b.NewSub(b.NewPtrToInt(f.inTop, types.I64), b.NewPtrToInt(top, types.I64)), i64c(3))
	for s := range dbgOwedSlots {
		in := b.NewAnd(owes, b.NewICmp(enum.IPredSLT, i64c(int64(1+s)), words))
		b.NewStore(f.dbgExtra(4+s), b.NewSelect(in, b.NewGetElementPtr(types.I64, top, i64c(int64(1+s))), scratch))
	}
	b.NewStore(constant.True, f.dbgExtra(1))
}

// dbgNoteFirstStop notes defined function i's first stop number before
// its translation.
func (g *modGen) dbgNoteFirstStop(i int) {
	if g.dbg == nil {
		return
	}
	if g.dbg.first == nil {
		g.dbg.first = map[int]int64{}
	}
	g.dbg.first[i] = g.dbg.next
}

// dbgLeafStops makes a leaf clone of defined function i number its stops
// as the function does (the break table's bytes, as a recursion level's,
// genRecClones); the function it returns, called after the clone's
// translation, checks the count and restores the module's numbering.
func (g *modGen) dbgLeafStops(i int) func() error {
	if g.dbg == nil {
		return func() error { return nil }
	}
	first, ok := g.dbg.first[i]
	next, n := g.dbg.next, len(g.dbg.stops[i])
	g.dbg.next = first
	return func() error {
		got := g.dbg.next - first
		g.dbg.next = next
		g.dbg.stops[i] = g.dbg.stops[i][:n]
		if !ok || got != int64(n) {
			return fmt.Errorf("aot: function %d: its leaf clone has %d stops, the function %d", g.nImpFunc+i, got, n)
		}
		return nil
	}
}
