package compile

import (
	"fmt"

	"github.com/llir/llvm/ir"
	"github.com/llir/llvm/ir/enum"
	"github.com/llir/llvm/ir/types"

	"github.com/gcscope/gcscope/engine/wasm"
)

// ctrl is one entry of the control stack while a body is translated.
// Values that flow along branches go through allocas (resVars for a
// block's end, parVars for a loop's header), which opt's mem2reg turns
// into phis; that keeps this translation a single forward pass.
type ctrl struct {
	op              wasm.Opcode // OpBlock, OpLoop, OpIf, or 0 for the body
	params, results []types.Type
	// wparams and wresults are the same as Wasm types; the body's ctrl
	// has wresults only.
	wparams, wresults []wasm.ValType
	height            int // operand stack height below the params
	end, header       *ir.Block
	elseB             *ir.Block // an if's else side, until `else` is seen
	resVars           []*ir.InstAlloca
	parVars           []*ir.InstAlloca
	paramVals         []valueT // an if's params, again for the else side
	dead              bool     // opened in unreachable code: no blocks at all
	endReached        bool
	h                 *handler // try_table and legacy try (exn.go)
}

// funcGen translates one function body.
type funcGen struct {
	g       *modGen
	idx     int // defined index
	fn      *ir.Func
	ft      *wasm.CompositeType
	env     valueT
	entry   *ir.Block
	cur     *ir.Block
	locals  []*ir.InstAlloca
	ltypes  []types.Type
	stack   []valueT
	ctrls   []*ctrl
	dead    bool
	top     valueT // this frame's header address (nil without headers)
	inTop   valueT // the top parameter
	next    valueT // the callees' top: the word after this frame's header
	fid     int64  // function index space index, for frame headers
	out     valueT // the out pointer of a multi-result function
	curOff  uint32
	scratch *ir.InstAlloca // argument/result slots for helper calls
	nScr    int
	exn     funcExn // exception propagation state (exn.go)
	fr      frameState
	mc      memCache                 // memory bases and known sizes (memcache.go)
	dbg     funcDebug                // debug builds (debug.go)
	lt      *lineTagger              // line tables (lines.go), or nil
	mm      blockMemo                // per-block fixed values (block_memo.go)
	traps   map[sharedTrap]trapBlock // release trap blocks (trap_share.go)
	bp      *boundsPlan              // coalesced bounds checks (boundsgroup.go)
	lv      loopVersions             // versioned inner loops (loopversion.go)
	rec     *recLevel                // the level of a function inlined into itself (recinline.go)
	hcalls  helperCalls              // helper pointers, for their calling convention (helpercc.go)

	held         heldSlots    // what the current block's commits stored (commit_elide.go)
	outlineAlloc bool         // allocations call allocFn (alloc_outline.go)
	allocFn      *ir.Func     // the function's allocator, made at first use
	stopFn       *ir.Func     // a debug build's stop routine (debug_stop_outline.go)
	opFacts      operandFacts // operands proved non-null or never i31 (nonnull.go)
	hw           headerWords  // header words loaded at entry (gc_hoist.go)
	// unrollNoCheck leaves the interrupt test out of the loop header
	// being made: a loop's second copy (loopunroll.go).
	unrollNoCheck bool
	// refCases says a switch of direct calls is call_ref's (leafcall.go).
	refCases bool
	// refOwe is the commit a call_ref leaves to its switch's paths
	// (callref_owed.go), while its switch is translated.
	refOwe *pendingCommit
	// refLands are the blocks where a call_ref's likely targets matched
	// (callref_likely.go), joined to their cases by switchCall.
	refLands map[int]*ir.Block
	// cursorVar holds the allocation cursor (alloc_cursor.go), or nil.
	cursorVar valueT
}

func (g *modGen) genFunc(i int) error {
	g.dbgNoteFirstStop(i) // debug_leaf.go
	var rec *recLevel
	if r := g.rec[i]; r != nil {
		rec = &recLevel{fn: r}
		if g.dbg != nil {
			r.firstStop = g.dbg.next
		}
	}
	fi, err := g.genLevel(i, g.funcs[i], rec)
	if err != nil {
		return err
	}
	g.frames[i] = fi
	return nil
}

