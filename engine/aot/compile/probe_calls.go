package compile

import (
	"fmt"

	"github.com/llir/llvm/ir"
	"github.com/llir/llvm/ir/enum"
	"github.com/llir/llvm/ir/types"

	"github.com/gcscope/gcscope/engine/wasm"
)

// Probe calls from other functions (docs/aot-compiler.md "A recursive
// dispatcher called in a loop (aot-i31)"). A function inlined into
// itself (recinline.go) has a probe: an alwaysinline clone that runs the
// body's pure prefix and calls the function only where the body would do
// something observable (recprobe.go). Its levels' deepest sites call it;
// so, since aot-i31, does a direct call of the function from another
// function's loop (i31_mix's main calling the recursive $value for each
// element of an array): where the prefix answers by itself (an i31, a
// boxed number, null) there is no call at all, and otherwise the probe
// calls the function at the same top with the same arguments, the call
// the site made before. The recursion's tiling is unchanged (the probe
// is the same Wasm call, not one more level on top of the levels, which
// cost fib 27% and binary_trees 15% when tried as a peeled first level),
// so deep recursions run as before.
//
// The caller owes the probe its header, as a level does (recowed.go):
// it commits its references at the call as usual but not its header,
// which the probe stores only before it calls the function. The probe
// has no frame and no entry check of its own (the function it calls has
// both), so the caller's check is unchanged. The probe is internal to
// the callee's chunk, so only callers in the same chunk use it, and an
// object where LLVM left it uninlined is compiled again without levels
// (recLeftover), as for the levels' own calls.
//
// Only sites inside a loop of the caller take the probe: the prefix's
// code is copied to every such site, and a site that runs once gains a
// call at most. Release builds only (a debug build's probe follows its
// kept interrupt word, debug_word.go).

// probeSitesMax bounds the sites of a module that call probes: each
// inlines a copy of its callee's prefix.
const probeSitesMax = 32

// outerProbes is the module's probes called from other functions.
type outerProbes struct {
	at    map[[2]int]bool      // (caller, pc) of the direct calls that call one
	probe map[int]*ir.Func     // by callee: its outer probe (the wide prefix)
	loops map[*wasm.Instr]bool // the loops outer probes run (probeLoops)
}

// declareProbeCalls picks the direct calls that go to their callee's
// outer probe, and declares those probes: calls in a loop of a function
// other than the callee, in the callee's chunk, in an optimized release
// build with recursion levels. An outer probe is a clone of its own,
// numbered after the levels' probe (so recLeftover and the chunks see
// it): its prefix goes on through casts and i31 instructions
// (probeRefOp), which the levels' probe stops at, so the levels' code,
// inlined at every deepest site, stays as it was.
func (g *modGen) declareProbeCalls(opts Options) {
	if g.rec == nil || g.dbg != nil || opts.Debug {
		return
	}
	chunk := chunkIndex(g.m, opts)
	ps := &outerProbes{at: map[[2]int]bool{}, probe: map[int]*ir.Func{}, loops: map[*wasm.Instr]bool{}}
	for i := range g.m.Funcs {
		for pc, inLoop := range loopDepths(g.m.Funcs[i].Body) {
			in := &g.m.Funcs[i].Body[pc]
			if in.Op != wasm.OpCall || !inLoop || len(ps.at) == probeSitesMax {
				continue
			}
			c := int(in.Index) - g.nImpFunc
			r := g.rec[c]
			if c < 0 || c == i || r == nil || r.probe == nil || chunk[c] != chunk[i] {
				continue
			}
			if ps.probe[c] == nil {
				fn := g.funcs[c]
				p := g.mod.NewFunc(cloneSymbol(c, len(r.levels)+1), fn.Sig.RetType, g.levelParams(fn)...)
				p.Linkage = enum.LinkageInternal
				p.FuncAttrs = append(append(p.FuncAttrs, fn.FuncAttrs...), enum.FuncAttrAlwaysInline)
				ps.probe[c] = p
				g.probes = ps // probeWideOp reads the loops marked so far
				g.probeLoops(g.m.Funcs[c].Body, ps.loops)
			}
			ps.at[[2]int{i, pc}] = true
		}
	}
	if len(ps.at) == 0 {
		g.probes = nil
	}
}

