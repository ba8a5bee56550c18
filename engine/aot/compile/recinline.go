package compile

import (
	"fmt"
	"slices"
	"strings"

	"github.com/llir/llvm/ir"
	"github.com/llir/llvm/ir/constant"
	"github.com/llir/llvm/ir/enum"
	"github.com/llir/llvm/ir/types"

	"github.com/gcscope/gcscope/engine/wasm"
)

// Recursive inlining (docs/aot-compiler.md "Recursive inlining
// (aot-recinline)"). A small function that calls itself at two or more
// sites is translated K times: the function itself (level 0) and K-1
// internal, alwaysinline clones (levels 1..K-1). Level 0's last
// self-call site calls level 0 when it is a tail call (in release builds
// LLVM's tail recursion elimination makes it a loop, as without levels,
// tailSelfCall); every other site, and every site of a deeper level,
// calls the next level; level K-1 calls
// the function through recSymbol, a declaration the linker resolves to
// it (link.go). LLVM therefore sees no call cycle among the levels (it
// inlines nothing inside a cycle, alwaysinline or not) and inlines them
// all into level 0, bottom up.
//
// Each level is the same translation, so each keeps the frame format
// exactly: its own header at its own top (stored before its calls,
// traps and safepoints), its own GC commits and stack maps (checked
// against the function's), its debug stops (numbered as the function's),
// its traps naming the function and offset. Only the entry check
// differs: level 0's covers the frames of all K levels, and the levels
// below have none (recPrologue), which is sound because they run inlined
// on level 0's native frame: a compiled object where LLVM left a level
// as a function of its own is thrown away and the module compiled again
// without levels (recLeftover, Compile). The clones are reachable only
// from the function's own body: entry wrappers, tables and tail calls
// see the function itself.

// recSuffix marks the declaration through which the deepest level calls
// the function again (recSymbol).
const recSuffix = "_rec"

// recMaxLevels bounds the levels; recBudget bounds the Wasm instructions
// of all copies of a body (the copies of every level times the body's
// length), recModuleBudget those of all functions' copies together.
// fib (17 instructions, two sites) got 8 levels, 128 copies: over
// fib(18..30) that ran best (6 to 10 levels measured; 10 won at fib(25)
// and lost a factor 2 at fib(30), with 93 KB of code for fib alone);
// since its last site inlines too (tailSelfCall), 7 levels, 127 copies.
// The module budget was 20,000: binary_trees' make and check took 7
// levels each, some 34 KB of hot code together, more than the 32 KB
// first-level instruction cache, and ran 7% slower than with check at 6
// levels (docs/aot-compiler.md "binary_trees (aot-trees)"). A copy's hot
// code is about 8 bytes per Wasm instruction, so 4,000 instructions of
// copies keep a module's inlined levels within that cache.
// A debug build's copy is several times the code (a stop test per run,
// every value committed at each call and reloaded after it), so debug
// builds get a tenth of the budgets (fib: 3 levels, 7 copies; 5 levels
// ran about 10% faster and took seconds to compile a small module).
const (
	recMaxLevels    = 8
	recBudget       = 2400
	recModuleBudget = 4000
	recDebugShare   = 10
)

// recSymbol names the declaration that stands for defined function i
// at its clones' deepest self-calls.
func recSymbol(i int) string { return funcSymbol(i) + recSuffix }

// cloneSymbol names level l (>= 1) of defined function i.
func cloneSymbol(i, l int) string { return funcSymbol(i) + "_r" + itoa(l) }

// linkTarget is the symbol an undefined symbol resolves to: a recSymbol
// stands for its function.
func linkTarget(sym string) string { return strings.TrimSuffix(sym, recSuffix) }

// recFunc is what a self-recursive function's translation needs to know
// of its levels.
type recFunc struct {
	levels []*ir.Func // levels[0] is the function, the rest its clones
	back   *ir.Func   // the declaration the deepest level calls (recSymbol)
	lastPC int        // the last self-call site if a tail call (it calls its own level), else -1
	// probe is the clone below the deepest level (recprobe.go), or nil.
	probe *ir.Func
	// firstStop is the number of the function's first debug stop.
	firstStop int64
}

