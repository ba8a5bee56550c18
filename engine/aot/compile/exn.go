package compile

import (
	"fmt"

	"github.com/llir/llvm/ir"
	"github.com/llir/llvm/ir/enum"
	"github.com/llir/llvm/ir/types"

	"github.com/gcscope/gcscope/engine/wasm"
)

// Exceptions (docs/aot-compiler.md, "Exceptions"). A thrown exception is
// never a native unwind: the throw helper allocates the exception object,
// makes it the env's pending exception (ExecEnv.Pending, a collector
// root) and sets the record's trap code word to PendingException. Code
// then branches to the innermost handler of its function; a call site
// tests the trap code word after the call returns and does the same. A
// handler's clauses ask the op helper (OpCatch) whether the pending
// exception has their tag; the one that matches gets the payload (and the
// exnref) in scratch slots and clears the pending state. A function with
// no handler left returns (its results are ignored), so its caller's test
// goes on with the unwinding. Traps keep using longjmp: they end the whole
// native run, exceptions can be caught in it. In a module without a
// handler nothing can catch, so the runtime ends the run by longjmp there
// too and the code tests nothing (newModExn); where no handler of the
// function covers a call, the test waits for the next effect
// (exn_defer.go).

// PendingException in the record's trap code word means an exception is
// propagating (it is not a trap: code tests the word after calls and the
// C helpers do not longjmp for it). The number stays clear of the trap
// codes so new traps can be added below it.
const PendingException = 0x100

// TrapNullExnRef is throw_ref's trap on a null exnref. Trap code ranges:
// MVP from 1, atomics from 0x20, exceptions 0x30, GC from 0x40.
const TrapNullExnRef = 0x30

// catchAnyTag is the tag index OpCatch takes for catch_all clauses.
const catchAnyTag = 0xFFFFFFFF

func init() { TrapMessages[TrapNullExnRef] = "null exception reference" }

// modExn is what exception handling needs of the module.
type modExn struct {
	// tags are the payload types of the tag index space (imports first).
	tags []*wasm.CompositeType
	// test: calls test the pending-exception word (see newModExn).
	test bool
}

// newModExn describes m's tags and decides whether calls test for a
// pending exception. They do only when the module has a handler (try or
// try_table) and some call could raise an exception (the module has
// tags, imported functions, or an imported or exported table through
// which another module's function may be called). In a module with no
// handler nothing can catch, so the runtime unwinds a pending exception
// with longjmp, as a trap (loader: moduleCatches, the same rule): fib,
// the examples and programs that only import functions pay nothing.
func newModExn(m *wasm.Module) (*modExn, error) {
	x := &modExn{}
	observe := false
	tagType := func(ti uint32) error {
		if int(ti) >= len(m.Types) || m.Types[ti].Comp.Kind != wasm.CompFunc {
			return fmt.Errorf("tag with invalid type %d", ti)
		}
		ct := &m.Types[ti].Comp
		for _, p := range ct.Params {
			if _, err := llType(p); err != nil {
				return err
			}
		}
		x.tags = append(x.tags, ct)
		observe = true
		return nil
	}
	for _, im := range m.Imports {
		switch im.Kind {
		case wasm.ExternTag:
			if err := tagType(im.TypeIndex); err != nil {
				return nil, err
			}
		case wasm.ExternFunc, wasm.ExternTable:
			observe = true
		}
	}
	for _, t := range m.Tags {
		if err := tagType(t.Type.TypeIndex); err != nil {
			return nil, err
		}
	}
	for _, ex := range m.Exports {
		if ex.Kind == wasm.ExternTable {
			observe = true
		}
	}
	x.test = observe && HasHandlers(m)
	return x, nil
}

// HasHandlers reports whether a body of m has a try or try_table. Code of
// modules without one never tests for pending exceptions, so the runtime
// must unwind those with longjmp.
func HasHandlers(m *wasm.Module) bool {
	for i := range m.Funcs {
		for _, in := range m.Funcs[i].Body {
			if in.Op == wasm.OpTry || in.Op == wasm.OpTryTable {
				return true
			}
		}
	}
	return false
}

