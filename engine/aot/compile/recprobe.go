package compile

import (
	"github.com/llir/llvm/ir"
	"github.com/llir/llvm/ir/enum"

	"github.com/gcscope/gcscope/engine/wasm"
)

// The probe level (docs/aot-compiler.md "Calls (aot-callpath)"). Below
// the deepest level of a function inlined into itself (recinline.go),
// each self-call site used to call the function: a real call, with its
// prologue (callee-saved registers pushed, the entry check) and epilogue,
// even when the callee returned at once (fib's n < 2, a tree walk's
// leaf). The probe is one more alwaysinline clone, translated from the
// same body up to the first instruction that could be observed: until
// then it runs the body's code (locals, constants, arithmetic, forward
// branches, field loads), and where the body would do anything else (a
// call, an allocation, a loop, a memory access, a helper, a trap) it
// calls the function instead, with the original arguments and at its
// own top, and returns what that returns. The function starts the same
// Wasm call over; the probe's prefix had no effect anyone can see (it
// wrote no slot, no header, no memory; a check that would trap jumps to
// the call too, whose own code then traps with its own frame). So a
// self-call whose callee returns from that prefix costs no call at all,
// and every other one is the call it was, plus the prefix's tests.
//
// The probe has no frame of its own: it writes nothing before the call,
// and the function it calls is the same Wasm call, whose frame goes
// where the probe's would (its top is the probe's). No stack map, no
// safepoint. In a debug build (since aot-callconv) the deepest level
// calls the probe only with its kept interrupt word clear (levelCall,
// debug_word.go), so every stop of the prefix is on a dead path, as a
// level's first stops are; with the word set it calls the function,
// which has every stop.

// probeOp reports whether op may run in a probe: no call, helper, loop,
// memory access, allocation or store of any kind; ops that may trap do
// so only through trapIf, which the probe turns into its call.
func probeOp(op wasm.Opcode) bool {
	if numericOp(op) {
		return true
	}
	switch op {
	case wasm.OpNop, wasm.OpDrop, wasm.OpSelect, wasm.OpSelectT,
		wasm.OpLocalGet, wasm.OpLocalSet, wasm.OpLocalTee,
		wasm.OpBlock, wasm.OpIf, wasm.OpElse, wasm.OpEnd,
		wasm.OpBr, wasm.OpBrIf, wasm.OpBrTable, wasm.OpReturn,
		wasm.OpRefNull, wasm.OpRefIsNull, wasm.OpRefEq, wasm.OpRefAsNonNull,
		wasm.OpBrOnNull, wasm.OpBrOnNonNull,
		wasm.OpStructGet, wasm.OpStructGetS, wasm.OpStructGetU:
		return true
	}
	return false
}

// probing reports whether this translation is a probe.
func (f *funcGen) probing() bool { return f.rec != nil && f.rec.probe }

// probeStep runs before each instruction of a probe: in front of the
// first one a probe may not run it calls the function (probeCall), and
// the rest of that path is dead.
func (f *funcGen) probeStep(in *wasm.Instr) {
	if !f.probing() || f.dead || probeOp(in.Op) || (f.rec.wide && f.g.probeWideOp(in)) { // probe_calls.go
		return
	}
	f.cur.NewBr(f.probeCallBlock())
	f.dead = true
}

// probeTrapIf stands for trapIf in a probe: where the body would trap,
// the probe calls the function, which traps with its frame.
func (f *funcGen) probeTrapIf(cond valueT) bool {
	if !f.probing() {
		return false
	}
	cont := f.newBlock()
	f.coldBr(cond, f.probeCallBlock(), cont)
	f.cur = cont
	return true
}

// probeCallBlock is the probe's one block calling the function with the
// original arguments at the probe's top and returning its results.
func (f *funcGen) probeCallBlock() *ir.Block {
	if f.rec.call != nil {
		return f.rec.call
	}
	b := f.newBlock()
	if f.owesHeader() {
		ps := f.fn.Params // the owed header, whatever the path knows (recowed.go)
		b.NewStore(ps[len(ps)-1], ps[len(ps)-2])
	}
	if f.dbgOwes() {
		saved := f.cur
		f.cur = b
		f.dbgPayOwed() // debug_owed.go
		f.cur = saved
	}
	args := append([]valueT{f.env, f.inTop}, paramValues(f.fn.Params[2:2+len(f.ft.Params)])...)
	if f.out != nil {
		args = append(args, f.out)
	}
	args = f.specArgs(args) // debug_spec.go
	c := b.NewCall(f.rec.fn.back, args...)
	f.dbgHandBackFresh(b) // debug_handback.go (after the call)
	if len(f.ft.Results) == 1 {
		b.NewRet(c)
	} else {
		b.NewRet(nil)
	}
	f.rec.call = b
	return b
}

func paramValues(ps []*ir.Param) []valueT {
	out := make([]valueT, len(ps))
	for k, p := range ps {
		out[k] = p
	}
	return out
}

// declareProbe adds function i's probe clone after its levels.
func (g *modGen) declareProbe(i int, r *recFunc) {
	fn := g.funcs[i]
	c := g.mod.NewFunc(cloneSymbol(i, len(r.levels)), fn.Sig.RetType, g.levelParams(fn)...)
	c.Linkage = enum.LinkageInternal
	c.FuncAttrs = append(append(c.FuncAttrs, fn.FuncAttrs...), enum.FuncAttrAlwaysInline)
	r.probe = c
}

// genProbe translates function i's probe.
func (g *modGen) genProbe(i int, r *recFunc) error {
	_, err := g.genLevel(i, r.probe, &recLevel{fn: r, level: len(r.levels), probe: true})
	return err
}
