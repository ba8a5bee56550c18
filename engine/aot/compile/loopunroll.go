package compile

import (
	"slices"

	"github.com/llir/llvm/ir"

	w "github.com/gcscope/gcscope/engine/wasm"
)

// Loops of two copies, one interrupt test (docs/aot-compiler.md "Native
// code of the small GC programs (aot-listspeed)").
//
// A small innermost loop of an optimized release build is translated
// twice, A and B, entered at A: A's back edges go to B's header and B's
// to A's, so one pass of the loop runs A, the next B, and so on. Only
// A's header tests the interrupt word: the loop still polls at least
// every second iteration, and it cannot run longer than one iteration
// of its body between tests. A pointer-chasing loop (linked_list's
// reverse and weighted: a load, its use, the loop test) waits ~4 cycles
// per iteration for its load; the interrupt test added a second branch
// to the iteration, and an iteration with one branch fewer ran in ~0.83
// instead of ~1.07 ns on the machine measured.
//
// Both copies are the same translation (the same offsets, stack maps,
// traps and backtraces), made the way versioned loops make their two
// copies (loopversion.go): the loop's state between iterations is in
// the locals' allocas and the loop's parameter allocas, so either header
// is a clean entry; the copies leave through the same blocks and meet
// after the loop's end. Only loops whose instructions keep no state of
// their own across the copies qualify (unrollableOp): locals, numbers,
// control, references and GC objects, and calls of leaf clones
// (leafcall.go); no memory (its size cache and bounds plans are per
// instruction), no other calls, no exceptions.

// maxUnrolledLoop bounds the instructions of a loop translated twice.
const maxUnrolledLoop = 48

// unrollLoopEnd returns the index after the end of the loop at body[pc]
// when it is translated twice, else pc.
func (f *funcGen) unrollLoopEnd(body []w.Instr, pc int) int {
	if body[pc].Op != w.OpLoop || f.dead || f.g.dbg != nil || !f.g.unroll || f.probing() || f.lv.fast {
		return pc
	}
	if ps, _, err := f.blockSig(body[pc].Block); err != nil || len(ps) > 0 {
		return pc // each copy's header would load its own parameter allocas
	}
	depth := 0
	for i := pc + 1; i < len(body) && i-pc <= maxUnrolledLoop; i++ {
		in := &body[i]
		switch in.Op {
		case w.OpEnd:
			if depth == 0 {
				return i + 1
			}
			depth--
		case w.OpBlock, w.OpIf:
			depth++
		case w.OpCall:
			// Only clones of leaves: a stub's clone brings its
			// dispatch, twice.
			if !f.isLeafCall(in.Index) || f.g.exn.test || f.g.leaves.calls[int(in.Index)-f.g.nImpFunc] {
				return pc
			}
		default:
			if !unrollableOp(in.Op) {
				return pc
			}
		}
	}
	return pc
}

// unrollableOp reports whether op may be in a loop translated twice:
// it keeps no translation state across instructions beyond the operand
// stack and the locals (a new block starts fresh memos).
func unrollableOp(op w.Opcode) bool {
	switch {
	case numericOp(op):
		return true
	}
	switch op {
	case w.OpNop, w.OpDrop, w.OpSelect, w.OpSelectT, w.OpLocalGet, w.OpLocalSet, w.OpLocalTee,
		w.OpGlobalGet, w.OpGlobalSet, w.OpUnreachable,
		w.OpElse, w.OpBr, w.OpBrIf, w.OpBrTable, w.OpReturn,
		w.OpRefNull, w.OpRefIsNull, w.OpRefEq, w.OpRefAsNonNull, w.OpBrOnNull, w.OpBrOnNonNull,
		w.OpStructNew, w.OpStructNewDefault, w.OpStructGet, w.OpStructGetS, w.OpStructGetU, w.OpStructSet,
		w.OpArrayNew, w.OpArrayNewDefault, w.OpArrayNewFixed, w.OpArrayGet, w.OpArrayGetS, w.OpArrayGetU,
		w.OpArraySet, w.OpArrayLen,
		w.OpRefTest, w.OpRefTestNull, w.OpRefCast, w.OpRefCastNull, w.OpBrOnCast, w.OpBrOnCastFail,
		w.OpAnyConvertExtern, w.OpExternConvertAny, w.OpRefI31, w.OpI31GetS, w.OpI31GetU:
		return true
	}
	return false
}