// tag returns tag i's payload types.
func (f *funcGen) tag(i uint32) ([]types.Type, error) {
	if int(i) >= len(f.g.exn.tags) {
		return nil, fmt.Errorf("unknown tag %d", i)
	}
	var ts []types.Type
	for _, p := range f.g.exn.tags[i].Params {
		ts = append(ts, mustType(p))
	}
	return ts, nil
}

// funcExn is one function's exception state.
type funcExn struct {
	propagate *ir.Block // returns with the exception still pending
	scanned   bool
	rethrow   bool // the body has a rethrow: legacy catches keep the exnref (frame_exn.go)
	// inTail: a tail call made as a plain call (imports, foreign
	// return_call_indirect callees): the function's handlers do not cover it.
	inTail bool
	// owed: a call's test is deferred (exn_defer.go); owedEnd: the
	// blocks whose end some owing arm reaches.
	owed    bool
	owedEnd map[*ctrl]bool
}

// handler is the exception side of a try_table or legacy try.
type handler struct {
	dispatch *ir.Block // where an exception raised in the body goes
	outer    *ir.Block // where it goes when no clause catches it
	legacy   bool
	// catchPhase: a legacy try past its first catch; its clauses no
	// longer cover the code (a catch body's exceptions go outside).
	catchPhase bool
	next       *ir.Block      // legacy: where the next clause's test goes
	exnVar     *ir.InstAlloca // legacy: the caught exnref, for rethrow
	slot       uint32         // legacy: its hidden local's frame slot (frame_exn.go)
	closed     bool           // the unmatched path has been sent to outer
}

// exnControl translates the exception and tail call instructions; it
// reports whether in was one.
func (f *funcGen) exnControl(in *wasm.Instr) (bool, error) {
	switch in.Op {
	case wasm.OpTry, wasm.OpTryTable:
		return true, f.openTry(in)
	case wasm.OpCatch, wasm.OpCatchAll:
		return true, f.legacyCatch(in)
	case wasm.OpDelegate:
		return true, f.delegate(in)
	case wasm.OpThrow:
		if f.dead {
			return true, nil
		}
		ts, err := f.tag(in.Index)
		if err != nil {
			return true, err
		}
		// Commit with the payload still on the stack: the helper
		// allocates the exception, which may collect, and the payload's
		// references must survive that.
		f.commit()
		args := f.popN(len(ts))
		slots := f.spill(args, len(args))
		f.publishTop()
		f.callOpSlots(wasm.OpThrow, int64(in.Index), slots)
		f.unwind()
	case wasm.OpThrowRef:
		if !f.dead {
			f.throwRef(f.pop())
		}
	case wasm.OpRethrow:
		if f.dead {
			return true, nil
		}
		if int(in.Index) >= len(f.ctrls) {
			return true, fmt.Errorf("unknown label %d", in.Index)
		}
		c := f.ctrls[len(f.ctrls)-1-int(in.Index)]
		if c.h == nil || !c.h.legacy || !c.h.catchPhase {
			return true, fmt.Errorf("rethrow outside a catch")
		}
		f.throwRef(f.cur.NewLoad(types.I32, c.h.exnVar))
	case wasm.OpReturnCall, wasm.OpReturnCallIndirect, wasm.OpReturnCallRef:
		return true, f.tailCall(in)
	default:
		return false, nil
	}
	return true, nil
}

// throwRef raises the exception v (throw_ref, rethrow); null traps.
func (f *funcGen) throwRef(v valueT) {
	f.commit()
	slots := f.spill([]valueT{v}, 1)
	f.publishTop()
	f.callOpSlots(wasm.OpThrowRef, 0, slots)
	f.unwind()
}

// unwind ends the current block by going to the innermost handler, the
// exception being pending; what follows is dead.
func (f *funcGen) unwind() {
	f.cur.NewBr(f.unwindTarget())
	f.dead = true
}

