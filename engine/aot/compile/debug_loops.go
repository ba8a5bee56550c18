package compile

import (
	"slices"

	"github.com/llir/llvm/ir"
	"github.com/llir/llvm/ir/enum"

	w "github.com/gcscope/gcscope/engine/wasm"
)

// Versioned loops in debug builds: the release fast copy while nothing
// can stop.
//
// A debug build translates each run of straight-line code twice
// (debug_runs.go), but a loop still tests the interrupt word once per
// run in every iteration and checks every access, where a release
// build's versioned loop (loopversion.go) checks the accesses a guard
// covers once before the loop (loopguard.go) and tests the word once per
// chunk of up to chunkIters iterations (loopchunk.go): sieve's debug
// build ran 3.5x its release build's time.
//
// So debug builds version the innermost loops that call nothing too,
// with two changes to the release scheme:
//
//   - the fast copy is the release one (guarded accesses, chunked
//     interrupt tests) with no stop at all, entered only when the kept
//     interrupt word is zero on entry (and the guards and the chunk
//     bounds hold); a breakpoint set or stepping turned on before the
//     loop sets the word (armed, stepping), so the debug copy runs from
//     the loop's start and every stop is where it was;
//   - where the release fast copy tests the word (each loop header, or
//     each chunk exit of a chunked loop), this one loads it afresh and,
//     when it is set, enters the debug copy at its loop header instead of
//     calling the interrupt helper: the code as a debug build has it
//     (runs, every stop), whose first stop handles the request. Locals
//     live in their variables in both copies and the loop has no
//     parameters, so the header is a clean entry; the header treats
//     every local as changed (debug_clean.go), so the first stop that
//     fires commits them all. Nothing in the fast copy calls anything, so
//     no memory can grow and no size needs re-reading on the way.
//
// What another thread asks for while the fast copy runs (a breakpoint, a
// pause, a stop-the-world) is seen at the next header or chunk exit: at
// most one chunk (chunkIters iterations of at most maxVersionedLoop
// instructions) later, the trade-off "Kept word" already makes for
// loop-free stretches. This thread's own debugger cannot change the word
// in the fast copy (no calls, no helpers but traps). Traps in the fast
// copy commit the frame as in a run's fast copy (debugTrap): header,
// locals and the operands before the trapping instruction. Loops of
// functions with reference locals stay as they were (as in release
// builds).

// debugLoopState is the debug translation state at a versioned loop's
// entry, for its debug copy.
type debugLoopState struct {
	valid bool
	clean []bool
}

// debugLoopEntry extends a versioned loop's entry condition in a debug
// build: bad (nil when the loop has no guards or chunk) or the kept word
// set sends the code to the debug copy. It saves the state the debug
// copy starts from and sets the fast copy's: the word tested clear, and
// no local known clean (its header joins the back edges).
func (f *funcGen) debugLoopEntry(bad valueT, slow *ir.Block) (valueT, debugLoopState) {
	if f.g.dbg == nil {
		return bad, debugLoopState{}
	}
	f.lv.slowLoop = slow
	wd, _ := f.dbgWord()
	var set valueT = f.cur.NewICmp(enum.IPredNE, wd, i64c(0))
	if bad != nil {
		set = f.cur.NewOr(bad, set)
	}
	st := debugLoopState{valid: f.dbg.w.valid, clean: f.dbgCleanSave()}
	f.dbg.w.clean = nil
	return set, st
}

// loopBack is how the debug copy of the versioned loop being translated
// goes back to its fast copy: at the loop instruction's pc, entering
// fast when the entry condition holds again.
type loopBack struct {
	pc     int
	fast   *ir.Block
	guards map[int]loopGuard
	entry  *guardFact
	chunk  *loopChunk
}

// debugLoopSlow starts a debug build's debug copy (of the loop at pc,
// whose fast copy starts at fast) with the state saved at the loop's
// entry.
func (f *funcGen) debugLoopSlow(st debugLoopState, pc int, fast *ir.Block, guards map[int]loopGuard, entry *guardFact, chunk *loopChunk) {
	if f.g.dbg == nil {
		return
	}
	f.debugLoopState(st)
	f.lv.back = &loopBack{pc: pc, fast: fast, guards: guards, entry: entry, chunk: chunk}
}

// debugLoopState sets the kept word's and the clean locals' state.
func (f *funcGen) debugLoopState(st debugLoopState) {
	if f.g.dbg != nil {
		f.dbg.w.valid = st.valid
		f.dbgCleanRestore(st.clean)
	}
}

// debugSlowLoopCheck is the header of a versioned loop's debug copy: a
// fresh load of the word (which the first stop then keeps), and when it
// is clear (the debugger cleared its breakpoints and stepping, a pause
// or a stop-the-world is over) and the guards and chunk bounds hold for
// the locals' current values, the fast copy from this iteration on, as
// if the loop were entered here. Without it a loop once sent to the
// debug copy would stay there to its end.
func (f *funcGen) debugSlowLoopCheck() {
	b := f.lv.back
	if b == nil || b.fast == nil || f.fr.pc != b.pc {
		return
	}
	f.lv.back = nil
	wd := f.dbgFreshWord()
	try, cont := f.newBlock(), f.newBlock()
	f.cur.NewCondBr(f.cur.NewICmp(enum.IPredEQ, wd, i64c(0)), try, cont)
	f.cur = try
	var bad valueT = i1c(false)
	if len(b.guards) > 0 || b.chunk != nil {
		bad = f.guardBad(b.guards, b.entry)
		if b.chunk != nil {
			bad = f.cur.NewOr(bad, f.chunkBad(b.chunk))
		}
	}
	f.cur.NewCondBr(bad, cont, b.fast)
	f.cur = cont
}

// debugLoopJoin sets the state after a versioned loop whose copies both
// fall through its end: the fast copy's (valid, clean) meeting the debug
// copy's, the current one.
func (f *funcGen) debugLoopJoin(valid bool, clean []bool) {
	if f.g.dbg != nil {
		f.dbg.w.valid = f.dbg.w.valid && valid
		f.dbgCleanJoin(clean, f.dbg.w.clean)
	}
}

// debugFastLoopCheck is a debug build's interrupt test in a versioned
// loop's fast copy (at its header, or a chunk exit): a fresh load of the
// word, and when it is set, the debug copy from its loop header.
func (f *funcGen) debugFastLoopCheck() {
	wd := f.dbgFreshWord()
	f.dbg.w.clean = nil // a header: the back edges set locals
	transfer, cont := f.newBlock(), f.newBlock()
	f.coldBr(f.cur.NewICmp(enum.IPredNE, wd, i64c(0)), transfer, cont)
	transfer.NewBr(f.lv.slowLoop)
	f.cur = cont
}

// loopSlowCopy translates body[pc:end], a versioned loop, as its slow
// copy: as it is in a build without versioning (a debug build's runs
// included).
func (f *funcGen) loopSlowCopy(body []w.Instr, pc, end int, step func(pc int) error) error {
	if f.g.dbg == nil {
		return stepRange(pc, end, step, nil)
	}
	for i := pc; i < end; i++ {
		if e := f.debugRunEnd(body, i); e > i {
			if err := f.debugRun(body, i, e, step); err != nil {
				return err
			}
			i = e - 1
			continue
		}
		if err := step(i); err != nil {
			return err
		}
	}
	return nil
}

// debugFastEnd is the fast copy's end state for debugLoopJoin.
func (f *funcGen) debugFastEnd() (bool, []bool) {
	if f.g.dbg == nil {
		return false, nil
	}
	return f.dbg.w.valid, slices.Clone(f.dbg.w.clean)
}
