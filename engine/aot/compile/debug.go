package compile

import (
	"encoding/binary"
	"fmt"

	"github.com/llir/llvm/ir"
	"github.com/llir/llvm/ir/enum"
	"github.com/llir/llvm/ir/types"

	"github.com/gcscope/gcscope/engine/aot/aotfile"
	"github.com/gcscope/gcscope/engine/wasm"
)

// Debug builds (Options.Debug). Before every instruction the interpreter's
// debug code can stop at, the code tests the env's interrupt word and,
// when it is non-zero, the instruction's byte in the instance's break table (one byte
// per stop, numbered across the module as the debugstops section lists
// them). Both are volatile loads, so a loop without calls still sees a
// breakpoint set or a pause asked for while it runs. When either is
// non-zero the code stores the frame header (function, offset), every
// local and every operand into the frame's slot area in the interpreter's
// numbering, publishes the frame top and calls the op helper with
// OpDebugStop; on return it reloads every local and operand from the
// slots, so the debugger reads and writes (`set`) exactly what the
// interpreter's frames hold. Nothing else changes on the fast path: the
// values stay in registers, and since the slow path reloads all of them,
// none is live across the helper call.
//
// The break table's address is the instance data word InstBreakTable
// (abi.go), loaded on a stop's cold path.
//
// These tests are the slow copy of each run of straight-line code; the
// fast copy, taken when the interrupt word is zero at the run's start,
// has none (debug_runs.go).

// OpDebugStop is the pseudo-opcode debug builds pass to the op helper at a
// stop: its immediate is the stop's number in the module's break table.
// It lies outside every Wasm opcode space (prefixes use the high byte).
const OpDebugStop wasm.Opcode = 0x7fff_fff0

// SectionDebugStops is the optional section of debug builds listing, per
// defined function, the Wasm offsets where the code tests for a stop:
// u32 function count, then per function a u32 count and that many u32
// offsets in code order. The stops are numbered across the module in this
// order (the break table's indices).
const SectionDebugStops = aotfile.FirstOptionalID + 0x10

// debugGen is what a debug build's translation keeps for the module.
type debugGen struct {
	stops [][]uint32 // per defined function, the stops' Wasm offsets
	next  int64      // the next stop's number
	// first is each translated function's first stop number, for its
	// leaf clone's (debug_leaf.go).
	first map[int]int64
	// slotsWork is the locals x instructions above which a function's
	// locals live in their slots (debug_slots.go).
	slotsWork int
	// homes says which defined functions keep their operands in their
	// slots (debug_operands.go), plain which keep their locals or their
	// operands there (debugPlainFuncs).
	homes, plain []bool
}

// funcDebug is one function's debug state.
type funcDebug struct {
	// pre is the operand stack before the instruction being translated:
	// what a trap in it commits, as the interpreter's frame holds it.
	pre []valueT
	// noStops is set while a run's fast copy is translated, stopDone
	// when a run has tested the stop of the instruction after it
	// (debug_runs.go).
	noStops, stopDone bool
	w                 wordState // the kept interrupt word (debug_word.go)
	// owed is the commit a lazy level call passes (debug_owed.go), paid
	// the variable its callee flags the payment in.
	owed []valueT
	paid *ir.InstAlloca
	sl   slotLocals   // locals kept in their slots (debug_slots.go)
	oh   homeOperands // operands kept in their slots (debug_operands.go)
}

// isStop reports whether the interpreter's debug code has an instruction
// of its own for op (so a breakpoint or a step can stop there): nop,
// block, loop, drop and a block's end compile to nothing there, nor do
// try and try_table (a handler's range opens) and delegate (a try's
// end); the function's end is tested where every path to it meets
// (debugFuncEnd). catch and catch_all are stops: the body falling
// through jumps to the try's end there.
func isStop(op wasm.Opcode) bool {
	switch op {
	case wasm.OpNop, wasm.OpBlock, wasm.OpLoop, wasm.OpDrop, wasm.OpEnd,
		wasm.OpTry, wasm.OpTryTable, wasm.OpDelegate:
		return false
	}
	return true
}