// callOpSlots calls the op helper with a runtime-side operation, its
// operands already in slots (callOp spills them itself).
func (f *funcGen) callOpSlots(op wasm.Opcode, imm int64, slots valueT) valueT {
	h := f.helper(HelperOp, types.I64, envPtr, types.I64, types.I64, slotPtr)
	return f.cur.NewCall(h, f.env, i64c(int64(op)), i64c(imm), slots)
}

// checkPending follows a call: if the callee left an exception pending,
// go to the innermost handler. Modules that cannot catch or where no
// call can raise one skip the test (see newModExn).
func (f *funcGen) checkPending() {
	if !f.g.exn.test || f.deferTest() {
		return
	}
	f.payTest()
}

// unwindTarget is where an exception raised at the current point goes:
// the innermost handler still covering the code, else the return path.
func (f *funcGen) unwindTarget() *ir.Block {
	if f.exn.inTail {
		return f.propagateBlock()
	}
	for i := len(f.ctrls) - 1; i >= 0; i-- {
		if c := f.ctrls[i]; c.h != nil && !c.dead && !c.h.catchPhase {
			return c.h.dispatch
		}
	}
	return f.propagateBlock()
}

// propagateBlock returns from the function with the exception pending;
// the results are placeholders the caller never reads.
func (f *funcGen) propagateBlock() *ir.Block {
	if f.exn.propagate == nil {
		b := f.newBlock()
		f.dbgHandBackFresh(b) // debug_handback.go
		if rt := f.fn.Sig.RetType; rt != types.Void {
			b.NewRet(zero(rt))
		} else {
			b.NewRet(nil)
		}
		f.exn.propagate = b
	}
	return f.exn.propagate
}

// openTry opens a try_table (its clauses are emitted now, in the dispatch
// block, since their labels are outside it) or a legacy try.
func (f *funcGen) openTry(in *wasm.Instr) error {
	var slot uint32
	if in.Op == wasm.OpTry {
		slot = f.nextTrySlot()
	}
	if f.dead {
		f.ctrls = append(f.ctrls, &ctrl{op: in.Op, dead: true})
		return nil
	}
	ps, rs, err := f.blockSig(in.Block)
	if err != nil {
		return err
	}
	h := &handler{dispatch: f.newBlock(), outer: f.unwindTarget(), legacy: in.Op == wasm.OpTry, slot: slot}
	if h.legacy {
		h.exnVar = f.alloca(types.I32)
	} else if err := f.catchClauses(h, in); err != nil {
		return err
	}
	c := &ctrl{op: in.Op, params: ps, results: rs, height: len(f.stack) - len(ps),
		end: f.newBlock(), resVars: f.allocas(rs), h: h}
	c.wparams, c.wresults = f.blockWasm(in.Block)
	f.ctrls = append(f.ctrls, c)
	return nil
}

// catchTest emits, in the current block, the OpCatch test of one clause
// (tag index or catchAnyTag) and returns the match flag and the slots
// holding the payload, then the exnref.
func (f *funcGen) catchTest(tag uint32, catchAll bool) (matched valueT, slots valueT, payload []wasm.ValType, err error) {
	imm := int64(catchAnyTag)
	if !catchAll {
		if _, err = f.tag(tag); err != nil {
			return nil, nil, nil, err
		}
		payload = f.g.exn.tags[tag].Params
		imm = int64(tag)
	}
	slots = f.scratchSlots(slotCount(typesOf(payload)) + 1)
	r := f.callOpSlots(wasm.OpCatch, imm, slots)
	return f.cur.NewICmp(enum.IPredNE, r, i64c(0)), slots, payload, nil
}

