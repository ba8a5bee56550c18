package compile

import (
	"slices"

	"github.com/llir/llvm/ir"
	"github.com/llir/llvm/ir/enum"
	"github.com/llir/llvm/ir/types"

	w "github.com/gcscope/gcscope/engine/wasm"
)

// Loop versioning: memory sizes that stay put in inner loops.
//
// A function keeps each memory's size in a local and re-reads it after
// every call that may grow the memory (memcache.go). The cold interrupt
// call at each loop header is such a call (its host callback may grow
// the memory), so the size was a loop-carried phi in every loop, and a
// check in a loop was never implied by one before the loop: nbody's inner
// loop re-checked `a.vx` against the size in every iteration although
// the outer loop had checked `a.mass`, further on, against the same size.
//
// An innermost loop that calls nothing (no call of any kind, no memory.grow
// or bulk-memory helper: only arithmetic, locals, globals, loads, stores,
// blocks and branches) is translated twice:
//
//   - the fast copy, entered first, does not re-read the sizes after its
//     interrupt call but compares them with the live sizes: when none
//     changed (the host callback grew nothing, nearly always) it goes on;
//     nothing else in the loop can grow a memory, so the size is loop
//     invariant and LLVM drops or hoists the checks that earlier ones
//     imply;
//   - the slow copy, the code as before, entered at its loop header with
//     the sizes re-read when the interrupt call of the fast copy changed
//     one. The locals live in allocas, so the header is a clean entry:
//     the loop has no parameters and the operands below it dominate both
//     copies.
//
// Both copies leave through the same blocks (block results and loop
// parameters pass through allocas), and meet after the loop's end.

// loopVersions is the function's versioning state.
type loopVersions struct {
	fast bool // translating a fast copy
	// chks are the fast copies' post-interrupt blocks, finished once the
	// function's memories are known (finishLoopVersions).
	chks  []loopChk
	calls map[*ir.InstCall]bool // the fast copies' interrupt calls
	// refLocals is 0 until known, then 1 (no reference locals) or 2.
	refLocals int
	// guards are the guarded accesses of the fast copy being translated
	// (loopguard.go), by pc.
	guards map[int]loopGuard
	// chunk is the plan of the fast copy being translated when it runs
	// in chunks (loopchunk.go).
	chunk *loopChunk
	// slowLoop is where a debug build's fast copy enters the slow one,
	// and back how the slow one returns (debug_loops.go).
	slowLoop *ir.Block
	back     *loopBack
}

// loopChk is one fast copy's interrupt continuation: chk compares the
// sizes and goes on to cont, or re-reads them in transfer and enters the
// slow copy's loop at slow.
type loopChk struct {
	chk, cont, transfer, slow *ir.Block
}

// maxVersionedLoop bounds the instructions of a loop worth two copies.
const maxVersionedLoop = 400

// versionLoopEnd returns the index after the end of the loop at body[pc]
// when it is versioned, else pc.
func (f *funcGen) versionLoopEnd(body []w.Instr, pc int) int {
	if body[pc].Op != w.OpLoop || f.g.noLoopVersions || f.dead || f.bp == nil || f.probing() {
		return pc
	}
	if ps, rs, err := f.blockSig(body[pc].Block); err != nil || len(ps) > 0 || len(rs) > 0 {
		return pc
	}
	if f.lv.refLocals == 0 {
		f.lv.refLocals = 1
		for _, t := range f.fr.lwasm {
			if t.Kind == w.KindRef {
				f.lv.refLocals = 2
			}
		}
	}
	if f.lv.refLocals == 2 {
		return pc // keep reference commits out of it
	}
	depth := 0
	var addrs []boundsSym
	set := map[uint32]bool{}
	for i := pc + 1; i < len(body) && i-pc <= maxVersionedLoop; i++ {
		op := body[i].Op
		switch {
		case op == w.OpEnd:
			if depth > 0 {
				depth--
				continue
			}
			if f.g.dbg != nil {
				return i + 1 // a fast copy without stops (debug_loops.go)
			}
			// Worth a second copy only when an access's address is a
			// local the loop does not assign: its checks may be implied
			// by checks before the loop, given a size that stays put.
			for _, a := range addrs {
				if a.kind == symLocal && !set[a.local] {
					return i + 1
				}
			}
			// Or when an access is guarded by a test of its address
			// against a loop invariant bound (loopguard.go).
			// Or when it can run in chunks (loopchunk.go).
			if guards, _ := f.planLoopGuards(body, pc, i+1); len(guards) > 0 || planLoopChunk(body, pc, i+1) != nil {
				return i + 1
			}
			return pc
		case op == w.OpLocalSet || op == w.OpLocalTee:
			set[body[i].Index] = true
		case op == w.OpBlock || op == w.OpIf:
			depth++
		case op == w.OpElse, op == w.OpBr, op == w.OpBrIf, op == w.OpBrTable:
		case isMemOp(op):
			if a, ok := f.bp.addr[i]; ok && !f.g.memType(body[i].Index).Shared {
				addrs = append(addrs, a)
			}
		case !loopSafeOp(op):
			return pc
		}
	}
	return pc
}

func isMemOp(op w.Opcode) bool { _, ok := memOps[op]; return ok }

// loopSafeOp reports whether op calls nothing (so grows no memory) and
// needs no reference commits: locals, globals, constants, numeric
// instructions (traps included: they do not return).
func loopSafeOp(op w.Opcode) bool {
	switch {
	case op >= w.OpI32Const && op <= w.OpI64Extend32S:
		return true
	case op >= w.OpI32TruncSatF32S && op <= w.OpI64TruncSatF64U:
		return true
	}
	switch op {
	case w.OpNop, w.OpDrop, w.OpSelect, w.OpLocalGet, w.OpLocalSet, w.OpLocalTee,
		w.OpGlobalGet, w.OpGlobalSet, w.OpMemorySize:
		return true
	}
	return false
}

