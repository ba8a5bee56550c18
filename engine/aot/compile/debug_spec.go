package compile

import (
	"math"

	"github.com/llir/llvm/ir"
	"github.com/llir/llvm/ir/enum"
	"github.com/llir/llvm/ir/metadata"
	"github.com/llir/llvm/ir/types"

	"github.com/gcscope/gcscope/engine/wasm"
)

// Speculative fast versions of pure recursive functions in debug builds
// (docs/aot-compiler.md "Debug builds", aot-debugsplit).
//
// A debug build keeps every frame readable and writable by a debugger
// that may stop anywhere, so its recursive functions commit and reload
// their frames around calls and run a few inlined levels (recinline.go)
// where a release build runs seven. A function whose body can have no
// effect anyone sees but its result (numbers only, no memory, global,
// table, heap or helper, no loop, and no call but to itself: fib) can
// instead be run by its release translation, the fast version, and
// thrown away when a debugger turns up: the fast version's frames are
// never shown to anyone, since nothing in it lets a debugger look
// (no stop, helper or call out), and running the call again from its
// start in the debug translation reaches the same states, each with
// every frame committed as usual.
//
// The function's debug translation starts (level 0 only, after its
// entry check said the interrupt word is clear) by calling the fast
// version at its own frame top, with a pointer to an abort word in its
// native frame. The fast version is the release translation with its
// levels and probe, renamed (specSymbol), calling itself; it differs in
// three places:
//
//   - its entry returns at once when the abort word is set (so an
//     aborted run ends after at most the inlined levels' copies of the
//     body in each native frame), and where a release entry check's
//     cold path would trap or call the interrupt helper (the stack guard
//     raised: the interrupt word set, a stack nearly full) it sets the
//     abort word (specStack for a full stack, specWord otherwise) and
//     returns;
//   - a trap sets the abort word to specStack and returns zeros;
//   - nothing else: it stores owed headers into the slot stack above the
//     frame top it was given, which is free (the debug code stores what
//     it needs there before anyone reads it).
//
// Back in the debug translation, a clear abort word means the result
// stands. specWord (a breakpoint set, stepping turned on, a pause or a
// stop-the-world asked for by another thread while the fast version
// ran) reruns the call in the debug translation's own body, from its
// start, with the word loaded afresh: the request is served at its
// first stop, as if it had come before the call started (the fast
// version's progress had no effect anyone could see). specStack (a trap
// or a full stack ahead) reruns it through a real call of the function
// with the env's trap offset word, read only after a trap, set non-zero
// meanwhile: no call below speculates again, so the trap is reached
// once more in debug code, with every frame committed, and the
// re-running costs the call's work once (without the marker every
// frame of a deep recursion would speculate down to the limit again).
// The word is restored when the call returns; a trap overwrites it.

// Abort word values the fast version leaves.
const (
	specWord  = 1 // the stack guard was raised while the stacks had room
	specStack = 2 // a trap, or a stack nearly full
)

// specFunc is one function's fast version.
type specFunc struct {
	fast *ir.Func
	rec  *recFunc // its release levels, probe and back declaration
}

// specState is what a debug build keeps of the fast versions: per
// defined function, or nil; cur is the one being translated.
type specState struct {
	fns map[int]*specFunc
	cur *specFunc
}

// specSymbol names defined function i's fast version.
func specSymbol(i int) string { return funcSymbol(i) + "_fast" }

// specCloneSymbol names level l (>= 1) of the fast version: a clone name
// (isCloneSymbol), so that a level LLVM did not inline is caught.
func specCloneSymbol(i, l int) string { return specSymbol(i) + "_r" + itoa(l) }

// specNames lists defined function i's fast version and its levels
// among a module's functions, for the chunk holding the function.
func specNames(byName map[string]*ir.Func, i int) []string {
	if byName[specSymbol(i)] == nil {
		return nil
	}
	out := []string{specSymbol(i)}
	for l := 1; byName[specCloneSymbol(i, l)] != nil; l++ {
		out = append(out, specCloneSymbol(i, l))
	}
	return out
}