// loadCaught pushes the payload (and the exnref when withRef) from slots,
// a v128 taking two; its references are operands like any, committed at
// later safepoints.
func (f *funcGen) loadCaught(slots valueT, payload []wasm.ValType, withRef bool) valueT {
	k := 0
	for _, t := range payload {
		var v valueT
		v, k = getSlot(f.cur, slots, k, mustType(t))
		f.pushT(v, t)
	}
	ref := f.cur.NewTrunc(f.cur.NewLoad(types.I64, slotAt(f.cur, slots, k)), types.I32)
	if withRef {
		f.pushRef(ref)
	}
	return ref
}

func (f *funcGen) catchClauses(h *handler, in *wasm.Instr) error {
	saved, stack := f.cur, f.stack
	defer func() { f.cur, f.stack = saved, stack }()
	f.cur = h.dispatch
	if in.Ext != nil {
		for _, cl := range in.Ext.Catches {
			all := cl.Kind == wasm.CatchAll || cl.Kind == wasm.CatchAllRef
			withRef := cl.Kind == wasm.CatchTagRef || cl.Kind == wasm.CatchAllRef
			if int(cl.Label) >= len(f.ctrls) {
				return fmt.Errorf("unknown label %d", cl.Label)
			}
			ok, slots, payload, err := f.catchTest(cl.Tag, all)
			if err != nil {
				return err
			}
			match, next := f.newBlock(), f.newBlock()
			f.cur.NewCondBr(ok, match, next)
			f.cur = match
			f.stack = append([]valueT(nil), stack...)
			f.loadCaught(slots, payload, withRef)
			// Catch labels are relative to the blocks outside the try_table.
			f.branch(int(cl.Label))
			f.cur = next
		}
	}
	f.cur.NewBr(h.outer)
	h.closed = true
	return nil
}

func (f *funcGen) legacyCatch(in *wasm.Instr) error {
	c := f.ctrls[len(f.ctrls)-1]
	if c.op != wasm.OpTry {
		return fmt.Errorf("catch without try")
	}
	if c.dead {
		return nil
	}
	h := c.h
	if !h.catchPhase {
		h.catchPhase, h.next = true, h.dispatch
	}
	f.fallToEnd(c)
	if !f.exn.scanned {
		f.exn.scanned = true
		for _, x := range f.g.m.Funcs[f.idx].Body {
			if x.Op == wasm.OpRethrow {
				f.exn.rethrow = true
				break
			}
		}
	}
	f.cur = h.next
	ok, slots, payload, err := f.catchTest(in.Index, in.Op == wasm.OpCatchAll)
	if err != nil {
		return err
	}
	body, next := f.newBlock(), f.newBlock()
	f.cur.NewCondBr(ok, body, next)
	h.next = next
	f.cur = body
	f.stack = f.stack[:c.height]
	f.cur.NewStore(f.loadCaught(slots, payload, false), h.exnVar)
	f.dead = false
	return nil
}

// delegate closes a legacy try whose exceptions go on at label L: to the
// innermost handler at or outside L still covering its code, as in the
// interpreter.
func (f *funcGen) delegate(in *wasm.Instr) error {
	c := f.ctrls[len(f.ctrls)-1]
	if c.op != wasm.OpTry || (c.h != nil && c.h.catchPhase) {
		return fmt.Errorf("delegate without try")
	}
	if !c.dead {
		outer := len(f.ctrls) - 2 - int(in.Index)
		if outer < 0 {
			return fmt.Errorf("unknown label %d", in.Index)
		}
		target := f.propagateBlock()
		for i := outer; i >= 0; i-- {
			if t := f.ctrls[i]; t.h != nil && !t.dead && !t.h.catchPhase {
				target = t.h.dispatch
				break
			}
		}
		c.h.dispatch.NewBr(target)
		c.h.closed = true
	}
	return f.end()
}

// closeTry sends a legacy try's unmatched exceptions outward at its end.
func (f *funcGen) closeTry(c *ctrl) {
	if c.h == nil || c.h.closed {
		return
	}
	c.h.closed = true
	from := c.h.dispatch
	if c.h.catchPhase {
		from = c.h.next
	}
	from.NewBr(c.h.outer)
}