// recLevel is the level a funcGen translates, for its self-calls.
type recLevel struct {
	fn    *recFunc
	level int
	probe bool      // the probe below the levels (recprobe.go)
	wide  bool      // a probe called from other functions' loops, whose prefix may cast (probe_calls.go)
	call  *ir.Block // the probe's call of the function
	// paid says the owed header is stored on the current path, paidAt
	// what was known at each open block's start (recowed.go).
	paid   bool
	paidAt []bool
	// owedRefs is how many of the caller's references a leaf clone owes
	// after the header (leafcall.go), and cursorParam says its last
	// parameter is the caller's allocation cursor (alloc_cursor.go).
	owedRefs    int
	cursorParam bool
	// outer says a call_ref target's clone also owes its caller's own
	// debt, outerRefs references after a header (callref_owed.go).
	outer     bool
	outerRefs int
}

// recLevels decides, from the Wasm alone, how many levels each defined
// function gets (0: not inlined into itself). Only optimized release
// and debug builds with frame headers inline; modules with tail calls
// keep their functions single (tailcc functions would need tailcc
// clones). In a debug build, plain marks the functions that get none
// (debugPlainFuncs); nil marks none.
func recLevels(m *wasm.Module, opts Options, plain []bool) []int {
	if opts.OptLevel < 2 || opts.NoFrameHeaders || opts.noRecInline {
		return nil
	}
	nImp := 0
	for _, im := range m.Imports {
		if im.Kind == wasm.ExternFunc {
			nImp++
		}
	}
	for i := range m.Funcs {
		for _, in := range m.Funcs[i].Body {
			switch in.Op {
			case wasm.OpReturnCall, wasm.OpReturnCallIndirect, wasm.OpReturnCallRef:
				return nil
			}
		}
	}
	out := make([]int, len(m.Funcs))
	budget, left := recBudget, recModuleBudget
	if opts.Debug {
		budget, left = budget/recDebugShare, left/recDebugShare
	}
	for i := range m.Funcs {
		if i < len(plain) && plain[i] {
			continue // its locals or operands live in their slots: no levels (debugPlainFuncs)
		}
		out[i] = recLevelsOf(m.Funcs[i].Body, uint32(nImp+i), opts.Debug, min(budget, left))
		left -= recCopies(out[i], m.Funcs[i].Body, uint32(nImp+i), opts.Debug) * len(m.Funcs[i].Body)
	}
	return out
}

// recLevelsOf is the number of levels for one body (0 or at least 2).
// With s self-call sites, level 0 inlines s-1 copies of level 1 when its
// last site is a tail call in a release build (that site stays a call
// to itself, which LLVM makes a loop) and s copies otherwise; every
// deeper level inlines s copies of the next. The levels stop when all
// copies together would pass budget instructions.
func recLevelsOf(body []wasm.Instr, self uint32, debug bool, budget int) int {
	sites := 0
	for _, in := range body {
		switch in.Op {
		case wasm.OpCall:
			if in.Index == self {
				sites++
			}
		case wasm.OpTry, wasm.OpTryTable, wasm.OpThrow, wasm.OpThrowRef, wasm.OpRethrow, wasm.OpDelegate:
			return 0 // handlers and unwinding stay in one copy
		}
	}
	if sites < 2 {
		return 0 // one site: a tail call already loops, anything else gains little
	}
	loops := !debug && tailSelfCall(body, self) >= 0
	levels := 1
	for levels < recMaxLevels && recCopiesOf(levels+1, sites, loops)*len(body) <= budget {
		levels++
	}
	if levels < 2 {
		return 0
	}
	return levels
}

// recCopiesOf is how many copies of a body with the given self-call
// sites its levels make; loops says level 0's last site calls level 0.
func recCopiesOf(levels, sites int, loops bool) int {
	copies, per := 1, sites
	if loops {
		per = sites - 1
	}
	for l := 1; l < levels; l++ {
		copies += per
		per *= sites
	}
	return copies
}

// recCopies is how many copies of a body its levels make.
func recCopies(levels int, body []wasm.Instr, self uint32, debug bool) int {
	if levels == 0 {
		return 0
	}
	sites := 0
	for _, in := range body {
		if in.Op == wasm.OpCall && in.Index == self {
			sites++
		}
	}
	return recCopiesOf(levels, sites, !debug && tailSelfCall(body, self) >= 0)
}