// unrollLoop translates body[pc:end], a loop unrollLoopEnd accepted, as
// copies A and B, points each copy's back edges at the other's header,
// and joins their fallthroughs after the loop.
func (f *funcGen) unrollLoop(body []w.Instr, pc, end int, step func(pc int) error) error {
	savedStack, savedCtrls := slices.Clone(f.stack), slices.Clone(f.ctrls)
	var savedPaid bool
	var savedPaidAt []bool
	if f.rec != nil {
		savedPaid, savedPaidAt = f.rec.paid, slices.Clone(f.rec.paidAt)
	}

	firstA := len(f.fn.Blocks)
	hA, err := f.unrollCopy(pc, end, step)
	if err != nil {
		return err
	}
	f.lt.tag(f.curOff)
	endA, deadA, stackA := f.cur, f.dead, slices.Clone(f.stack)
	lastA := len(f.fn.Blocks)

	// B starts in a block nothing branches to (LLVM drops it): its only
	// way in is A's back edges.
	f.cur, f.stack, f.ctrls, f.dead = f.newBlock(), savedStack, savedCtrls, false
	if f.rec != nil {
		f.rec.paid, f.rec.paidAt = savedPaid, savedPaidAt
	}
	firstB := len(f.fn.Blocks)
	f.unrollNoCheck = true
	hB, err := f.unrollCopy(pc, end, step)
	f.unrollNoCheck = false
	if err != nil {
		return err
	}
	retarget(f.fn.Blocks[firstA:lastA], hA, hB)
	retarget(f.fn.Blocks[firstB:], hB, hA)

	if deadA && f.dead {
		return nil
	}
	join := f.newBlock()
	if !deadA {
		endA.NewBr(join)
	}
	if f.dead {
		f.stack = stackA
	} else {
		endB := f.cur
		endB.NewBr(join)
		if !deadA {
			f.joinStacks(join, endA, stackA, endB) // loopversion.go
		}
	}
	f.cur, f.dead = join, false
	return nil
}

// unrollCopy translates one copy of the loop and returns its header.
func (f *funcGen) unrollCopy(pc, end int, step func(pc int) error) (*ir.Block, error) {
	if err := step(pc); err != nil { // the loop instruction: its header
		return nil, err
	}
	h := f.ctrls[len(f.ctrls)-1].header
	return h, stepRange(pc+1, end, step, nil)
}

// unrollSkipsCheck reports whether the loop header being made is copy
// B's, which has no interrupt test.
func (f *funcGen) unrollSkipsCheck() bool { return f.unrollNoCheck }

// retarget points the branches of blocks that go to from at to.
func retarget(blocks []*ir.Block, from, to *ir.Block) {
	for _, b := range blocks {
		switch t := b.Term.(type) {
		case *ir.TermBr:
			if t.Target == from {
				t.Target, t.Successors = to, nil // Succs caches the targets
			}
		case *ir.TermCondBr:
			if t.TargetTrue == from {
				t.TargetTrue, t.Successors = to, nil
			}
			if t.TargetFalse == from {
				t.TargetFalse, t.Successors = to, nil
			}
		case *ir.TermSwitch:
			if t.TargetDefault == from {
				t.TargetDefault, t.Successors = to, nil
			}
			for _, c := range t.Cases {
				if c.Target == from {
					c.Target, t.Successors = to, nil
				}
			}
		}
	}
}
