package compile

import (
	"slices"

	"github.com/llir/llvm/ir"

	"github.com/gcscope/gcscope/engine/wasm"
)

// Runs: one stop test for a straight line of instructions.
//
// A stop test before every instruction (debugStop) costs a load, a test
// and a branch per Wasm instruction, and the merge after each stop's slow
// path makes every operand a phi, which keeps LLVM from folding constants
// and compares into their users. So a debug build translates each run (a
// straight line of instructions that call nothing and open or close no
// block: locals, globals, constants, arithmetic, memory loads and stores,
// br_if and a final br) twice:
//
//   - the fast copy, with no stop test at all, entered when the interrupt
//     word is zero at the run's start (one volatile load and branch for
//     the whole run);
//   - the slow copy, the per-instruction stops as before, entered when
//     the word is non-zero (something is armed, stepping, a pause).
//
// The two meet after the run, where the instruction that ended it begins;
// its own stop is tested in the slow copy, so a run and the call, `if` or
// block end after it pay one test between them. Breakpoints and stepping
// stop where they did: with a breakpoint set or stepping on, the word is
// non-zero (armed, stepping) before the run starts, so the slow copy runs.
// Only what other threads do can come later than before: a breakpoint
// set or a pause asked for while this thread is inside a run is seen at
// the next load of the word (after a call or helper, at a loop header:
// the test uses the word kept since, debug_word.go), a loop-free,
// call-free stretch later, as if it had come that much later. Nothing in
// a run lets this thread's own debugger
// callbacks run (no calls, no helpers but traps, which do not return),
// so stepping turned on at a stop is always seen by the next instruction.

// runOp reports whether op can be part of a run: it calls no function
// and no helper (a trap does not return), and opens or closes no block.
func runOp(op wasm.Opcode) bool {
	if numericOp(op) || op >= wasm.OpI32Load && op <= wasm.OpI64Store32 { // loads, stores
		return true
	}
	switch op {
	case wasm.OpNop, wasm.OpDrop, wasm.OpSelect, wasm.OpSelectT,
		wasm.OpLocalGet, wasm.OpLocalSet, wasm.OpLocalTee, wasm.OpGlobalGet, wasm.OpGlobalSet,
		wasm.OpRefNull, wasm.OpRefIsNull, wasm.OpRefEq, wasm.OpBrIf, wasm.OpBr:
		return true
	}
	return false
}

// debugRunEnd returns the end (exclusive) of the run starting at body[pc]
// in a debug build, or pc when no run starts there: dead code, or an
// instruction that cannot be in a run. A br ends its run (what follows
// is dead).
func (f *funcGen) debugRunEnd(body []wasm.Instr, pc int) int {
	if f.g.dbg == nil || f.dead || f.top == nil {
		return pc
	}
	end := pc
	for end < len(body) && runOp(body[end].Op) {
		end++
		if body[end-1].Op == wasm.OpBr {
			break
		}
	}
	return end
}

// debugRun translates body[pc:end] as a run: the test, the fast copy, the
// slow copy, and (when the code goes on) the stop of body[end] in the
// slow copy, then the join, where the operands the copies left differ
// become phis. step translates one instruction; the main loop then goes
// on with body[end], whose stop is done (dbg.stopDone).
func (f *funcGen) debugRun(body []wasm.Instr, pc, end int, step func(pc int) error) error {
	f.fr.pc = pc
	if pc > 0 {
		f.lt.tag(f.curOff)
	}
	f.curOff = f.offsetOf(body, pc)
	startOff := f.curOff
	saved := slices.Clone(f.stack)
	clean := f.dbgCleanSave()

	intr, _ := f.dbgWord()
	set := f.wordSet(f.cur, intr)
	fast, slow := f.newBlock(), f.newBlock()
	f.cur.NewCondBr(set, slow, fast)

	f.cur = fast
	if err := stepRange(pc, end, step, &f.dbg.noStops); err != nil {
		return err
	}
	f.lt.tag(f.curOff)
	fastEnd, fastStack, fastClean := f.cur, slices.Clone(f.stack), f.dbgCleanSave()
	f.dbgCleanRestore(clean)

	f.cur, f.stack, f.dead, f.curOff = slow, saved, false, startOff
	if err := stepRange(pc, end, step, nil); err != nil {
		return err
	}
	if f.dead {
		return nil // both copies ended in a br
	}
	if end < len(body) && isStop(body[end].Op) {
		f.fr.pc = end
		f.lt.tag(f.curOff)
		f.curOff = f.offsetOf(body, end)
		f.debugStop()
		f.dbg.stopDone = true
	}
	slowEnd := f.cur
	f.dbgCleanJoin(fastClean, f.dbg.w.clean)
	join := f.newBlock()
	fastEnd.NewBr(join)
	slowEnd.NewBr(join)
	f.cur = join
	for i, v := range f.stack {
		fv := fastStack[i]
		if fv == v {
			continue
		}
		phi := join.NewPhi(ir.NewIncoming(fv, fastEnd), ir.NewIncoming(v, slowEnd))
		if f.isRef(v) || f.isRef(fv) {
			f.fr.refs[phi] = true
		}
		f.stack[i] = phi
	}
	return nil
}

// stepRange translates body[pc:end] with step. When mode is not nil it is
// set for the translation and cleared after it, error or not: the copies
// of a debug run (noStops) and of a versioned loop (fast) are the same
// instructions translated under a different flag.
func stepRange(pc, end int, step func(pc int) error, mode *bool) error {
	if mode != nil {
		*mode = true
		defer func() { *mode = false }()
	}
	for i := pc; i < end; i++ {
		if err := step(i); err != nil {
			return err
		}
	}
	return nil
}

// numericOp reports whether op is a constant or a numeric instruction
// (the saturating truncations included): it reads only its operands and
// calls nothing. Runs and recursion probes (recprobe.go) take them all.
func numericOp(op wasm.Opcode) bool {
	return op >= wasm.OpI32Const && op <= wasm.OpI64Extend32S ||
		op >= wasm.OpI32TruncSatF32S && op <= wasm.OpI64TruncSatF64U
}