// tailSelfCall is the index in body of the last call to self when it is
// a tail call (only ends, or a return, follow it: nothing uses its
// results but the function's return), else -1. Level 0 keeps such a
// site a call to itself, which LLVM's tail recursion elimination makes a
// loop. Any other last site (a struct.new of the results, an add) stays
// a real call, so level 0 inlines it as it does the others: fib's and
// binary_trees' last sites were real calls at every level-0 frame, a
// chain of them down each right spine.
func tailSelfCall(body []wasm.Instr, self uint32) int {
	last := -1
	for pc, in := range body {
		if in.Op == wasm.OpCall && in.Index == self {
			last = pc
		}
	}
	if last < 0 {
		return -1
	}
	for _, in := range body[last+1:] {
		switch in.Op {
		case wasm.OpEnd:
		case wasm.OpReturn:
			return last
		default:
			return -1
		}
	}
	return last
}

// declareRec makes the clones of every function recLevels picked, before
// any body is translated (a level's body calls the next one).
func (g *modGen) declareRec(levels []int) {
	for i, n := range levels {
		if n < 2 {
			continue
		}
		if g.rec == nil {
			g.rec = map[int]*recFunc{}
		}
		fn := g.funcs[i]
		// Not internal: the deepest level calls it through recSymbol, so
		// it must stay a symbol of its own even if LLVM inlined it into
		// every direct caller.
		fn.Linkage = enum.LinkageNone
		fn.Visibility = enum.VisibilityHidden
		r := &recFunc{levels: []*ir.Func{fn}, lastPC: tailSelfCall(g.m.Funcs[i].Body, uint32(g.nImpFunc+i))}
		for l := 1; l < n; l++ {
			c := g.mod.NewFunc(cloneSymbol(i, l), fn.Sig.RetType, g.levelParams(fn)...)
			c.Linkage = enum.LinkageInternal
			c.FuncAttrs = append(append(c.FuncAttrs, fn.FuncAttrs...), enum.FuncAttrAlwaysInline)
			r.levels = append(r.levels, c)
		}
		r.back = g.mod.NewFunc(recSymbol(i), fn.Sig.RetType, cloneParams(fn)...)
		r.back.Visibility = enum.VisibilityHidden
		r.back.FuncAttrs = append(r.back.FuncAttrs, enum.FuncAttrNoUnwind)
		g.declareProbe(i, r)
		g.rec[i] = r
	}
}

func cloneParams(fn *ir.Func) []*ir.Param {
	ps := make([]*ir.Param, len(fn.Params))
	for k, p := range fn.Params {
		name := ""
		if n := p.Name(); n == "env" || n == "top" || n == "out" { // sigParams' names; the rest are numbered
			name = n
		}
		ps[k] = ir.NewParam(name, p.Typ)
	}
	return ps
}

// genRecClones translates the clones of every function declareRec
// cloned, after all functions: each is the function's own translation
// again, so it must yield the same frame (checked) and number its debug
// stops as the function does (the break table has one byte per stop of
// the function, whichever level reaches it).
func (g *modGen) genRecClones() error {
	for i := range g.m.Funcs {
		r := g.rec[i]
		if r == nil {
			continue
		}
		for l := 1; l < len(r.levels); l++ {
			var next int64
			var nStops int
			if g.dbg != nil {
				next, nStops = g.dbg.next, len(g.dbg.stops[i])
				g.dbg.next = r.firstStop
			}
			fi, err := g.genLevel(i, r.levels[l], &recLevel{fn: r, level: l})
			if err != nil {
				return fmt.Errorf("function %d, level %d: %w", g.nImpFunc+i, l, err)
			}
			if g.dbg != nil {
				if g.dbg.next != r.firstStop+int64(nStops) {
					return fmt.Errorf("aot: function %d: level %d has %d stops, the function %d", g.nImpFunc+i, l, g.dbg.next-r.firstStop, nStops)
				}
				g.dbg.next = next
				g.dbg.stops[i] = g.dbg.stops[i][:nStops]
			}
			if err := sameFrame(fi, g.frames[i]); err != nil {
				return fmt.Errorf("aot: function %d, level %d: %w", g.nImpFunc+i, l, err)
			}
		}
		if r.probe != nil {
			// A debug build's probe numbers its stops as the function
			// does; it has fewer (the prefix's), all on dead paths,
			// since it is entered with the word clear (levelCall).
			var next int64
			var nStops int
			if g.dbg != nil {
				next, nStops = g.dbg.next, len(g.dbg.stops[i])
				g.dbg.next = r.firstStop
			}
			if err := g.genProbe(i, r); err != nil {
				return fmt.Errorf("function %d, probe: %w", g.nImpFunc+i, err)
			}
			if g.dbg != nil {
				g.dbg.next = next
				g.dbg.stops[i] = g.dbg.stops[i][:nStops]
			}
		}
	}
	return nil
}

