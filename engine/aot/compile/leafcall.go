package compile

import (
	"github.com/llir/llvm/ir"
	"github.com/llir/llvm/ir/constant"
	"github.com/llir/llvm/ir/enum"
	"github.com/llir/llvm/ir/types"

	"github.com/gcscope/gcscope/engine/wasm"
)

// Leaf calls (docs/aot-compiler.md "Native code of the small GC programs
// (aot-listspeed)"). In an optimized release build three kinds of call
// go to an alwaysinline clone of the callee instead of the callee:
//
//   - a direct call of a small leaf (at most smallFuncInstrs
//     instructions, no calls: a constructor or getter, linked_list's
//     cons);
//   - a direct call of a small stub whose only calls are call_refs
//     (isCloneableSmall: a virtual method's dispatcher, shapes' area);
//   - in a call_ref's switch of direct calls (switchCall), the call of a
//     target that is a leaf of at most leafTargetInstrs instructions
//     (shapes' methods), while the site's cloneable targets stay within
//     leafSiteBudget instructions together (caseCall).
//
// What a clone leaves out:
//
//   - The entry check. The caller's check covers the clone's frame as
//     well as its own (leafExtra; for a stub, its frame and those of its
//     targets' clones below it), and the clone runs inlined on the
//     caller's native frame (an object where LLVM left a clone as a
//     function of its own is compiled again without clones, as for
//     recursion levels: recLeftover). A clone's time is bounded but for
//     its own loops, whose headers poll the interrupt word as everywhere,
//     and a stub's callees have their own checks.
//   - At a direct call, the caller's commit: the caller passes its header
//     word and its live references (values and slot numbers) to the
//     clone, which owes them and stores them right before its own first
//     commit, helper call or trap on each path (payOwed, payOwedRefs),
//     the only places a walk of the frames can start while it runs. An
//     allocation that takes its fast path therefore stores nothing of
//     the caller's frame: linked_list's build loop stored its header and
//     the list at every cons. The stack map of the call's offset is
//     recorded as for any call; when the clone does not pay, the slots
//     simply still hold older values, which nothing reads: the next
//     walk starts at a later safepoint, whose commit writes them (a call
//     given the frame top forgets what the slots are known to hold, so
//     commit elision stores them again there, commit_elide.go). A
//     call_ref commits before its switch as before (its slow path calls
//     the helper), so a target's clone owes only the header it stores
//     again.
//
// Each clone is the callee's own translation again (genLevel with a
// recLevel of level 1 and owed references), so frame, stack maps,
// traps' offsets and backtraces are the callee's. One clone per number
// of owed references (at most leafMaxOwed; a call with more live
// references commits the rest itself).

// leafMaxOwed is the most references a caller passes to a leaf clone;
// more are committed at the call as before.
const leafMaxOwed = 4

// leafSuffix marks a leaf clone's symbol: gcs_func_N_leafK, K the owed
// references.
const leafSuffix = "_leaf"

// leafSymbol names defined function i's clone owing k references.
func leafSymbol(i, k int) string { return funcSymbol(i) + leafSuffix + itoa(k) }

// isLeafSymbol reports whether name is a leafSymbol.
func isLeafSymbol(name string) bool { return isNumberedCopy(name, leafSuffix) }

// leafState is the module's leaf clones.
type leafState struct {
	ok     []bool // defined function i is a leaf that callers may call as a clone
	calls  []bool // ... and it makes calls (call_ref: a stub)
	target []bool // a call_ref's switch may call defined function i's clone
	chunk  []int  // the chunk of each defined function (chunks)
	clones map[[2]int]*ir.Func
	order  [][2]int // clones in the order declared, for a stable translation
	// extra[i] is the words caller i's entry check covers beyond its
	// frames (the largest leaf frame it calls), patched at the end;
	// nil when i calls no leaf clone.
	extra   []*constant.Int
	callees [][]int // the leaves each caller calls
}