// versionLoop translates body[pc:end], a loop versionLoopEnd accepted,
// as the fast copy and the slow copy, and joins them after the loop.
func (f *funcGen) versionLoop(body []w.Instr, pc, end int, step func(pc int) error) error {
	savedStack, savedCtrls := slices.Clone(f.stack), slices.Clone(f.ctrls)
	first := len(f.lv.chks)
	slowPre := f.newBlock()
	guards, entry := f.planLoopGuards(body, pc, end)
	chunk := planLoopChunk(body, pc, end)
	var bad valueT
	if len(guards) > 0 || chunk != nil {
		bad = f.guardBad(guards, entry) // loopguard.go
		if chunk != nil {
			bad = f.cur.NewOr(bad, f.chunkBad(chunk)) // loopchunk.go
		}
	}
	bad, dbgEntry := f.debugLoopEntry(bad, slowPre) // debug_loops.go
	var fastPre *ir.Block
	if bad != nil {
		// The checked copy is the cold one: a loop that may run past the
		// memory is the exception.
		fastPre = f.newBlock()
		f.coldBr(bad, slowPre, fastPre)
		f.cur = fastPre
	}
	f.lv.guards, f.lv.chunk = guards, chunk
	err := stepRange(pc, end, step, &f.lv.fast)
	f.lv.guards, f.lv.chunk = nil, nil
	if err != nil {
		return err
	}
	f.lt.tag(f.curOff)
	fastEnd, fastDead, fastStack := f.cur, f.dead, slices.Clone(f.stack)
	fastValid, fastClean := f.debugFastEnd()

	for i := first; i < len(f.lv.chks); i++ {
		f.lv.chks[i].slow = slowPre
	}
	f.cur, f.stack, f.ctrls, f.dead = slowPre, savedStack, savedCtrls, false
	f.debugLoopSlow(dbgEntry, pc, fastPre, guards, entry, chunk)
	err = f.loopSlowCopy(body, pc, end, step)
	f.lv.back = nil
	if err != nil {
		return err
	}
	if fastDead && f.dead {
		return nil // both copies end in a branch
	}
	join := f.newBlock()
	if !fastDead {
		fastEnd.NewBr(join)
	}
	if !f.dead {
		slowEnd := f.cur
		slowEnd.NewBr(join)
		if !fastDead {
			f.debugLoopJoin(fastValid, fastClean)
			f.joinStacks(join, fastEnd, fastStack, slowEnd)
		}
	} else {
		f.stack = fastStack
		f.debugLoopState(debugLoopState{valid: fastValid, clean: fastClean})
	}
	f.cur, f.dead = join, false
	return nil
}

// fastInterruptTail ends a fast copy's interrupt block (after the
// helper call c): the size comparison comes later (finishLoopVersions),
// when the function's memories are known.
func (f *funcGen) fastInterruptTail(cont *ir.Block) {
	c := f.cur.Insts[len(f.cur.Insts)-1].(*ir.InstCall) // interruptCall's
	chk, transfer := f.newBlock(), f.newBlock()
	f.cur.NewBr(chk)
	f.lv.chks = append(f.lv.chks, loopChk{chk: chk, cont: cont, transfer: transfer})
	if f.lv.calls == nil {
		f.lv.calls = map[*ir.InstCall]bool{}
	}
	f.lv.calls[c] = true
}

// finishLoopVersions fills the fast copies' post-interrupt blocks: go on
// when every non-shared memory the function caches has its cached size,
// else re-read them all and enter the slow copy. Run before refreshSizes,
// which leaves the fast copies' interrupt calls alone.
func (f *funcGen) finishLoopVersions() {
	for _, c := range f.lv.chks {
		var changed valueT = i1c(false)
		for _, k := range f.cachedNonShared() {
			live := f.loadLive(c.chk, k, f.mc.sizePtr[k])
			cached := c.chk.NewLoad(types.I64, f.mc.size[k])
			changed = c.chk.NewOr(changed, c.chk.NewICmp(enum.IPredNE, live, cached))
		}
		cur := f.cur
		f.cur = c.chk
		f.coldBr(changed, c.transfer, c.cont)
		f.cur = cur
		for _, k := range f.cachedNonShared() {
			c.transfer.NewStore(f.loadLive(c.transfer, k, f.mc.sizePtr[k]), f.mc.size[k])
		}
		c.transfer.NewBr(c.slow)
	}
}

// cachedNonShared lists the non-shared memories whose size the function
// caches, in index order.
func (f *funcGen) cachedNonShared() []uint32 {
	var ks []uint32
	for k := range f.mc.size {
		if !f.g.memType(k).Shared {
			ks = append(ks, k)
		}
	}
	slices.Sort(ks)
	return ks
}

// fastCall reports whether c is a fast copy's interrupt call, after which
// refreshSizes re-reads nothing.
func (f *funcGen) fastCall(c *ir.InstCall) bool { return f.lv.calls[c] }

// joinStacks merges, in join, the operand stack of two copies of the same
// code: aStack as copy A left it at aEnd, f.stack as copy B left it at
// bEnd. An operand the copies hold as different values becomes a phi (a
// root if either is).
func (f *funcGen) joinStacks(join, aEnd *ir.Block, aStack []valueT, bEnd *ir.Block) {
	for i, v := range f.stack {
		if av := aStack[i]; av != v {
			phi := join.NewPhi(ir.NewIncoming(av, aEnd), ir.NewIncoming(v, bEnd))
			if f.isRef(v) || f.isRef(av) {
				f.fr.refs[phi] = true
			}
			f.stack[i] = phi
		}
	}
}