// genLevel translates defined function i's body into fn: the function
// itself, or one of its levels (recinline.go).
func (g *modGen) genLevel(i int, fn *ir.Func, rec *recLevel) (frameInfo, error) {
	ft, err := g.funcType(uint32(g.nImpFunc + i))
	if err != nil {
		return frameInfo{}, err
	}
	f := &funcGen{g: g, idx: i, fn: fn, ft: ft, env: fn.Params[0], inTop: fn.Params[1], fid: int64(g.nImpFunc + i), rec: rec}
	f.outlineAlloc = rec == nil && g.outlinesAllocs(i) // alloc_outline.go
	f.lt = g.lines.tagger(fn)
	f.opFacts = g.nullFacts(i)
	f.entry = fn.NewBlock("entry")
	body := fn.NewBlock("body")
	f.cur = body
	for k, p := range ft.Params {
		a := f.alloca(mustType(p))
		f.entry.NewStore(fn.Params[2+k], a)
		f.locals = append(f.locals, a)
		f.ltypes = append(f.ltypes, mustType(p))
	}
	if len(ft.Results) > 1 {
		f.out = fn.Params[2+len(ft.Params)] // before a level's owed header (recowed.go)
	}
	def := &g.m.Funcs[i]
	if len(def.Locals) > 50000 {
		return frameInfo{}, unsupported("more than 50000 locals")
	}
	f.initFrame(ft.Params, def.Locals)
	for _, lt := range def.Locals {
		t, err := llType(lt)
		if err != nil {
			return frameInfo{}, err
		}
		a := f.alloca(t)
		f.entry.NewStore(zero(t), a)
		f.locals = append(f.locals, a)
		f.ltypes = append(f.ltypes, t)
	}
	f.curOff = f.entryOffset()
	f.planFuncBounds()
	f.prologue()
	f.debugSlotsInit()    // debug_slots.go
	f.debugOperandsInit() // debug_operands.go
	res := make([]types.Type, len(ft.Results))
	for k, r := range ft.Results {
		res[k] = mustType(r)
	}
	f.ctrls = []*ctrl{{results: res, wresults: ft.Results, end: fn.NewBlock("ret"), resVars: f.allocas(res)}}
	f.lt.tag(0) // the prologue belongs to no instruction
	step := func(pc int) error {
		in := &def.Body[pc]
		f.fr.pc = pc
		if pc > 0 {
			f.lt.tag(f.curOff)
		}
		f.curOff = f.offsetOf(def.Body, pc)
		f.owedStep(in.Op) // recowed.go
		f.debugBefore(in)
		if err := f.instr(in); err != nil {
			return fmt.Errorf("at offset %d (%s): %w", in.Offset, in.Op, err)
		}
		return nil
	}
	for pc := 0; pc < len(def.Body); pc++ {
		f.probeStep(&def.Body[pc]) // recprobe.go
		if end := f.versionLoopEnd(def.Body, pc); end > pc {
			if err := f.versionLoop(def.Body, pc, end, step); err != nil {
				return frameInfo{}, err
			}
			pc = end - 1
			continue
		}
		if end := f.unrollLoopEnd(def.Body, pc); end > pc {
			if err := f.unrollLoop(def.Body, pc, end, step); err != nil { // loopunroll.go
				return frameInfo{}, err
			}
			pc = end - 1
			continue
		}
		if end := f.debugRunEnd(def.Body, pc); end > pc {
			if err := f.debugRun(def.Body, pc, end, step); err != nil {
				return frameInfo{}, err
			}
			pc = end - 1
			continue
		}
		if err := step(pc); err != nil {
			return frameInfo{}, err
		}
		if len(f.ctrls) == 0 {
			break
		}
	}
	f.lt.tag(f.curOff)
	if f.entry.Term == nil {
		f.entry.NewBr(body)
	}
	f.finishLoopVersions()
	f.reloadCursor() // alloc_cursor.go
	f.refreshSizes() // memory sizes re-read after calls (memcache.go)
	f.elideCommits() // stores of values the slots already hold (commit_elide.go)
	f.finishTraps()  // trap_share.go
	if err := f.finishFrame(); err != nil {
		return frameInfo{}, err
	}
	f.hcalls.apply(f.fn) // helper calls use preserve_most (helpercc.go)
	f.lt.finish()
	return frameInfo{slots: f.frameSlots(), locals: f.fr.slots.NumLocals(), maps: f.stackMaps(), stops: f.g.debugStops(i),
		operandsHome: f.g.dbg != nil && f.operandsInSlots()}, nil
}

