package compile

import (
	"github.com/llir/llvm/ir"
	"github.com/llir/llvm/ir/types"

	"github.com/gcscope/gcscope/engine/wasm"
)

// The allocation cursor in a variable (docs/aot-compiler.md "Native code
// of the small GC programs (aot-listspeed)"). An inline allocation
// (gc_heap.go alloc) read the cursor from the exec env record and stored
// the new one back; in a loop of allocations each read waited for the
// previous iteration's store to be forwarded (LLVM cannot keep the word
// in a register: the object stores through the heap base may alias it
// as far as it knows, and the slow paths' calls may change it). Now a
// function of an optimized release build keeps the cursor in an alloca
// (a register once mem2reg is done): loaded from the env at entry, read
// by each allocation, which still stores the new cursor to the env as
// well, so the record always holds the current cursor for helpers, the
// collector and the loader; and loaded from the env again after every
// call that is not an intrinsic (reloadCursor), since any call may
// allocate or collect. Nothing else changes the word while this thread
// runs the function: other threads stop the world only while it is in a
// helper call. A clone (leafcall.go) takes its caller's variable as its
// last parameter and keeps it as the function would its own (reloading
// after its own calls), so the caller does not reload after the clone;
// once the clone is inlined the variable is one register across both.

// hasTailCalls reports whether the module makes tail calls: a musttail
// call must be followed by its return, with no reload between.
func hasTailCalls(m *wasm.Module) bool {
	for i := range m.Funcs {
		for _, in := range m.Funcs[i].Body {
			switch in.Op {
			case wasm.OpReturnCall, wasm.OpReturnCallIndirect, wasm.OpReturnCallRef:
				return true
			}
		}
	}
	return false
}

// cursorVariable is the function's cursor variable, made (and loaded at
// entry) at its first use; nil when the build keeps none.
func (f *funcGen) cursorVariable() valueT {
	if !f.g.cursors || f.g.dbg != nil {
		return nil
	}
	clone := f.rec != nil && f.rec.cursorParam
	if !clone && !f.g.cursorFuncs[f.idx] {
		return nil
	}
	if f.cursorVar == nil {
		if f.rec != nil && f.rec.cursorParam {
			ps := f.fn.Params
			f.cursorVar = ps[len(ps)-1]
		} else {
			a := f.alloca(types.I64)
			w := f.entry.NewGetElementPtr(types.I64, f.env, i64c(envAllocCursor))
			f.entry.NewStore(f.entry.NewLoad(types.I64, w), a)
			f.cursorVar = a
		}
	}
	return f.cursorVar
}

// loadCursor reads the allocation cursor: the variable, or the env word.
func (f *funcGen) loadCursor() valueT {
	if v := f.cursorVariable(); v != nil {
		return f.cur.NewLoad(types.I64, v)
	}
	return f.loadEnv(envAllocCursor)
}

// keepCursor records the cursor an allocation's fast path stored to the
// env in the variable too.
func (f *funcGen) keepCursor(end valueT) {
	if v := f.cursorVariable(); v != nil {
		f.cur.NewStore(end, v)
	}
}

// cursorArg appends the cursor variable to a clone call's arguments; a
// function that keeps none passes a variable of the call alone, loaded
// from the env here, as the clone's allocation would have read it.
func (f *funcGen) cursorArg(args []valueT) []valueT {
	if !f.g.cursors {
		return args
	}
	v := f.cursorVariable()
	if v == nil {
		a := f.alloca(types.I64)
		f.cur.NewStore(f.loadEnv(envAllocCursor), a)
		v = a
	}
	return append(args, v)
}

// loopAllocates reports whether a body allocates or calls inside a loop,
// where keeping the cursor in a register pays. Elsewhere the variable
// only lengthens a live range: binary_trees' make (no loop, its levels
// inlined into one another) ran ~3% slower with one per level.
func loopAllocates(body []wasm.Instr) bool {
	for pc, inLoop := range loopDepths(body) { // probe_calls.go
		if op := body[pc].Op; inLoop && (isAllocOp(op) || op == wasm.OpCall || op == wasm.OpCallRef) {
			return true
		}
	}
	return false
}

// reloadCursor loads the cursor from the env into the variable after
// every call that may change it: all but intrinsics, calls that do not
// return, and clone calls given the variable. A clone reloads after its
// own calls, including those of its last block, which returns.
func (f *funcGen) reloadCursor() {
	if f.g.dbg == nil && f.rec != nil && f.rec.cursorParam {
		f.cursorVariable() // a clone keeps its caller's variable even if it allocates nothing
	}
	v := f.cursorVar
	if v == nil {
		return
	}
	for _, b := range f.fn.Blocks {
		if b == f.entry {
			continue
		}
		var out []ir.Instruction
		changed := false
		for _, in := range b.Insts {
			out = append(out, in)
			c, ok := in.(*ir.InstCall)
			if !ok || !mayGrow(c) || passesCursor(c, v) {
				continue
			}
			w := ir.NewGetElementPtr(types.I64, f.env, i64c(envAllocCursor))
			ld := ir.NewLoad(types.I64, w)
			out = append(out, w, ld, ir.NewStore(ld, v))
			changed = true
		}
		if changed {
			b.Insts = out
		}
	}
}

// passesCursor reports whether call c hands the cursor variable v on.
func passesCursor(c *ir.InstCall, v valueT) bool {
	for _, a := range c.Args {
		if a == v {
			return true
		}
	}
	return false
}

// trailing is how many parameters of a clone follow its owed ones: the
// outer debt's (callref_owed.go) and the cursor variable's (cursorParam).
func (r *recLevel) trailing() int {
	if r.cursorParam {
		return 1 + r.outerParams()
	}
	return r.outerParams()
}