// declareLeaves decides, from the Wasm alone, which functions are leaves
// called through clones and which callers call them. Optimized release
// builds with frame headers only, and not in modules with tail calls
// (their functions keep tailcc) or in the retry without recursion levels
// (a clone LLVM left uninlined).
func (g *modGen) declareLeaves(opts Options) {
	if opts.OptLevel < 2 || opts.NoFrameHeaders || opts.noRecInline {
		return
	}
	for i := range g.m.Funcs {
		for _, in := range g.m.Funcs[i].Body {
			switch in.Op {
			case wasm.OpReturnCall, wasm.OpReturnCallIndirect, wasm.OpReturnCallRef:
				return
			}
		}
	}
	ls := &leafState{ok: make([]bool, len(g.m.Funcs)), clones: map[[2]int]*ir.Func{},
		extra: make([]*constant.Int, len(g.m.Funcs)), callees: make([][]int, len(g.m.Funcs))}
	any := false
	ls.calls, ls.target = make([]bool, len(g.m.Funcs)), make([]bool, len(g.m.Funcs))
	for i := range g.m.Funcs {
		body := g.m.Funcs[i].Body
		ls.ok[i] = isCloneableSmall(body, g.exn.test)
		ls.calls[i] = ls.ok[i] && !isSmallLeaf(body)
		ls.target[i] = isCloneableTarget(body)
		any = any || ls.ok[i] || ls.target[i]
	}
	if !any {
		return
	}
	ls.chunk = chunkIndex(g.m, opts)
	for i := range g.m.Funcs {
		seen := map[int]bool{}
		add := func(c int, target bool) {
			if c >= 0 && (ls.ok[c] || target) && ls.chunk[c] == ls.chunk[i] && !seen[c] {
				seen[c] = true
				ls.callees[i] = append(ls.callees[i], c)
			}
		}
		for _, in := range g.m.Funcs[i].Body {
			switch in.Op {
			case wasm.OpCall:
				add(int(in.Index)-g.nImpFunc, false)
			case wasm.OpCallRef:
				// The switch of a call_ref calls its leaf targets'
				// clones (caseCall).
				if int(in.Index) < len(g.m.Types) && g.m.Types[in.Index].Comp.Kind == wasm.CompFunc {
					ft := &g.m.Types[in.Index].Comp
					if ts := g.callTargets(in.Index, ft); len(ft.Results) <= 1 && len(ts) <= maxDirectTargets && ls.siteClones(g.m, ts) {
						for _, c := range ts {
							if ls.target[c] {
								add(c, true)
							}
						}
					}
				}
			}
		}
		if len(ls.callees[i]) > 0 {
			ls.extra[i] = constant.NewInt(types.I64, 0)
		}
	}
	g.leaves = ls
}

// leafTargetInstrs bounds the instructions of a call_ref target called
// as a clone, leafSiteBudget those of all the targets one call_ref's
// switch calls as clones: shapes' methods (a cast and two field loads)
// take 2 to 11, the eight of its method type 48 together. Every call_ref
// of the type carries them all, so a module with many sites and many
// small targets of one type would grow by sites x budget.
const (
	leafTargetInstrs = 12
	leafSiteBudget   = 64
)

// isCloneableTarget reports whether a body may be called as a clone
// from a call_ref's switch: a leaf (no call of any kind) of at most
// leafTargetInstrs instructions that neither throws nor catches.
func isCloneableTarget(body []wasm.Instr) bool {
	if len(body) > leafTargetInstrs {
		return false
	}
	for _, in := range body {
		switch in.Op {
		case wasm.OpTry, wasm.OpTryTable, wasm.OpThrow, wasm.OpThrowRef, wasm.OpRethrow, wasm.OpDelegate,
			wasm.OpCall, wasm.OpCallIndirect, wasm.OpCallRef, wasm.OpReturnCall, wasm.OpReturnCallIndirect, wasm.OpReturnCallRef:
			return false
		}
	}
	return true
}

// siteClones reports whether a call_ref whose switch has targets ts
// calls its cloneable targets' clones: when all of them together stay
// within leafSiteBudget instructions.
func (ls *leafState) siteClones(m *wasm.Module, ts []int) bool {
	n := 0
	for _, c := range ts {
		if ls.target[c] {
			n += len(m.Funcs[c].Body)
		}
	}
	return n <= leafSiteBudget
}

// isCloneableSmall reports whether a body may be called as a clone: at
// most smallFuncInstrs instructions, no exception handling or throwing
// (its unwinding stays in the function's own translation), and no calls
// but call_ref, and those only in modules without handlers (a call's
// exception test would branch to the clone's unwinding). A virtual
// method's stub (load the method from the receiver's vtable, call_ref
// it: shapes' area, perimeter and kind) is such a body: its call_ref
// commits (paying what the clone owes) and dispatches as in the
// function, and its callees check their own frames; what goes is the
// stub's own call, return and entry check. Direct calls are left out:
// a clone calling another clone would need both frames covered, and one
// calling itself has no level to call.
func isCloneableSmall(body []wasm.Instr, handlers bool) bool {
	if len(body) > smallFuncInstrs {
		return false
	}
	for _, in := range body {
		switch in.Op {
		case wasm.OpTry, wasm.OpTryTable, wasm.OpThrow, wasm.OpThrowRef, wasm.OpRethrow, wasm.OpDelegate,
			wasm.OpCall, wasm.OpCallIndirect, wasm.OpReturnCall, wasm.OpReturnCallIndirect, wasm.OpReturnCallRef:
			return false
		case wasm.OpCallRef:
			if handlers {
				return false
			}
		}
	}
	return true
}