func zero(t types.Type) valueT {
	switch t {
	case types.I32:
		return i32c(0)
	case types.I64:
		return i64c(0)
	case types.Float:
		return f32c(0)
	case v128T:
		return zeroV(v128T)
	}
	return f64c(0)
}

// alloca adds a stack slot in the entry block, where mem2reg looks.
func (f *funcGen) alloca(t types.Type) *ir.InstAlloca {
	return f.entry.NewAlloca(t)
}

func (f *funcGen) allocas(ts []types.Type) []*ir.InstAlloca {
	out := make([]*ir.InstAlloca, len(ts))
	for k, t := range ts {
		out[k] = f.alloca(t)
	}
	return out
}

// scratchSlots returns n i64 slots for passing values to and from helpers.
func (f *funcGen) scratchSlots(n int) valueT {
	if n == 0 {
		n = 1
	}
	if f.scratch == nil || n > f.nScr {
		f.scratch = f.entry.NewAlloca(types.NewArray(uint64(n), types.I64))
		f.nScr = n
	}
	return f.cur.NewBitCast(f.scratch, slotPtr)
}

func (f *funcGen) push(v valueT) {
	f.stack = append(f.stack, v)
	h := f.noteHeight()
	f.homePush(len(f.stack)-1, h-uint32(slotWidth(v.Type()))) // debug_operands.go
}

func (f *funcGen) pop() valueT {
	if len(f.stack) == 0 {
		panic("aot: operand stack underflow in a validated module")
	}
	v := f.stack[len(f.stack)-1]
	f.stack = f.stack[:len(f.stack)-1]
	return v
}

func (f *funcGen) popN(n int) []valueT {
	vs := append([]valueT(nil), f.stack[len(f.stack)-n:]...)
	f.stack = f.stack[:len(f.stack)-n]
	return vs
}

// envWord addresses word w of the exec env record.
func (f *funcGen) envWord(w int) valueT {
	return f.memo(memoKey{memoEnvAddr, int64(w)}, func() valueT {
		return f.cur.NewGetElementPtr(types.I64, f.env, i64c(int64(w)))
	})
}

// loadEnv reads word w of the exec env record; a fixed word is read once
// per block (block_memo.go).
func (f *funcGen) loadEnv(w int) valueT {
	if !fixedEnvWord(w) {
		return f.cur.NewLoad(types.I64, f.envWord(w))
	}
	return f.memo(memoKey{memoEnvLoad, int64(w)}, func() valueT { return f.cur.NewLoad(types.I64, f.envWord(w)) })
}

// newBlock starts a basic block (not yet current).
func (f *funcGen) newBlock() *ir.Block { return f.fn.NewBlock("") }

// frameWord is the frame header word: function index and Wasm offset.
func (f *funcGen) frameWord(off uint32) valueT { return i64c(f.fid<<32 | int64(off)) }

// prologue checks the call depth and the native stack: one compare
// against the stack guard (entrycheck.go), which stores no header.
// Callees get the word after the frame (DESIGN.md section 5).
func (f *funcGen) prologue() {
	if f.recPrologue() {
		return // a level inlined into the function (recinline.go)
	}
	if f.specPrologue() {
		return // a debug build's fast version (debug_spec.go)
	}
	f.guardedPrologue() // one compare for both limits and interrupts
	f.specDispatch()    // debug_spec.go
}

// offsetOf is body[pc]'s offset as frames and stops record it.
func (f *funcGen) offsetOf(body []wasm.Instr, pc int) uint32 {
	if f.g.useIndex {
		return uint32(pc)
	}
	return body[pc].Offset
}

func (f *funcGen) entryOffset() uint32 {
	body := f.g.m.Funcs[f.idx].Body
	if len(body) > 0 && !f.g.useIndex {
		return body[0].Offset
	}
	return 0
}

