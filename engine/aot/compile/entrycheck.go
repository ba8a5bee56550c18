package compile

import (
	"github.com/llir/llvm/ir"
	"github.com/llir/llvm/ir/constant"
	"github.com/llir/llvm/ir/enum"
	"github.com/llir/llvm/ir/metadata"
	"github.com/llir/llvm/ir/types"
)

// The release prologue's one check (docs/aot-compiler.md "Function
// entry"): d = native stack pointer - end of the new frame in the slot
// stack, compared (signed) with the record's stack guard. The entry
// trampoline sets the guard so that passing it implies both stack limits;
// setting the interrupt word raises it to the maximum (runtime
// stackguard.go), so the same compare catches interrupts. Its cold path
// checks the two limits exactly (trapping), then calls the interrupt
// helper, which lowers the guard to its base if the word is clear (and
// reads it once more, as the runtime's ordering requires) or else handles
// the interrupt.

// guardedPrologue is the prologue of release and debug builds. The native stack
// position is rsp read with llvm.read_register: unlike llvm.frameaddress
// it needs no frame pointer (rbp stays free for values; in fib the env no
// longer goes to the stack around each call), and unlike the address of an
// alloca it does not stop tail recursion elimination.
func (f *funcGen) guardedPrologue() {
	b := f.cur
	sp := b.NewCall(f.g.intrinsic("llvm.read_register.i64", types.I64, types.Metadata), &metadata.Value{Value: f.g.rspName()})
	endP, checkP := f.inTop, f.inTop
	if !f.g.noFrames {
		endP = b.NewGetElementPtr(types.I64, f.inTop, f.fr.words)
		checkP = b.NewGetElementPtr(types.I64, f.inTop, f.recEntryWords()) // endP, or the levels' (recinline.go)
		if x := f.leafExtra(); x != nil {
			checkP = b.NewGetElementPtr(types.I64, f.inTop, constant.NewAdd(f.recEntryWords(), x)) // and the leaf clones' (leafcall.go)
		}
	}
	end := b.NewPtrToInt(checkP, types.I64)
	guard := b.NewLoad(types.I64, f.envWord(envStackGuard))
	guard.Volatile = true // another thread raises it
	slow, ok := f.newBlock(), f.newBlock()
	f.dbgKeepWord(i64c(0)) // passing the guard: the word is clear (debug_word.go)
	// sp - end < guard, written sp - guard < end (signed; both sides are
	// far from overflowing: addresses below 2^47, the guard a difference
	// of two or INT64_MAX): the frame's end is the callees' top anyway,
	// so a loop made of self-calls carries one pointer, not three.
	f.coldBr(b.NewICmp(enum.IPredSLT, b.NewSub(sp, guard), end), slow, ok)

	f.cur = slow
	f.next = f.inTop // a trap leaves no header of this frame
	nsl := f.cur.NewLoad(types.I64, f.envWord(envNativeStackLimit))
	var bad valueT = f.cur.NewICmp(enum.IPredULT, sp, nsl)
	if !f.g.noFrames {
		lim := f.cur.NewLoad(types.I64, f.envWord(envFrameLimit))
		bad = f.cur.NewOr(f.cur.NewICmp(enum.IPredUGT, end, lim), bad)
	}
	f.trapIf(bad, TrapStackExhausted)
	f.setTop(endP)
	if f.g.dbg != nil {
		// Debug builds handle interrupts at their stops, and the guard
		// stays raised while a breakpoint is set (armed): call the
		// helper only to lower it once the word is clear (loader
		// threads.go copes with bits set in between).
		w := f.cur.NewLoad(types.I64, f.envWord(envInterrupt))
		w.Volatile = true
		f.dbgKeepWord(w)
		lower := f.newBlock()
		f.cur.NewCondBr(f.cur.NewICmp(enum.IPredEQ, w, i64c(0)), lower, ok)
		f.cur = lower
	}
	// The guard is raised: the interrupt helper lowers it again when the
	// word was cleared meanwhile (native/trampoline.c), else handles it.
	f.interruptCall()
	if f.g.dbg != nil {
		f.dbgFreshWord() // the helper may have handled an interrupt
	}
	f.cur.NewBr(ok)

	f.cur = ok
	f.dbgEntered()
	// No header store here: every path to a reader of this frame's
	// header (a call, a helper, a trap) stores it first (commit, emitTrap).
	f.setTop(endP)
}

// setTop sets this frame's header address and its callees' top.
func (f *funcGen) setTop(end valueT) {
	if f.g.noFrames {
		f.next = f.inTop
		return
	}
	f.top, f.next = f.inTop, end
}

// coldBr branches to cold when cond holds, telling LLVM it (almost) never
// does, so the cold block is laid out of line and the hot path's
// registers are allocated for the hot path.
func (f *funcGen) coldBr(cond valueT, cold, hot *ir.Block) {
	br := f.cur.NewCondBr(cond, cold, hot)
	br.Metadata = append(br.Metadata, &metadata.Attachment{Name: "prof", Node: f.g.coldWeights()})
}

// coldWeights is the module's branch_weights node for coldBr.
func (g *modGen) coldWeights() *metadata.Tuple {
	if g.cold == nil {
		g.cold = &metadata.Tuple{MetadataID: -1, Fields: []metadata.Field{
			&metadata.String{Value: "branch_weights"}, constant.NewInt(types.I32, 1), constant.NewInt(types.I32, 1<<20)}}
		g.mod.MetadataDefs = append(g.mod.MetadataDefs, g.cold)
	}
	return g.cold
}

// rspName is the module's !{!"rsp"} node, naming the register
// llvm.read_register reads.
func (g *modGen) rspName() *metadata.Tuple {
	if g.rsp == nil {
		g.rsp = &metadata.Tuple{MetadataID: -1, Fields: []metadata.Field{&metadata.String{Value: "rsp"}}}
		g.mod.MetadataDefs = append(g.mod.MetadataDefs, g.rsp)
	}
	return g.rsp
}
