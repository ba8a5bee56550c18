package compile

import (
	"github.com/llir/llvm/ir"
	"github.com/llir/llvm/ir/enum"
	"github.com/llir/llvm/ir/types"

	w "github.com/gcscope/gcscope/engine/wasm"
)

// Chunked loops: the interrupt test once per chunk of iterations.
//
// Every loop tests the interrupt word at its header (a volatile load, a
// compare and a branch to the cold helper call). In a loop as small as
// sieve's that is two of seven instructions, and the call on the loop's
// cold path, though never taken, keeps LLVM from unrolling or vectorizing
// it: without the test (unsound, measured only) sieve ran in 71 µs against
// 126 µs with it, below gcc's 97-120 µs (LLVM vectorizes the counting loop,
// gcc -O2 does not).
//
// A versioned loop's fast copy of the shape
//
//	loop $l
//	  br_if $out (i32.ge_u (local.get $i) X)   ;; first, $out outside $l
//	  ...                                       ;; no other branch to $l
//	  local.set $i (i32.add (local.get $i) S)   ;; the only assignment of $i, at the top level
//	  br $l
//	end
//
// or its bottom-tested form (nbody's move loop; the step anywhere at the
// top level, no other branch to $l)
//
//	loop $l
//	  ...
//	  br_if $l (i32.lt_u (local.get $i) X)
//	end
//
// with X and S loop invariant (constants or locals the loop does not
// assign) runs in chunks instead (the bottom-tested form symmetrically:
// round again while $i <u X', and on $i >=u X' the interrupt test and the
// next chunk while $i <u X, else on past the loop): the header's test compares $i with a
// chunk bound X' = min(X, $i + chunkIters*S) computed on entry; when
// $i >=u X' the chunk exit leaves through $out if $i >=u X, else tests
// the interrupt word (and calls the helper when set, exactly as the
// header did), computes the next bound and goes on. The inner loop has no
// call and one exit with a computable trip count, which LLVM unrolls and
// vectorizes.
//
// Every iteration that goes round adds S to $i once (the assignment is
// at the top level, every path to the back edge passes it), and the fast
// copy is only entered when S >= 1 and X + S <= 2^32, and for the bottom-
// tested form $i <u X (else the slow copy runs): then $i grows without wrapping while $i <u X' <= X, so a chunk
// holds at most chunkIters iterations, and the interrupt is seen within
// chunkIters iterations of a body of at most maxVersionedLoop
// instructions. The interrupt test happens after the header's compare,
// which has no effect, with the loop instruction's offset in the frame
// header, and after it the fast copy's size comparison goes to the slow
// copy at its header as before (loopversion.go).

// chunkIters is the iterations of a chunk: the interrupt latency of a
// chunked loop, and large enough that the vector loop's remainder and
// the chunk exit cost little.
const chunkIters = 1024

// loopChunk is the plan of a chunked loop and, while its fast copy is
// translated, its blocks.
type loopChunk struct {
	loopPC, guardPC int  // the loop instruction and its test's br_if
	bottom          bool // the test is the loop's last instruction
	iv              uint32
	bound, step     boundsSym
	xc              *ir.InstAlloca // the chunk bound X'
	outer           *ir.Block      // computes X' and enters the header
}

// planLoopChunk returns the chunk plan of the loop body[pc:end] (pc its
// loop instruction, end after its end), or nil when it has not the shape.
func planLoopChunk(body []w.Instr, pc, end int) *loopChunk {
	if end-pc < 7 || body[end-1].Op != w.OpEnd {
		return nil
	}
	assigned, sets := loopAssigned(body, pc, end), map[uint32]int{}
	for i := pc + 1; i < end; i++ {
		if op := body[i].Op; op == w.OpLocalSet || op == w.OpLocalTee {
			sets[body[i].Index]++
		}
	}
	c := &loopChunk{loopPC: pc}
	from, to := 0, 0 // where the step and the other branches are looked for
	switch {
	case body[end-2].Op == w.OpBr && body[end-2].Index == 0:
		g, ok := compareFact(body, pc, pc+3, false, assigned)
		if !ok || body[pc+4].Op != w.OpBrIf || body[pc+4].Index == 0 {
			return nil
		}
		c.guardPC, c.iv, c.bound = pc+4, g.local, g.bound
		from, to = pc+5, end-2
	default:
		g, ok := bottomTest(body, pc, end, assigned)
		if !ok {
			return nil
		}
		c.guardPC, c.iv, c.bound, c.bottom = end-2, g.local, g.bound, true
		from, to = pc+1, end-5
	}
	// Both shapes' only way round is the branch at end-2 (the final br,
	// or the bottom test's br_if).
	if sets[c.iv] != 1 || !onlyBackEdge(body, pc, end, end-2) {
		return nil
	}
	depth := 0 // blocks open inside the loop
	found := false
	for i := from; i < to; i++ {
		in := body[i]
		switch in.Op {
		case w.OpBlock, w.OpLoop, w.OpIf:
			depth++
		case w.OpEnd:
			depth--
		case w.OpLocalSet, w.OpLocalTee:
			if in.Index != c.iv {
				continue
			}
			// local.get $i; S; i32.add; local.set $i (or S first).
			if depth != 0 || in.Op != w.OpLocalSet || i < from+3 || body[i-1].Op != w.OpI32Add {
				return nil
			}
			a, b := body[i-3], body[i-2]
			if b.Op == w.OpLocalGet && b.Index == c.iv {
				a, b = b, a
			}
			if a.Op != w.OpLocalGet || a.Index != c.iv {
				return nil
			}
			var ok bool
			if c.step, ok = invariantAt([]w.Instr{b}, 0, assigned); !ok {
				return nil
			}
			found = true
		}
	}
	if !found || depth != 0 {
		return nil
	}
	if c.step.kind == symConst && c.step.c == 0 {
		return nil // never leaves: the slow copy tests the interrupt each time
	}
	return c
}