// sameFrame checks that a level's frame is the function's: the same
// slots, and at each of its safepoints the stack map the function has
// there (a level has no entry safepoint, so it may have fewer maps).
func sameFrame(level, fn frameInfo) error {
	if level.slots != fn.slots || level.locals != fn.locals {
		return fmt.Errorf("a frame of %d slots (%d locals), the function's %d (%d)", level.slots, level.locals, fn.slots, fn.locals)
	}
	byOff := map[uint32][]uint32{}
	for _, m := range fn.maps {
		byOff[m.Offset] = m.Slots
	}
	for _, m := range level.maps {
		want, ok := byOff[m.Offset]
		if !ok || !slices.Equal(m.Slots, want) {
			return fmt.Errorf("the stack map at offset %d lists slots %v, the function's %v", m.Offset, m.Slots, want)
		}
	}
	return nil
}

// selfCallee is the function a direct call to callee (defined index ci)
// calls from this level: another level for self-calls of a function
// inlined into itself, else callee. The function's own last self-call
// site, when it is a tail call (tailSelfCall), calls the function (LLVM
// turns it into a loop, as without clones; in release builds only,
// where nothing follows the call); every other site calls the next level, and the deepest level
// calls the function through its recSymbol.
func (f *funcGen) selfCallee(ci int, callee *ir.Func) *ir.Func {
	if p := f.probeCallee(ci); p != nil {
		return p // probe_calls.go
	}
	if ci != f.idx || f.rec == nil {
		return callee
	}
	r := f.rec.fn
	if f.rec.level == 0 && f.fr.pc == r.lastPC && f.g.dbg == nil {
		return r.levels[0]
	}
	if f.rec.level+1 < len(r.levels) {
		return r.levels[f.rec.level+1]
	}
	if r.probe != nil {
		return r.probe // recprobe.go
	}
	return r.back
}

// recEntryFrames is the number of frames the entry check of this level
// covers: all the levels at level 0, whose check stands for the inlined
// levels' too (they have none, recPrologue), else one.
func (f *funcGen) recEntryFrames() int64 {
	if f.rec == nil || f.rec.level != 0 {
		return 1
	}
	return int64(len(f.rec.fn.levels))
}

// recEntryWords is the size in words of the frames the entry check
// covers (recEntryFrames).
func (f *funcGen) recEntryWords() constant.Constant {
	if k := f.recEntryFrames(); k > 1 {
		return constant.NewMul(f.fr.words, i64c(k))
	}
	return f.fr.words
}

// recPrologue is the prologue of a level below the function's own: no
// check, since level 0's covered this level's frame (recEntryFrames) and
// the levels are always inlined into level 0 (the compiled object is
// checked for leftovers, recLeftover), so they run on level 0's native
// frame; no interrupt test either: the levels are straight calls into
// one another, a bounded amount of code before the next real call's
// entry check. Nor a header store, as at level 0. It reports whether it
// made the prologue.
func (f *funcGen) recPrologue() bool {
	if f.rec == nil || f.rec.level == 0 {
		return false
	}
	f.setTop(f.cur.NewGetElementPtr(types.I64, f.inTop, f.fr.words))
	f.dbgLevelEntry() // entered with the word clear (debug_word.go)
	return true
}

// recLeftover names a level LLVM left as a function of its own (not
// inlined into level 0), or returns "": such a level has no entry check
// of its own, so the object must not be used.
func recLeftover(o *object) string {
	for name := range o.syms {
		if isCloneSymbol(name) || isLeafSymbol(name) { // leafcall.go
			return name
		}
	}
	return ""
}

// isCloneSymbol reports whether name is a cloneSymbol.
func isCloneSymbol(name string) bool { return isNumberedCopy(name, "_r") }

// isNumberedCopy reports whether name is a function symbol followed by
// sep and a decimal number: a recursion level's clone ("_r") or a leaf
// clone (leafSuffix).
func isNumberedCopy(name, sep string) bool {
	rest, ok := strings.CutPrefix(name, "gcs_func_")
	if !ok {
		return false
	}
	_, n, ok := strings.Cut(rest, sep)
	if !ok || n == "" {
		return false
	}
	for _, c := range n {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// cloneNames lists the clones of defined function i among a module's
// functions, for the chunk that holds the function.
func cloneNames(byName map[string]*ir.Func, i int) []string {
	var out []string
	for l := 1; byName[cloneSymbol(i, l)] != nil; l++ {
		out = append(out, cloneSymbol(i, l))
	}
	return out
}