// leafExtra is what this function's entry check covers beyond its own
// frames: the largest frame of the leaf clones it calls (patched once
// they are translated), or nil.
func (f *funcGen) leafExtra() *constant.Int {
	if f.g.leaves == nil || f.g.noFrames {
		return nil
	}
	return f.g.leaves.extra[f.idx]
}

// leafCallee is the clone of leaf ci owing k references, declared at
// its first use.
func (f *funcGen) leafCallee(ci, k int) *ir.Func { return f.leafCalleeOuter(ci, k, -1) }

// leafCalleeOuter is the clone of leaf ci owing k references, and when
// outer >= 0 its caller's own debt of a header and outer references
// after them (callref_owed.go), declared at its first use.
func (f *funcGen) leafCalleeOuter(ci, k, outer int) *ir.Func {
	ls := f.g.leaves
	key := [2]int{ci, leafCode(k, outer)}
	if c := ls.clones[key]; c != nil {
		return c
	}
	fn := f.g.funcs[ci]
	ps := owedParams(cloneParams(fn))
	for j := range k {
		ps = append(ps, ir.NewParam("owedref"+itoa(j), types.I64))
	}
	for j := range k {
		ps = append(ps, ir.NewParam("owedslot"+itoa(j), types.I64))
	}
	ps = append(ps, outerParamList(outer)...)
	if f.g.cursors {
		ps = append(ps, ir.NewParam("cursor", slotPtr)) // alloc_cursor.go
	}
	c := f.g.mod.NewFunc(leafSymbol(ci, leafCode(k, outer)), fn.Sig.RetType, ps...)
	c.Linkage = enum.LinkageInternal
	c.FuncAttrs = append(append(c.FuncAttrs, fn.FuncAttrs...), enum.FuncAttrAlwaysInline)
	ls.clones[key] = c
	ls.order = append(ls.order, key)
	return c
}

// isLeafCall reports whether a direct call of function index fi from
// here goes to a leaf clone.
func (f *funcGen) isLeafCall(fi uint32) bool {
	ci := int(fi) - f.g.nImpFunc
	ls := f.g.leaves
	return ci >= 0 && ls != nil && f.dbgLeafOK(ci) && f.top != nil && !f.probing() &&
		ls.extra[f.idx] != nil && ls.ok[ci] && ls.chunk[ci] == ls.chunk[f.idx]
}

// caseCall calls target k of a switch of direct calls (switchCall): the
// clone of a leaf when the switch is call_ref's (the call_ref committed
// the frame before the switch, so the clone owes only the header it
// stores again on its slow paths), else the function.
func (f *funcGen) caseCall(k int, args []valueT) valueT {
	ls := f.g.leaves
	cargs := append([]valueT{f.env, f.next}, args...)
	if !f.refCases || ls == nil || f.top == nil || f.probing() || ls.extra[f.idx] == nil ||
		!ls.target[k] || ls.chunk[k] != ls.chunk[f.idx] {
		var r valueT
		f.payPending(func() { r = f.cur.NewCall(f.g.funcs[k], cargs...) }) // callref_owed.go
		return r
	}
	if f.refOwe != nil {
		return f.owingCaseCall(k, cargs) // callref_owed.go
	}
	if f.g.dbg != nil {
		return f.dbgCaseCall(k, cargs) // debug_leaf.go
	}
	return f.cur.NewCall(f.leafCallee(k, 0), f.cursorArg(f.owedArgs(cargs))...)
}

// leafSite reports whether a call_ref with the given targets calls its
// cloneable targets' clones (siteClones).
func (f *funcGen) leafSite(targets []int) bool {
	return f.g.leaves != nil && f.g.leaves.siteClones(f.g.m, targets)
}

// owedRef is a reference a leaf call passes to its clone instead of
// committing it: its value (widened) and its slot.
type owedRef struct {
	val  valueT
	slot uint32
}