// commit records the current offset in the frame header and the live
// references in their slots (a safepoint). Call it before popping the
// instruction's operands: the stack map covers them.
func (f *funcGen) commit() {
	if f.top != nil && f.g.dbg != nil {
		f.storeAll() // debug builds commit every value
		return
	}
	if f.top != nil {
		f.payOwed() // recowed.go
		if !f.fr.skipHeader {
			f.cur.NewStore(f.frameWord(f.curOff), f.top)
		}
		f.storeRefs()
	}
}

// publishTop tells the runtime side where the frame headers end, before
// a helper that may read them (traps, calls into Go): only then is the
// env's frame top word written.
func (f *funcGen) publishTop() {
	f.payOwed() // recowed.go
	f.cur.NewStore(f.cur.NewPtrToInt(f.next, types.I64), f.envWord(envFrameTop))
}

// trapIf branches to a cold trap call when cond holds, continuing in a new
// current block otherwise.
func (f *funcGen) trapIf(cond valueT, code int) {
	if f.probeTrapIf(cond) || f.sharedTrapIf(cond, code) {
		return
	}
	trap := f.newBlock()
	cont := f.newBlock()
	f.cur.NewCondBr(cond, trap, cont)
	f.cur = trap
	f.emitTrap(code)
	f.cur = cont
}

// emitTrap calls the trap helper, which does not return.
func (f *funcGen) emitTrap(code int) {
	if f.specTrap() {
		return // a fast version aborts instead (debug_spec.go)
	}
	f.debugTrap()
	if f.top != nil && f.g.dbg == nil {
		// The backtrace reads the header (release prologues store none).
		f.cur.NewStore(f.frameWord(f.curOff), f.top)
	}
	f.publishTop()
	h := f.helper(HelperTrap, types.Void, envPtr, types.I64, types.I64)
	c := f.cur.NewCall(h, f.env, i64c(int64(code)), i64c(int64(f.curOff)))
	c.FuncAttrs = append(c.FuncAttrs, enum.FuncAttrNoReturn)
	f.cur.NewUnreachable()
}

// helper loads helper slot k from the env's helper table as a function
// pointer of the given signature.
func (f *funcGen) helper(k int, ret types.Type, params ...types.Type) valueT {
	if f.g.dbg != nil && k != HelperTrap {
		f.dbgInvalidate() // the helper may let this thread's debugger run (debug_word.go)
	}
	p := f.memo(memoKey{memoHelperWord, int64(k)}, func() valueT {
		tbl := f.cur.NewIntToPtr(f.loadEnv(envHelpers), slotPtr)
		return f.cur.NewLoad(types.I64, f.cur.NewGetElementPtr(types.I64, tbl, i64c(int64(k))))
	})
	return f.hcalls.mark(k, f.cur.NewIntToPtr(p, types.NewPointer(types.NewFunc(ret, params...))))
}

// interruptCheck tests the interrupt word (function entry, loop headers).
// Another thread sets it, so the load is volatile: LLVM never hoists or
// merges it, whatever it learns about aliasing. Not atomic: a monotonic
// load made sieve 50% slower (LLVM 14 optimizes less around atomics),
// while a volatile one still compiles to one cmp with memory operand.
func (f *funcGen) interruptCheck() {
	if f.probeInterrupt() { // probe_calls.go
		return
	}
	if f.g.dbg != nil && f.lv.fast {
		f.debugFastLoopCheck() // debug_loops.go
		return
	}
	if f.g.dbg != nil {
		f.dbgInvalidate()      // a loop header: load the word afresh (debug_word.go)
		f.debugSlowLoopCheck() // debug_loops.go
		return                 // debug builds test the word at every instruction
	}
	w := f.cur.NewLoad(types.I64, f.envWord(envInterrupt))
	w.Volatile = true
	set := f.newBlock()
	cont := f.newBlock()
	// Cold: laid out of line, so the loop's hot path runs straight on.
	f.coldBr(f.cur.NewICmp(enum.IPredNE, w, i64c(0)), set, cont)
	f.cur = set
	f.interruptCall()
	if f.lv.fast {
		f.fastInterruptTail(cont) // loopversion.go
	} else {
		f.cur.NewBr(cont)
	}
	f.cur = cont
}

// interruptCall commits the frame and calls the interrupt helper.
func (f *funcGen) interruptCall() {
	f.commit()
	f.publishTop()
	f.cur.NewCall(f.helper(HelperInterrupt, types.Void, envPtr), f.env)
}