// genOuterProbes translates the outer probes, in function order.
func (g *modGen) genOuterProbes() error {
	if g.probes == nil {
		return nil
	}
	for i := range g.m.Funcs {
		p := g.probes.probe[i]
		if p == nil {
			continue
		}
		r := g.rec[i]
		if _, err := g.genLevel(i, p, &recLevel{fn: r, level: len(r.levels), probe: true, wide: true}); err != nil {
			return fmt.Errorf("function %d, outer probe: %w", g.nImpFunc+i, err)
		}
	}
	return nil
}

// loopDepths reports, for each instruction of a body, whether it lies
// inside a loop (between a loop and its end, at any depth).
func loopDepths(body []wasm.Instr) []bool {
	out := make([]bool, len(body))
	var open []bool // per open block: is it a loop
	loops := 0
	for pc, in := range body {
		out[pc] = loops > 0
		switch in.Op {
		case wasm.OpLoop:
			open = append(open, true)
			loops++
		case wasm.OpBlock, wasm.OpIf, wasm.OpTry, wasm.OpTryTable:
			open = append(open, false)
		case wasm.OpEnd:
			if n := len(open); n > 0 {
				if open[n-1] {
					loops--
				}
				open = open[:n-1]
			}
		}
	}
	return out
}

// probeCallee is the probe a direct call of defined function ci from
// this instruction calls (declareProbeCalls), or nil.
func (f *funcGen) probeCallee(ci int) *ir.Func {
	ps := f.g.probes
	if ps == nil || ci == f.idx || f.g.dbg != nil || f.top == nil || f.probing() || !ps.at[[2]int{f.idx, f.fr.pc}] {
		return nil
	}
	return ps.probe[ci]
}

// probeWideOp reports whether an outer probe may run instruction in
// beyond probeOp's: the i31, cast and array read instructions whose code
// is tests and loads only, and loops that run to the function's end
// inside the prefix (probeLoops). A cast is tested inline (gc_cast.go)
// when its target is abstract or a final type; a non-final concrete
// target may ask the op helper, which a probe must not call. An array
// read traps only through trapIf (bounds, null), where the probe calls
// the function instead.
func (g *modGen) probeWideOp(in *wasm.Instr) bool {
	switch in.Op {
	case wasm.OpRefI31, wasm.OpI31GetS, wasm.OpI31GetU, wasm.OpArrayLen,
		wasm.OpArrayGet, wasm.OpArrayGetS, wasm.OpArrayGetU,
		wasm.OpAnyConvertExtern, wasm.OpExternConvertAny:
		return true
	case wasm.OpRefTest, wasm.OpRefTestNull, wasm.OpRefCast, wasm.OpRefCastNull, wasm.OpBrOnCast, wasm.OpBrOnCastFail:
		h := in.Ref.Heap
		if h.IsAbstract() {
			return true
		}
		return int(h.Index()) < len(g.m.Types) && g.m.Types[h.Index()].Final
	case wasm.OpLoop:
		return g.probes != nil && g.probes.loops[in]
	}
	return false
}

// probeLoops marks the loops of body an outer probe may run: those whose
// own instructions, and every instruction after them to the body's end,
// an outer probe runs too. Once in such a loop the probe reaches the
// function's return without calling it, unless a check fails (a trap,
// which the function then makes again, or the interrupt word, which the
// function then serves: probeInterrupt). A loop followed by something
// the probe stops at would have its work done twice, by the probe and
// again by the function, so such loops stop the probe as before.
func (g *modGen) probeLoops(body []wasm.Instr, loops map[*wasm.Instr]bool) {
	ok := make([]bool, len(body)+1) // ok[pc]: body[pc:] runs in a probe
	ok[len(body)] = true
	for pc := len(body) - 1; pc >= 0; pc-- {
		in := &body[pc]
		ok[pc] = ok[pc+1] && (probeOp(in.Op) || in.Op == wasm.OpLoop || g.probeWideOp(in))
		if in.Op == wasm.OpLoop && ok[pc+1] {
			loops[in] = true
		}
	}
}

// probeInterrupt stands for a loop header's interrupt test in a probe:
// with the word set the probe calls the function, which starts the same
// call over and tests the word itself; nothing the probe did until then
// can be seen.
func (f *funcGen) probeInterrupt() bool {
	if !f.probing() {
		return false
	}
	w := f.cur.NewLoad(types.I64, f.envWord(envInterrupt))
	w.Volatile = true
	return f.probeTrapIf(f.cur.NewICmp(enum.IPredNE, w, i64c(0)))
}