// leafCall translates a direct call of leaf ci (isLeafCall) with the
// call's operands still on the stack: the references live across the
// call go to the clone with the header word (up to leafMaxOwed; the rest
// are committed here), and the stack map is recorded as at any call.
func (f *funcGen) leafCall(ci int, ft *wasm.CompositeType) {
	if f.g.dbg != nil {
		f.dbgLeafCall(ci, ft) // debug_leaf.go
		return
	}
	f.payOwed() // a level's own debt is paid here, not by the leaf
	f.owedPaid()
	f.fr.skipTop = len(ft.Params)
	f.fr.owing = &[]owedRef{}
	f.storeRefs()
	owed := *f.fr.owing
	f.fr.owing, f.fr.skipTop = nil, 0
	args := f.popN(len(ft.Params))
	callee := f.leafCallee(ci, len(owed))
	cargs := append([]valueT{f.env, f.next}, args...)
	var out valueT
	if len(ft.Results) > 1 {
		out = f.scratchSlots(slotCount(typesOf(ft.Results)))
		cargs = append(cargs, out)
	}
	cargs = f.owedArgs(cargs) // the frame top among the arguments: commit elision forgets the slots
	for _, o := range owed {
		cargs = append(cargs, o.val)
	}
	for _, o := range owed {
		cargs = append(cargs, i64c(int64(1+o.slot)))
	}
	r := f.cur.NewCall(callee, f.cursorArg(cargs)...)
	f.checkPending()
	f.pushResults(ft, r, out)
}

// oweRef passes reference v of slot s to the leaf clone being called
// instead of storing it, while a leaf call collects them and there is
// room; it reports whether it did.
func (f *funcGen) oweRef(s uint32, v valueT) bool {
	if f.fr.owing == nil || len(*f.fr.owing) >= leafMaxOwed {
		return false
	}
	if !types.Equal(v.Type(), types.I64) {
		v = f.cur.NewZExt(v, types.I64)
	}
	*f.fr.owing = append(*f.fr.owing, owedRef{val: v, slot: s})
	return true
}

// payOwedRefs stores the references a leaf clone owes its caller, after
// the owed header (payOwed).
func (f *funcGen) payOwedRefs() {
	if f.rec == nil || f.rec.owedRefs == 0 {
		return
	}
	ps := f.fn.Params
	k := f.rec.owedRefs
	base := len(ps) - 2*k - f.rec.trailing()
	top := ps[base-2]
	for j := range k {
		f.cur.NewStore(ps[base+j], f.cur.NewGetElementPtr(types.I64, top, ps[base+k+j]))
	}
}

// genLeafClones translates every leaf clone the callers asked for, and
// then fixes each caller's entry check to cover the largest frame of the
// leaves it calls.
func (g *modGen) genLeafClones() error {
	ls := g.leaves
	if ls == nil {
		return nil
	}
	// A stub's clone asks for its targets' clones owing its debt
	// (callref_owed.go) while it is translated: they join the order.
	for n := 0; n < len(ls.order); n++ {
		key := ls.order[n]
		i, k, outer := key[0], key[1]%leafCodeBase, key[1]/leafCodeBase-1
		c := ls.clones[key]
		rec := &recLevel{fn: &recFunc{levels: []*ir.Func{g.funcs[i], c}, lastPC: -1}, level: 1, owedRefs: k, cursorParam: g.cursors,
			outer: outer >= 0, outerRefs: max(outer, 0)}
		restore := g.dbgLeafStops(i) // debug_leaf.go
		fi, err := g.genLevel(i, c, rec)
		if err == nil {
			err = restore()
		}
		if err != nil {
			return err
		}
		if err := sameFrame(fi, g.frames[i]); err != nil {
			return err
		}
	}
	// A leaf's clone runs on its caller's frame end; a stub's clone, and
	// below it the clones of its call_ref's leaf targets.
	words := func(c int) int64 { return int64(1 + g.frames[c].slots) }
	for i, x := range ls.extra {
		if x == nil {
			continue
		}
		w := int64(0)
		for _, c := range ls.callees[i] {
			inner := int64(0)
			if ls.calls[c] {
				for _, d := range ls.callees[c] {
					inner = max(inner, words(d))
				}
			}
			w = max(w, words(c)+inner)
		}
		x.X.SetInt64(w)
	}
	return nil
}

// leafNames lists the leaf clones of defined function i among a module's
// functions, for the chunk that holds the function (and its callers).
func leafNames(byName map[string]*ir.Func, i int) []string {
	var out []string
	for outer := -1; outer <= leafMaxOwed; outer++ {
		for k := 0; k <= leafMaxOwed; k++ {
			if byName[leafSymbol(i, leafCode(k, outer))] != nil {
				out = append(out, leafSymbol(i, leafCode(k, outer)))
			}
		}
	}
	return out
}
