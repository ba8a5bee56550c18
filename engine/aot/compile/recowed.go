package compile

import (
	"github.com/llir/llvm/ir"
	"github.com/llir/llvm/ir/types"

	"github.com/gcscope/gcscope/engine/wasm"
)

// Owed headers (docs/aot-compiler.md "Calls (aot-callpath)"). A frame's
// header is read only by a walk of the frames (a helper, a trap, a
// collection), and a walk can start only at a safepoint or trap of this
// frame or of a frame called from it. So where a level of a function
// inlined into itself (recinline.go) calls the next level or the probe,
// it does not store its header before the call: it passes the header's
// address and word to the callee, which owes them and stores them just
// before its first commit, helper call or trap on each path (payOwed),
// or before the probe calls the function. A callee that returns from
// code with none of those (fib's n < 2, a tree walk's leaf, an
// allocation that took its fast path) never stores its caller's header.
// Along one straight path the owed store is made once: a direct call's
// commit pays it and the code after the call knows it is paid, until the
// next join (the end of a block, whose start dominates it, restores what
// was known there; so does an else).
//
// Release builds only: debug builds store every frame at every stop.

// owesHeader reports whether this translation owes its caller's header:
// a level below the function's own, or the probe, in a release build.
func (f *funcGen) owesHeader() bool {
	return f.rec != nil && f.rec.level > 0 && f.g.dbg == nil
}

// owedParams adds the owed header's address and word to a level's
// parameters (after every other one).
func owedParams(ps []*ir.Param) []*ir.Param {
	return append(ps, ir.NewParam("owedtop", slotPtr), ir.NewParam("owedword", types.I64))
}

// levelParams are the parameters of a level below the function's own
// (and of its probe): the function's, and the owed header's in release
// builds.
func (g *modGen) levelParams(fn *ir.Func) []*ir.Param {
	if g.dbg != nil {
		return dbgLevelParams(cloneParams(fn)) // debug_owed.go
	}
	return owedParams(cloneParams(fn))
}

// payOwed stores the owed header, unless this path already did.
func (f *funcGen) payOwed() {
	if f.dbgOwes() && !f.rec.paid {
		f.dbgPayOwed() // debug_owed.go
	}
	if !f.owesHeader() || f.rec.paid {
		return
	}
	ps := f.fn.Params
	n := len(ps) - 2*f.rec.owedRefs - f.rec.trailing() // a leaf clone's owed references follow (leafcall.go)
	f.cur.NewStore(ps[n-1], ps[n-2])
	f.payOwedRefs()
	f.payOuter() // callref_owed.go
}

// owedPaid records that the owed header is stored on the current path
// from here on (after a direct call's commit, in the call's block).
func (f *funcGen) owedPaid() {
	if f.owesHeader() || f.dbgOwes() {
		f.rec.paid = true
	}
}

// owedStep keeps what is known about the owed header across Wasm
// control: saved at a block's start, restored at its else and end.
func (f *funcGen) owedStep(op wasm.Opcode) {
	if !f.owesHeader() && !f.dbgOwes() {
		return
	}
	r := f.rec
	switch op {
	case wasm.OpBlock, wasm.OpLoop, wasm.OpIf:
		r.paidAt = append(r.paidAt, r.paid)
	case wasm.OpElse:
		if n := len(r.paidAt); n > 0 {
			r.paid = r.paidAt[n-1]
		}
	case wasm.OpEnd:
		if n := len(r.paidAt); n > 0 {
			r.paid = r.paidAt[n-1]
			r.paidAt = r.paidAt[:n-1]
		}
	}
}

// passesOwed reports whether a direct call of defined function ci from
// here calls a level or the probe, which then owe this frame's header.
func (f *funcGen) passesOwed(ci int) bool {
	if f.probeCallee(ci) != nil {
		return true // a loop's call of a recursive function's probe (probe_calls.go)
	}
	if f.rec == nil || ci != f.idx || f.g.dbg != nil {
		return false
	}
	r := f.rec.fn
	c := f.selfCallee(ci, r.levels[0])
	return c != r.levels[0] && c != r.back
}

// owedArgs appends this frame's header address and word, owed by the
// callee, to a call's arguments.
func (f *funcGen) owedArgs(args []valueT) []valueT {
	return append(args, f.top, f.frameWord(f.curOff))
}