// symValue loads a plan operand (a local or a constant) as an i64.
func (f *funcGen) symValue(s boundsSym) valueT {
	if s.kind == symConst {
		return i64c(int64(s.c))
	}
	return f.cur.NewZExt(f.getLocal(s.local), types.I64)
}

// chunkBad is the i1 that keeps a chunked loop out of its fast copy: a
// step of 0, X + S > 2^32 (the induction variable could wrap), or for a
// bottom-tested loop i >=u X on entry.
func (f *funcGen) chunkBad(c *loopChunk) valueT {
	s := f.symValue(c.step)
	x := f.symValue(c.bound)
	zero := f.cur.NewICmp(enum.IPredEQ, s, i64c(0))
	wraps := f.cur.NewICmp(enum.IPredUGT, f.cur.NewAdd(x, s), i64c(1<<32))
	bad := f.cur.NewOr(zero, wraps)
	if c.bottom {
		// The first iteration runs untested: from i >=u X, i + S could
		// wrap below X' and the chunk run long.
		i := f.cur.NewZExt(f.getLocal(c.iv), types.I64)
		bad = f.cur.NewOr(bad, f.cur.NewICmp(enum.IPredUGE, i, x))
	}
	return bad
}

// chunkBound stores the next chunk bound, min(X, i + chunkIters*S).
func (f *funcGen) chunkBound(c *loopChunk) {
	i := f.cur.NewZExt(f.getLocal(c.iv), types.I64)
	x := f.symValue(c.bound)
	t := f.cur.NewAdd(i, f.cur.NewMul(f.symValue(c.step), i64c(chunkIters)))
	b := f.cur.NewSelect(f.cur.NewICmp(enum.IPredULT, t, x), t, x)
	f.cur.NewStore(f.cur.NewTrunc(b, types.I32), c.xc)
}

// chunkHeader replaces the interrupt test at the header of the chunked
// loop being translated (ctrl c, just opened: f.cur is its header, which
// nothing has branched to but the loop's entry): that block becomes the
// outer block computing the bound, and a new header follows it. It
// reports false when the loop is not chunked.
func (f *funcGen) chunkHeader(c *ctrl) bool {
	ch := f.lv.chunk
	if ch == nil || !f.lv.fast || f.fr.pc != ch.loopPC {
		return false
	}
	if ch.xc == nil {
		ch.xc = f.alloca(types.I32)
	}
	ch.outer = f.cur
	f.chunkBound(ch)
	c.header = f.newBlock()
	f.cur.NewBr(c.header)
	f.cur = c.header
	return true
}

// chunkGuard translates the header's br_if of a chunked loop's fast copy
// (cond, its operand, is recomputed): on to the body while i <u X', else
// out when i >=u X, else the interrupt test and the next chunk. It
// reports false for any other br_if.
func (f *funcGen) chunkGuard(in *w.Instr) bool {
	ch := f.lv.chunk
	if ch == nil || !f.lv.fast || ch.outer == nil || f.fr.pc != ch.guardPC {
		return false
	}
	f.pop()
	i := f.getLocal(ch.iv)
	xc := f.cur.NewLoad(types.I32, ch.xc)
	if ch.bottom {
		f.chunkBackEdge(ch, in, i, xc)
		return true
	}
	exit, cont := f.newBlock(), f.newBlock()
	f.cur.NewCondBr(f.cur.NewICmp(enum.IPredUGE, i, xc), exit, cont)
	f.cur = exit
	taken, next := f.newBlock(), f.newBlock()
	f.cur.NewCondBr(f.cur.NewICmp(enum.IPredUGE, f.cur.NewZExt(i, types.I64), f.symValue(ch.bound)), taken, next)
	f.cur = taken
	f.branch(int(in.Index))
	f.cur = next
	f.nextChunk(ch)
	f.cur = cont
	return true
}

// chunkBackEdge is chunkGuard for a bottom-tested loop's br_if $l: round
// again while i <u X', else the interrupt test and the next chunk while
// i <u X, else on past the loop's end.
func (f *funcGen) chunkBackEdge(ch *loopChunk, in *w.Instr, i, xc valueT) {
	again, done := f.newBlock(), f.newBlock()
	f.cur.NewCondBr(f.cur.NewICmp(enum.IPredULT, i, xc), again, done)
	f.cur = again
	f.branch(int(in.Index))
	f.cur = done
	next, exit := f.newBlock(), f.newBlock()
	f.cur.NewCondBr(f.cur.NewICmp(enum.IPredULT, f.cur.NewZExt(i, types.I64), f.symValue(ch.bound)), next, exit)
	f.cur = next
	f.nextChunk(ch)
	f.cur = exit
}

// nextChunk ends a chunk that left the loop before its bound: the
// interrupt test, at the loop's offset (the header's test, once per
// chunk), then the next chunk.
func (f *funcGen) nextChunk(ch *loopChunk) {
	saved := f.curOff
	f.curOff = f.offsetOf(f.g.m.Funcs[f.idx].Body, ch.loopPC)
	f.interruptCheck()
	f.curOff = saved
	f.cur.NewBr(ch.outer)
}