// debugBefore tests for a stop before in, in reachable code.
func (f *funcGen) debugBefore(in *wasm.Instr) {
	if f.g.dbg == nil || f.dead {
		return
	}
	if isStop(in.Op) && !f.dbg.noStops && !f.lv.fast && !f.dbg.stopDone {
		f.debugStop()
	}
	f.dbg.stopDone = false
	f.dbg.pre = append(f.dbg.pre[:0], f.stack...)
	f.dbg.oh.low = len(f.stack)
}

// debugTrap commits the frame before a trap (the header with the
// trapping offset, every local, the operands as they were before the
// instruction), so the debugger shows the frames a trap left as it does
// the interpreter's. The prologue's own trap has no frame yet.
func (f *funcGen) debugTrap() {
	if f.g.dbg == nil || f.top == nil {
		return
	}
	f.cur.NewStore(f.frameWord(f.curOff), f.top)
	for i := range f.locals {
		f.commitLocal(i) // none when the locals live in their slots (debug_slots.go)
	}
	if f.operandsInSlots() {
		f.homeTrapStores(f.dbg.pre) // debug_operands.go
		return
	}
	below := uint32(0)
	for _, v := range f.dbg.pre {
		f.storeSlot(f.fr.slots.Operand(below), v)
		below += uint32(slotWidth(v.Type()))
	}
}

// debugFuncEnd tests for a stop at the function's end, after the paths
// falling through and branching to it have met (the interpreter's return
// at the end is where its branches to the function's label go).
func (f *funcGen) debugFuncEnd() {
	if f.g.dbg != nil {
		f.debugStop()
	}
}

// debugReturn is `return` in a debug build: it returns right away rather
// than through the function's end, so it does not pass the end's stop
// (the interpreter's return does not either).
func (f *funcGen) debugReturn() bool {
	if f.g.dbg == nil {
		return false
	}
	f.ret()
	return true
}

// debugResults stores a returning function's results in its slots 0..,
// where the interpreter leaves them, for the debugger's `finish`. A
// finish pending for this thread keeps its word non-zero (the return
// breakpoint arms it) from the stop where it was asked for, a helper
// call in this frame or a callee, so with a kept word at hand
// (debug_word.go) the results are stored only when it is non-zero: on
// the fast path the end's stop test and this one are the same branch.
func (f *funcGen) debugResults(rs []valueT) {
	if f.g.dbg == nil || f.top == nil || len(rs) == 0 {
		return
	}
	var cont *ir.Block
	if f.dbg.w.valid && f.dbgReuse() {
		w := f.cur.NewLoad(types.I64, f.dbgWordVar())
		set := f.wordSet(f.cur, w)
		store := f.newBlock()
		cont = f.newBlock()
		f.cur.NewCondBr(set, store, cont)
		f.cur = store
	}
	k := uint32(0)
	for _, v := range rs {
		f.storeSlot(k, v)
		k += uint32(slotWidth(v.Type()))
	}
	if cont != nil {
		f.cur.NewBr(cont)
		f.cur = cont
	}
}

// InterruptArmed is the interrupt word bit the loader sets in every
// thread of a store while any breakpoint is set in a debug build: only
// then does the stop test read its break table byte, so the fast path
// is one load and a branch.
const InterruptArmed = 1 << 28

