package compile

import (
	"github.com/llir/llvm/ir"
	"github.com/llir/llvm/ir/types"
)

// Stops out of line in functions whose operands live in their slots
// (debug_operands.go; docs/aot-compiler.md "Debug builds of functions
// with deep operand stacks"). An inline stop is two cold blocks: the
// break table byte's test and the helper's call, some thirty LLVM
// instructions for each of the tens of thousands of instructions a
// microhs main has, which llc then spent minutes on. In such functions
// the kept word still picks the fast path inline; when it is set, the
// code commits the frame (header, locals, the stack map: operands are
// in their slots already) and calls the function's stop routine,
// gcs_func_N_stop, with the stop's number, which loads the word afresh,
// tests the break byte, calls the helper if the stop fires and returns
// the word as it is then (kept, as after an inline stop). The commit now
// also happens on an armed word whose byte is clear: it writes what the
// slots are about to hold anyway.

// stopSuffix names a function's stop routine: gcs_func_N_stop.
const stopSuffix = "_stop"

// stopSymbol names defined function i's stop routine.
func stopSymbol(i int) string { return funcSymbol(i) + stopSuffix }

// stopNames lists defined function i's stop routine if it has one, for
// the chunk that holds the function (chunk.go splitModule).
func stopNames(byName map[string]*ir.Func, i int) []string {
	if byName[stopSymbol(i)] == nil {
		return nil
	}
	return []string{stopSymbol(i)}
}

// debugStopOutlined is debugStop for a function whose operands live in
// their slots: stop k at the current offset.
func (f *funcGen) debugStopOutlined(k int64) {
	intr, _ := f.dbgWord()
	from := f.cur
	slow, cont := f.newBlock(), f.newBlock()
	from.NewCondBr(f.wordSet(from, intr), slow, cont)

	f.cur = slow
	clean := f.dbgCleanSave() // the paths past the stop keep it (debug_clean.go)
	f.storeAll()
	f.dbgInvalidate() // the routine may let this thread's debugger run
	w := f.cur.NewCall(f.stopRoutine(), f.env, i64c(k), f.slotPtrAt(0), f.cur.NewPtrToInt(f.next, types.I64))
	f.dbgKeepWord(w)
	f.dbg.w.valid = true
	f.reloadAll() // the locals; the operands are not read back
	f.dbgCleanRestore(clean)
	f.cur.NewBr(cont)
	f.cur = cont
}

// stopRoutine is the function's stop routine, made at first use: (env,
// stop number, slot area, frame end) → the interrupt word.
func (f *funcGen) stopRoutine() *ir.Func {
	if f.stopFn != nil {
		return f.stopFn
	}
	env := ir.NewParam("env", envPtr)
	k, slots, next := ir.NewParam("stop", types.I64), ir.NewParam("slots", slotPtr), ir.NewParam("next", types.I64)
	fn := f.g.newRoutine(stopSymbol(f.idx), types.I64, env, k, slots, next) // alloc_outline.go
	entry, stop, done := fn.NewBlock("entry"), fn.NewBlock("fire"), fn.NewBlock("done")
	word := func(b *ir.Block, w int) valueT { return b.NewGetElementPtr(types.I64, env, i64c(int64(w))) }
	intr := entry.NewLoad(types.I64, word(entry, envInterrupt))
	intr.Volatile = true
	// The break table: instance data word InstBreakTable (gc_heap.go instWord).
	inst := entry.NewIntToPtr(entry.NewLoad(types.I64, word(entry, envGlobals)), slotPtr)
	brk := entry.NewLoad(types.I64, entry.NewGetElementPtr(types.I64, inst, i64c(int64(len(f.g.globals)+InstBreakTable))))
	entry.NewCondBr(stopFires(entry, intr, brk, k), stop, done) // debug.go

	stop.NewStore(next, word(stop, envFrameTop))                  // publishTop
	callOpHelperIn(stop, env, i64c(int64(OpDebugStop)), k, slots) // helpercc.go
	after := stop.NewLoad(types.I64, word(stop, envInterrupt))    // the debugger may have changed it
	after.Volatile = true
	stop.NewBr(done)

	done.NewRet(done.NewPhi(ir.NewIncoming(intr, entry), ir.NewIncoming(after, stop)))
	f.stopFn = fn
	return fn
}
