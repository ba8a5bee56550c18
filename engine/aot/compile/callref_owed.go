package compile

import (
	"github.com/llir/llvm/ir"
	"github.com/llir/llvm/ir/types"

	w "github.com/gcscope/gcscope/engine/wasm"
)

// Owed call_ref commits (docs/aot-compiler.md "Virtual calls without
// frame stores (aot-vcall)"). A call_ref committed its frame before its
// switch: the header, every live reference and its own operands (the
// helper on its slow path reads them), and, in a stub's clone (shapes'
// area), first the caller's header and references the clone owed. On
// shapes.wat that was six or seven stores per virtual call, while the
// methods the switch calls as clones (caseCall) almost never reach a
// place where a walk of the frames starts. So where the switch calls
// clones, the call_ref records what the commit would store (oweCommit:
// the header word, the references, up to leafMaxOwed of them, the rest
// stored as before, and the stack map as before) and stores nothing
// itself: each path of the switch settles it. The slow path and the
// cases that call a function commit first (payPending); a case calling
// a clone passes the commit to the clone (owingCaseCall), which owes it
// as a leaf call's clone owes its caller's (payOwed stores it before the
// clone's first commit, helper call or trap), and when the call_ref's
// own level still owed its caller's debt, that debt too (the outer
// debt: a header and up to leafMaxOwed references, payOuter). A walk
// of the frames that starts inside the method therefore finds the
// method's caller (the stub) and its caller (main) committed exactly as
// before; one that starts later starts at a later safepoint, whose
// commit writes them. Commit elision sees the clone call take the frame
// top and forgets the slots there, as at a leaf call.

// leafCodeBase separates the two counts in a clone's number: k owed
// references and, when outer >= 0, outer references of the outer debt
// (k + leafCodeBase*(outer+1); leafMaxOwed < leafCodeBase).
const leafCodeBase = 10

// leafCode numbers the clone owing k references and the outer debt of
// outer references (-1: no outer debt).
func leafCode(k, outer int) int { return k + leafCodeBase*(outer+1) }

// outerParamList is the outer debt's parameters: the caller's caller's
// header address and word, then outer references and their slots.
func outerParamList(outer int) []*ir.Param {
	if outer < 0 {
		return nil
	}
	ps := []*ir.Param{ir.NewParam("outertop", slotPtr), ir.NewParam("outerword", types.I64)}
	for j := range outer {
		ps = append(ps, ir.NewParam("outerref"+itoa(j), types.I64))
	}
	for j := range outer {
		ps = append(ps, ir.NewParam("outerslot"+itoa(j), types.I64))
	}
	return ps
}

// outerParams is how many parameters the outer debt takes.
func (r *recLevel) outerParams() int {
	if !r.outer {
		return 0
	}
	return 2 + 2*r.outerRefs
}

// pendingCommit is the commit a call_ref leaves to its switch's paths.
type pendingCommit struct {
	word  valueT    // the frame header word
	refs  []owedRef // the references not stored
	outer bool      // this level's own debt was unpaid, and is passed on
}

// owesCallRef reports whether call_ref in leaves its commit to its
// switch's paths: when its switch is translated with clones of leaf
// targets (callRefDirect, caseCall), and the funcref is known non-null
// (a null check's trap would have to pay the pending commit).
func (f *funcGen) owesCallRef(in *w.Instr) bool {
	ls := f.g.leaves
	if ls == nil || f.g.dbg != nil || f.top == nil || f.probing() || ls.extra[f.idx] == nil ||
		!f.operandNonNull() || (f.rec != nil && f.rec.outer) {
		return false
	}
	if int(in.Index) >= len(f.g.m.Types) || f.g.m.Types[in.Index].Comp.Kind != w.CompFunc {
		return false
	}
	ft := &f.g.m.Types[in.Index].Comp
	if len(ft.Results) > 1 {
		return false
	}
	targets := f.g.callTargets(in.Index, ft)
	if len(targets) == 0 || len(targets) > maxDirectTargets || !ls.siteClones(f.g.m, targets) {
		return false
	}
	for _, k := range targets {
		if ls.target[k] && ls.chunk[k] == ls.chunk[f.idx] {
			return true
		}
	}
	return false
}

// oweCommit records the call_ref's commit in f.refOwe instead of
// storing it: the header word, the references (beyond leafMaxOwed they
// are stored here), and whether this level's own debt is still unpaid.
// The stack map is recorded as by any commit.
func (f *funcGen) oweCommit() {
	p := f.refOwe
	p.word = f.frameWord(f.curOff)
	p.outer = f.owesHeader() && !f.rec.paid
	f.fr.owing = &[]owedRef{}
	f.storeRefs()
	p.refs = *f.fr.owing
	f.fr.owing = nil
}

// payPending stores the pending commit, if any, on the current path and
// then emits call (a helper call, or a call of a function that is no
// clone), with the commit known paid while it is emitted.
func (f *funcGen) payPending(call func()) {
	p := f.refOwe
	if p == nil {
		call()
		return
	}
	if p.outer {
		f.payOwed()
	}
	f.cur.NewStore(p.word, f.top)
	for _, o := range p.refs {
		f.storeSlotValue(o.slot, o.val, o.val, nil)
	}
	f.refOwe = nil
	if p.outer {
		f.rec.paid = true
	}
	call()
	if p.outer {
		f.rec.paid = false // other paths of the switch did not pay it
	}
	f.refOwe = p
}

// owingCaseCall calls target k's clone owing the pending commit (and the
// outer debt), with cargs the call's environment, frame and arguments.
func (f *funcGen) owingCaseCall(k int, cargs []valueT) valueT {
	p := f.refOwe
	outer := -1
	if p.outer {
		outer = f.rec.owedRefs
	}
	callee := f.leafCalleeOuter(k, len(p.refs), outer)
	cargs = append(cargs, f.top, p.word)
	for _, o := range p.refs {
		cargs = append(cargs, o.val)
	}
	for _, o := range p.refs {
		cargs = append(cargs, i64c(int64(1+o.slot)))
	}
	if p.outer {
		// This level's owed parameters: header address and word, then
		// references and slots, in the order the clone takes them.
		ps := f.fn.Params
		n := len(ps) - 2*f.rec.owedRefs - f.rec.trailing()
		for _, q := range ps[n-2 : n+2*f.rec.owedRefs] {
			cargs = append(cargs, q)
		}
	}
	return f.cur.NewCall(callee, f.cursorArg(cargs)...)
}

// payOuter stores the outer debt a call_ref target's clone owes, after
// its own (payOwed).
func (f *funcGen) payOuter() {
	if f.rec == nil || !f.rec.outer {
		return
	}
	ps := f.fn.Params
	base := len(ps) - f.rec.trailing()
	top := ps[base]
	f.cur.NewStore(ps[base+1], top)
	k := f.rec.outerRefs
	for j := range k {
		f.cur.NewStore(ps[base+2+j], f.cur.NewGetElementPtr(types.I64, top, ps[base+2+k+j]))
	}
}