// debugStop emits the test and the cold stop path at the current offset:
// the interrupt word is non-zero (cold) → some other bit than
// InterruptArmed is set, or the stop's break byte is → commit and call
// the helper.
func (f *funcGen) debugStop() {
	g := f.g.dbg
	k := g.next
	g.next++
	g.stops[f.idx] = append(g.stops[f.idx], f.curOff)
	if f.operandsInSlots() {
		f.debugStopOutlined(k) // debug_stop_outline.go
		return
	}
	intr, fresh := f.dbgWord()
	from := f.cur
	set := f.wordSet(from, intr)
	check, slow, cont := f.newBlock(), f.newBlock(), f.newBlock()
	from.NewCondBr(set, check, cont)

	// The word is set: a pause, a stop-the-world, stepping, or only
	// armed, when the break byte decides. A kept word only said to look:
	// the bits come from a fresh load (debug_word.go).
	f.cur = check
	if !fresh {
		intr = f.dbgFreshWord()
	}
	check.NewCondBr(stopFires(f.cur, intr, f.instWord(InstBreakTable), i64c(k)), slow, cont)

	f.cur = slow
	clean := f.dbgCleanSave() // the paths past the stop keep it (debug_clean.go)
	f.storeAll()
	f.publishTop()
	h := f.helper(HelperOp, types.I64, envPtr, types.I64, types.I64, slotPtr)
	f.cur.NewCall(h, f.env, i64c(int64(OpDebugStop)), i64c(k), f.slotPtrAt(0))
	f.dbgFreshWord() // the debugger may have changed it
	reloaded := f.reloadAll()
	f.dbgCleanRestore(clean)
	slowEnd := f.cur
	slowEnd.NewBr(cont)

	f.cur = cont
	for i, v := range f.stack {
		if i < f.blockBase() {
			continue // see blockBase
		}
		phi := cont.NewPhi(ir.NewIncoming(v, from), ir.NewIncoming(v, check), ir.NewIncoming(reloaded[i], slowEnd))
		if f.isRef(v) {
			f.fr.refs[phi] = true
		}
		f.stack[i] = phi
	}
}

// stopFires is, in block b, whether stop k fires with the interrupt word
// intr: a bit other than InterruptArmed is set, or the stop's byte in the
// break table (its address brk, an i64) is; the byte is read volatile,
// as another thread sets it.
func stopFires(b *ir.Block, intr, brk, k valueT) valueT {
	flag := b.NewLoad(types.I8, b.NewGetElementPtr(types.I8, b.NewIntToPtr(brk, types.I8Ptr), k))
	flag.Volatile = true
	other := b.NewAnd(intr, i64c(^int64(InterruptArmed)))
	return b.NewICmp(enum.IPredNE, b.NewOr(other, b.NewZExt(flag, types.I64)), i64c(0))
}

// storeAll commits the frame for a stop: the header with the current
// offset, every local and every operand in its slot (a v128 in two), the
// caught exnrefs of the legacy tries the code is in, and the stack map of
// the offset (the references among them).
func (f *funcGen) storeAll() {
	f.payOwed() // a stop or a safepoint of a level (debug_owed.go)
	f.cur.NewStore(f.frameWord(f.curOff), f.top)
	var live []uint32
	for i := range f.locals {
		s := f.fr.slots.Local(uint32(i))
		if !f.dbgLocalClean(i) { // else the slot holds it (debug_clean.go)
			f.commitLocal(i) // debug_slots.go
		}
		if f.fr.lwasm[i].IsRef() {
			live = append(live, s)
		}
	}
	below := uint32(0)
	for _, v := range f.stack {
		s := f.fr.slots.Operand(below)
		if !f.operandsInSlots() { // else pushed there (debug_operands.go)
			f.storeSlot(s, v)
		}
		if f.isRef(v) {
			live = append(live, s)
		}
		below += uint32(slotWidth(v.Type()))
	}
	live = f.storeLegacyExnrefs(live)
	f.recordMap(live)
}

// reloadAll reads every local back into its variable and returns the
// operands as read from their slots.
func (f *funcGen) reloadAll() []valueT {
	for i := range f.locals {
		f.reloadLocal(i, false) // debug_slots.go
	}
	out := make([]valueT, len(f.stack))
	if f.operandsInSlots() {
		return out // not read back (debug_operands.go)
	}
	below := uint32(0)
	for i, v := range f.stack {
		if i >= f.blockBase() {
			out[i] = f.loadSlot(f.fr.slots.Operand(below), v.Type())
		}
		below += uint32(slotWidth(v.Type()))
	}
	return out
}

// blockBase is the index of the innermost block's first operand. Only
// operands from there on are reloaded after a stop or a call: the
// translation keeps each operand below a block as the one SSA value it
// was at the block's start (else arms, handlers and the code after the
// block use it, not reached through the stop), so replacing it would
// not dominate those uses. The debugger can read those operands (they
// are committed) but a `set` of one does not reach the code.
func (f *funcGen) blockBase() int {
	if len(f.ctrls) == 0 {
		return 0
	}
	return f.ctrls[len(f.ctrls)-1].height
}

