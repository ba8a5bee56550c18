package loader

import (
	"fmt"
	"unsafe"

	"github.com/gcscope/gcscope/engine/aot/compile"
	"github.com/gcscope/gcscope/engine/aot/native"
	"github.com/gcscope/gcscope/engine/runtime"
	"github.com/gcscope/gcscope/engine/wasm"
)

// handleHelper serves the Go-backed helpers for compiled code. It runs on
// the thread of the native code that called it, inside that code's cgo
// call; failures go back through the record's trap code (the C side then
// unwinds to the trampoline), never as a panic through C frames.
func handleHelper(envRec *uint64, kind int, a, b, c uint64, slots unsafe.Pointer) (r int64) {
	var act *activation
	if n := nativeAt(envRec); n != nil {
		act = n.top()
	}
	if act == nil {
		return -1 // cannot happen: helpers run inside an invocation
	}
	rec := act.env.Record
	defer func() {
		act.dematerialize()
		if p := recover(); p != nil {
			act.fail(&runtime.Trap{Msg: fmt.Sprintf("internal error in aot helper: %v", p)})
			r = -1
		}
	}()
	if r, ok := act.quickAlloc(kind, a, b, slots); ok {
		return r // no collection, so no frame records needed (quick_alloc.go)
	}
	// Every Go-backed helper may collect, call out, stop or report a
	// trap: the native frames become frame records first.
	if !(kind == native.KindOp && pureOp(a)) && !act.materialize() {
		act.trapCode(compile.TrapStackExhausted)
		return 0
	}
	switch kind {
	case native.KindCall:
		inst := act.st.inst
		if a >= uint64(len(inst.Funcs)) {
			act.fail(&runtime.Trap{Msg: "aot: call to a missing function"})
			return 0
		}
		act.call(inst.Funcs[a], slots)
	case native.KindCallIndirect:
		f, code := act.callee(a, b, c)
		if code != 0 {
			act.trapCode(code)
			return 0
		}
		act.call(f, slots)
	case native.KindMemoryGrow:
		inst := act.st.inst
		if len(inst.Mems) == 0 {
			return -1
		}
		old, ok := inst.Mems[0].Grow(a)
		setMemory(rec, inst)
		if !ok {
			return -1
		}
		return int64(old)
	case native.KindOp:
		if wasm.Opcode(a) == compile.OpDebugStop {
			return act.debugStop(b)
		}
		return act.op(wasm.Opcode(a), b, slots)
	case native.KindInterrupt:
		act.interrupted()
	}
	return 0
}

// fail records a Go error for the trampoline to return.
func (a *activation) fail(err error) {
	a.err = err
	a.trapCode(compile.TrapHost)
}

// trapCode records a trap at the innermost frame's committed offset.
func (a *activation) trapCode(code uint64) {
	rec := a.env.Record
	rec[runtime.EnvTrapCode] = code
	if fs := a.frames(); len(fs) > 0 {
		rec[runtime.EnvTrapOffset] = uint64(fs[len(fs)-1].offset)
	}
}

// callee resolves a call_indirect: table, type index and element.
func (a *activation) callee(table, typ, elem uint64) (*runtime.Func, uint64) {
	inst := a.st.inst
	if table >= uint64(len(inst.Tables)) || typ >= uint64(len(inst.Types)) {
		return nil, compile.TrapUndefinedElement
	}
	t := inst.Tables[table]
	if elem >= uint64(len(t.Elems)) {
		return nil, compile.TrapUndefinedElement
	}
	r := t.Elems[elem]
	if r == 0 {
		return nil, compile.TrapUninitializedElement
	}
	s := a.env.Store
	f := s.FuncOf(r)
	if f == nil {
		return nil, compile.TrapIndirectType
	}
	if want := inst.Types[typ]; f.Type.ID != want && !s.Types.IsSubID(f.Type.ID, want) {
		return nil, compile.TrapIndirectType
	}
	return f, 0
}

// call runs f (host, interpreted or native) with its arguments in the
// compiled code's scratch slots, above this activation's frame headers,
// and copies the results back.
func (a *activation) call(f *runtime.Func, scratch unsafe.Pointer) {
	env := a.env
	rec := env.Record
	ft := &f.Type.Comp
	np, nr := slotCount(ft.Params), slotCount(ft.Results)
	n := max(np, nr)
	top := rec[runtime.EnvFrameTop]
	base := (top - rec[runtime.EnvSlotsBase]) / 8
	if base+uint64(n) >= uint64(len(env.Slots)) || env.Depth >= len(env.Frames) {
		a.trapCode(compile.TrapStackExhausted)
		return
	}
	var args []uint64
	if n > 0 {
		args = unsafe.Slice((*uint64)(scratch), n)
	}
	copy(env.Slots[base:], args[:np])
	// Everything the native frames use lies below base, and their records
	// (materialized by handleHelper) end there: env.Top() is base, the
	// callee's record stacks above them, and a host callee sees the
	// calling function's instance as its caller.
	depth := env.Depth
	// The arguments, and what they reach, may have been allocated inline
	// just now: a host or interpreted callee reads them through the
	// heap's accessors, which would otherwise stop the world to find
	// their start bits.
	env.PublishStarts()
	var saved savedWords
	saved.save(rec)
	err := a.e.Invoke(env, f, uint32(base))
	saved.restore(rec)
	env.Depth = depth
	// The callee may have grown a memory this instance shares.
	setMemory(rec, a.st.inst)
	if err != nil && a.raiseFrom(err) {
		return
	}
	if err != nil {
		// The callee's trace already runs through the materialized native
		// frames and everything below: trap passes it on as it is.
		a.fail(err)
		a.complete = true
		return
	}
	copy(args, env.Slots[base:base+uint64(nr)])
}