// specPure reports whether defined function i may run speculatively: a
// debug build gave it levels, its values are numbers, and its body has
// no effect but its result and no loop.
func (g *modGen) specPure(i int) bool {
	if g.dbg == nil || g.rec[i] == nil {
		return false
	}
	ft, err := g.funcType(uint32(g.nImpFunc + i))
	if err != nil {
		return false
	}
	def := &g.m.Funcs[i]
	for _, ts := range [][]wasm.ValType{ft.Params, ft.Results, def.Locals} {
		for _, t := range ts {
			switch t.Kind {
			case wasm.KindI32, wasm.KindI64, wasm.KindF32, wasm.KindF64:
			default:
				return false
			}
		}
	}
	self := uint32(g.nImpFunc + i)
	for _, in := range def.Body {
		if numericOp(in.Op) {
			continue
		}
		switch in.Op {
		case wasm.OpNop, wasm.OpDrop, wasm.OpSelect, wasm.OpSelectT,
			wasm.OpLocalGet, wasm.OpLocalSet, wasm.OpLocalTee,
			wasm.OpBlock, wasm.OpIf, wasm.OpElse, wasm.OpEnd,
			wasm.OpBr, wasm.OpBrIf, wasm.OpBrTable, wasm.OpReturn, wasm.OpUnreachable:
		case wasm.OpCall:
			if in.Index != self {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// declareSpec declares the fast version of every pure function with
// levels, and its release levels, after declareRec.
func (g *modGen) declareSpec() {
	if g.dbg == nil {
		return
	}
	left := recModuleBudget
	for i := range g.m.Funcs {
		if !g.specPure(i) {
			continue
		}
		self := uint32(g.nImpFunc + i)
		body := g.m.Funcs[i].Body
		n := recLevelsOf(body, self, false, min(recBudget, left))
		if n < 2 {
			continue
		}
		left -= recCopies(n, body, self, false) * len(body)
		if g.spec == nil {
			g.spec = &specState{fns: map[int]*specFunc{}}
		}
		g.spec.fns[i] = g.declareFast(i, n)
	}
}

// declareFast declares function i's fast version with n release levels.
func (g *modGen) declareFast(i, n int) *specFunc {
	fn := g.funcs[i]
	ps := append(cloneParams(fn), ir.NewParam("abortp", types.NewPointer(types.I64)))
	fast := g.mod.NewFunc(specSymbol(i), fn.Sig.RetType, ps...)
	fast.Visibility = enum.VisibilityHidden // the back declaration resolves to it (link.go)
	fast.FuncAttrs = append(fast.FuncAttrs, fn.FuncAttrs...)
	dbg := g.dbg
	g.dbg = nil // release levels' parameters (levelParams)
	defer func() { g.dbg = dbg }()
	r := &recFunc{levels: []*ir.Func{fast}, lastPC: tailSelfCall(g.m.Funcs[i].Body, uint32(g.nImpFunc+i))}
	for l := 1; l <= n; l++ { // the levels, then the probe
		c := g.mod.NewFunc(specCloneSymbol(i, l), fast.Sig.RetType, g.levelParams(fast)...)
		c.Linkage = enum.LinkageInternal
		c.FuncAttrs = append(append(c.FuncAttrs, fast.FuncAttrs...), enum.FuncAttrAlwaysInline)
		if l < n {
			r.levels = append(r.levels, c)
		} else {
			r.probe = c
		}
	}
	r.back = g.mod.NewFunc(specSymbol(i)+recSuffix, fast.Sig.RetType, cloneParams(fast)...)
	r.back.Visibility = enum.VisibilityHidden
	r.back.FuncAttrs = append(r.back.FuncAttrs, enum.FuncAttrNoUnwind)
	return &specFunc{fast: fast, rec: r}
}

// genSpec translates the fast versions as release code, after every
// function and level of the debug build.
func (g *modGen) genSpec() error {
	if g.spec == nil {
		return nil
	}
	for i := range g.m.Funcs {
		s := g.spec.fns[i]
		if s == nil {
			continue
		}
		dbg, rec := g.dbg, g.rec[i]
		g.dbg, g.rec[i], g.spec.cur = nil, s.rec, s
		err := g.genFast(i, s)
		g.dbg, g.rec[i], g.spec.cur = dbg, rec, nil
		if err != nil {
			return err
		}
	}
	return nil
}

func (g *modGen) genFast(i int, s *specFunc) error {
	r := s.rec
	for l, fn := range r.levels {
		if _, err := g.genLevel(i, fn, &recLevel{fn: r, level: l}); err != nil {
			return err
		}
	}
	_, err := g.genLevel(i, r.probe, &recLevel{fn: r, level: len(r.levels), probe: true})
	return err
}

// specConv gives the fast versions and their back declarations the
// convention of Wasm calls when their signatures fit (callconv.go).
func (g *modGen) specConv(conv map[*ir.Func]enum.CallingConv) {
	if g.spec == nil {
		return
	}
	for _, s := range g.spec.fns {
		if ghcFits(s.fast.Sig) {
			conv[s.fast], conv[s.rec.back] = enum.CallingConvGHC, enum.CallingConvGHC
		}
	}
}

// specOn reports whether this translation is a fast version.
func (f *funcGen) specOn() bool { return f.g.spec != nil && f.g.spec.cur != nil }

// sigParamCount is how many parameters the function's own signature
// gives it: env, top, the Wasm parameters and, with several results, the
// out pointer (sigParams); levels and fast versions add theirs after.
func (f *funcGen) sigParamCount() int {
	n := 2 + len(f.ft.Params)
	if len(f.ft.Results) > 1 {
		n++
	}
	return n
}

// specAbortp is the fast version's abort word pointer parameter: after
// the function's parameters and out pointer.
func (f *funcGen) specAbortp() valueT { return f.fn.Params[f.sigParamCount()] }

// specArgs appends the abort word pointer to the arguments of a fast
// version's call of itself (a level, the probe, the back declaration).
func (f *funcGen) specArgs(args []valueT) []valueT {
	if !f.specOn() {
		return args
	}
	return append(args, f.specAbortp())
}

// specReturn sets the abort word to v (at least) and returns zeros.
func (f *funcGen) specReturn(v valueT) {
	f.cur.NewStore(v, f.specAbortp())
	if t := f.fn.Sig.RetType; types.Equal(t, types.Void) {
		f.cur.NewRet(nil)
	} else {
		f.cur.NewRet(zero(t))
	}
}

// specTrap stands for a trap in a fast version: abort, rerun in debug
// code, which traps with its frames.
func (f *funcGen) specTrap() bool {
	if !f.specOn() {
		return false
	}
	// A run aborted already may trap on the values it goes on with
	// until it returns: keep the first reason.
	prev := f.cur.NewLoad(types.I64, f.specAbortp())
	f.specReturn(f.cur.NewSelect(f.cur.NewICmp(enum.IPredEQ, prev, i64c(0)), i64c(specStack), prev))
	return true
}

// specPrologue is the fast version's entry (level 0): return when the
// run is aborted; the release entry check, whose cold path aborts
// instead of trapping or calling the interrupt helper.
func (f *funcGen) specPrologue() bool {
	if !f.specOn() || f.rec == nil || f.rec.level != 0 {
		return false
	}
	b := f.cur
	abortp := f.specAbortp()
	prev := b.NewLoad(types.I64, abortp)
	sp := b.NewCall(f.g.intrinsic("llvm.read_register.i64", types.I64, types.Metadata), &metadata.Value{Value: f.g.rspName()})
	endP := b.NewGetElementPtr(types.I64, f.inTop, f.fr.words)
	end := b.NewPtrToInt(b.NewGetElementPtr(types.I64, f.inTop, f.recEntryWords()), types.I64)
	guard := b.NewLoad(types.I64, f.envWord(envStackGuard))
	guard.Volatile = true // another thread raises it
	low := b.NewICmp(enum.IPredSLT, b.NewSub(sp, guard), end)
	slow, ok := f.newBlock(), f.newBlock()
	f.coldBr(b.NewOr(low, b.NewICmp(enum.IPredNE, prev, i64c(0))), slow, ok)

	// Aborted already, or a stack full: abort (specStack for the stack).
	// Else the word set, or the guard still raised (the interrupt
	// helper, which the debug code calls, lowers it): abort with
	// specWord. Else the guard's compare is only near its limits, which
	// it covers together: go on, as a release build does after the
	// helper (aborting there would make every frame of a deep recursion
	// run down to the same depth again).
	f.cur = slow
	nsl := slow.NewLoad(types.I64, f.envWord(envNativeStackLimit))
	lim := slow.NewLoad(types.I64, f.envWord(envFrameLimit))
	full := slow.NewOr(slow.NewICmp(enum.IPredUGT, end, lim), slow.NewICmp(enum.IPredULT, sp, nsl))
	why := slow.NewSelect(full, i64c(specStack), i64c(specWord))
	why = slow.NewSelect(slow.NewICmp(enum.IPredNE, prev, i64c(0)), prev, why)
	w := slow.NewLoad(types.I64, f.envWord(envInterrupt))
	w.Volatile = true
	raised := slow.NewICmp(enum.IPredEQ, guard, i64c(math.MaxInt64))
	stop := slow.NewOr(slow.NewOr(full, slow.NewICmp(enum.IPredNE, prev, i64c(0))),
		slow.NewOr(raised, slow.NewICmp(enum.IPredNE, w, i64c(0))))
	abort := f.newBlock()
	slow.NewCondBr(stop, abort, ok)
	f.cur = abort
	f.specReturn(why)

	f.cur = ok
	f.setTop(endP)
	return true
}

// specDispatch runs, in a debug build's level 0 after its entry check,
// the fast version when the function has one and the interrupt word is
// clear, returning its result unless it aborted.
func (f *funcGen) specDispatch() {
	if f.g.spec == nil || f.specOn() || f.rec == nil || f.rec.level != 0 || f.g.noFrames {
		return
	}
	s := f.g.spec.fns[f.idx]
	if s == nil {
		return
	}
	abort := f.alloca(types.I64)
	b := f.cur
	w := b.NewLoad(types.I64, f.dbgWordVar())
	marker := b.NewLoad(types.I64, f.envWord(envTrapOffset))
	try, body := f.newBlock(), f.newBlock()
	b.NewCondBr(b.NewICmp(enum.IPredEQ, b.NewOr(w, marker), i64c(0)), try, body)

	args := append([]valueT{f.env, f.inTop}, paramValues(f.fn.Params[2:f.sigParamCount()])...)
	try.NewStore(i64c(0), abort)
	r := try.NewCall(s.fast, append(args, abort)...)
	a := try.NewLoad(types.I64, abort)
	done, failed := f.newBlock(), f.newBlock()
	try.NewCondBr(try.NewICmp(enum.IPredEQ, a, i64c(0)), done, failed)
	specRet(done, r)

	// A trap or a full stack ahead: run the call once more in debug code
	// with speculation off below it.
	again, rerun := f.newBlock(), f.newBlock()
	failed.NewCondBr(failed.NewICmp(enum.IPredEQ, a, i64c(specStack)), again, rerun)
	tp := f.envWord(envTrapOffset)
	old := again.NewLoad(types.I64, tp)
	again.NewStore(i64c(1), tp)
	r2 := again.NewCall(f.rec.fn.back, args...)
	again.NewStore(old, tp)
	specRet(again, r2)

	// The word set meanwhile: this body, from its first stop.
	f.cur = rerun
	f.dbgFreshWord()
	f.cur.NewBr(body)
	f.cur = body
}

// specRet returns r from b, or nothing for a function without one
// result.
func specRet(b *ir.Block, r *ir.InstCall) {
	if types.Equal(r.Type(), types.Void) {
		b.NewRet(nil)
		return
	}
	b.NewRet(r)
}