// debugReload reads the frame back after a call returns, on the path
// without an exception: while the callee ran, a debugger stopped deeper
// in the stack may have set this frame's locals or operands (`up`, then
// `set`), as it can in the interpreter's frames. The call's commit wrote
// every value, so the slots are current. The operands reloaded are those
// below the call's arguments (see blockBase), not the top results the
// call has already pushed.
func (f *funcGen) debugReload(results int) {
	if f.g.dbg != nil {
		f.dbgInvalidate()
	}
	if f.g.dbg == nil || f.top == nil || f.dead {
		return
	}
	for i := range f.locals {
		f.reloadLocal(i, true) // debug_slots.go
	}
	f.dbgCleanAll()
	if f.operandsInSlots() {
		return // not read back (debug_operands.go)
	}
	below := uint32(0)
	for i, v := range f.stack[:len(f.stack)-results] {
		if i >= f.blockBase() {
			nv := f.reloadSlot(f.fr.slots.Operand(below), v.Type())
			if f.isRef(v) {
				f.fr.refs[nv] = true
			}
			f.stack[i] = nv
		}
		below += uint32(slotWidth(v.Type()))
	}
}

// storeSlot writes v to slot s of the frame (and s+1 for a v128).
func (f *funcGen) storeSlot(s uint32, v valueT) {
	putSlot(f.cur, f.slotPtrAt(s), 0, v)
}

// loadSlot reads a value of LLVM type t from slot s of the frame.
func (f *funcGen) loadSlot(s uint32, t types.Type) valueT {
	v, _ := getSlot(f.cur, f.slotPtrAt(s), 0, t)
	return v
}

// reloadSlot reads a value of LLVM type t from slot s after a call, with
// a volatile load of the slot's own width: LLVM otherwise merges the
// reloads of neighbouring slots into one vector load, which spans two of
// the word stores the call's commit has just made, so the processor
// cannot forward them and stalls (a third of fib(30)'s debug build time).
func (f *funcGen) reloadSlot(s uint32, t types.Type) valueT {
	b := f.cur
	if isV128(t) {
		ld := b.NewLoad(v128T, b.NewBitCast(f.slotPtrAt(s), types.NewPointer(v128T)))
		ld.Align = 8
		ld.Volatile = true
		return ld
	}
	ld := b.NewLoad(types.I64, f.slotPtrAt(s))
	ld.Volatile = true
	return fromSlot(b, ld, t)
}

// encodeDebugStops is the debugstops section's payload.
func encodeDebugStops(stops [][]uint32) []byte {
	b := binary.LittleEndian.AppendUint32(nil, uint32(len(stops)))
	for _, s := range stops {
		b = binary.LittleEndian.AppendUint32(b, uint32(len(s)))
		for _, o := range s {
			b = binary.LittleEndian.AppendUint32(b, o)
		}
	}
	return b
}

// debugStops returns defined function i's stops (nil in release builds).
func (g *modGen) debugStops(i int) []uint32 {
	if g.dbg == nil {
		return nil
	}
	return g.dbg.stops[i]
}

// DecodeDebugStops reads a debugstops section for n defined functions:
// each function's stop offsets, in code order.
func DecodeDebugStops(b []byte, n int) ([][]uint32, error) {
	u32 := func() (uint32, bool) {
		if len(b) < 4 {
			return 0, false
		}
		v := binary.LittleEndian.Uint32(b)
		b = b[4:]
		return v, true
	}
	cnt, ok := u32()
	if !ok || int(cnt) != n {
		return nil, fmt.Errorf("aot: the debugstops section lists %d functions, the file has %d", cnt, n)
	}
	out := make([][]uint32, n)
	for i := range out {
		k, ok := u32()
		if !ok || uint64(k)*4 > uint64(len(b)) {
			return nil, fmt.Errorf("aot: the debugstops section is truncated at function %d", i)
		}
		out[i] = make([]uint32, k)
		for j := range out[i] {
			out[i][j], _ = u32()
		}
	}
	if len(b) != 0 {
		return nil, fmt.Errorf("aot: the debugstops section has %d bytes after its last function", len(b))
	}
	return out, nil
}
