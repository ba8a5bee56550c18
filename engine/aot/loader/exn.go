package loader

import (
	"errors"
	"unsafe"

	"github.com/gcscope/gcscope/engine/aot/aotfile"
	"github.com/gcscope/gcscope/engine/aot/compile"
	"github.com/gcscope/gcscope/engine/runtime"
	"github.com/gcscope/gcscope/engine/wasm"
)

// The runtime side of exceptions in native code (compile/exn.go has the
// code side). The pending exception is env.Pending, a collector root,
// flagged to the code by compile.PendingException in the record's trap
// code word.

// exnState is an activation's exception bookkeeping.
type exnState struct {
	// inner are the frames an exception passed before it came out of a
	// call-out into this activation (innermost first).
	inner []runtime.TraceFrame
}

// exnOp serves the exception operations of the op helper; ok is false
// for other opcodes.
func (a *activation) exnOp(op wasm.Opcode, imm uint64, slots unsafe.Pointer) (r int64, ok bool) {
	switch op {
	case wasm.OpThrow:
		a.throw(uint32(imm), slots)
	case wasm.OpThrowRef:
		exn := runtime.Ref(uint32(*(*uint64)(slots)))
		if exn == 0 {
			a.trapCode(compile.TrapNullExnRef)
			return 0, true
		}
		a.raise(exn, nil)
	case wasm.OpCatch:
		return a.catch(imm, slots), true
	case compile.OpResolveTail:
		return a.resolveTail(imm, slots), true
	default:
		return 0, false
	}
	return 0, true
}

// throw allocates an exception of the instance's tag idx with the payload
// in slots and makes it pending.
func (a *activation) throw(idx uint32, slots unsafe.Pointer) {
	inst := a.st.inst
	if int(idx) >= len(inst.Tags) {
		a.fail(&runtime.Trap{Msg: "aot: throw of a missing tag"})
		return
	}
	tag := inst.Tags[idx]
	ps := tag.Type.Comp.Params
	s := a.env.Store
	exn, err := s.Heap.AllocExn(tag)
	if err != nil {
		msg := "internal error: " + err.Error()
		if errors.Is(err, runtime.ErrOutOfMemory) {
			msg = "out of memory"
		}
		a.fail(&runtime.Trap{Msg: msg})
		return
	}
	if len(ps) > 0 {
		l := unsafe.Slice((*uint64)(slots), slotCount(ps))
		k := 0 // a v128 takes two slots, low half first
		for i, p := range ps {
			if p.Kind == wasm.KindV128 {
				s.Heap.GC.SetFieldV128(exn, i, l[k], l[k+1])
			} else {
				s.Heap.SetField(exn, i, l[k])
			}
			k += runtime.Slots(p)
		}
	}
	a.raise(exn, nil)
}

// raise makes exn the pending exception; inner are the frames it left
// already (when it comes from a call-out).
//
// Code of a module without handlers does not test for exceptions
// (aotfile.FlagCatches unset): nothing in this native run can catch, so the
// exception ends it at once, through the trap path (longjmp), as the
// *runtime.Exception it leaves Invoke with.
func (a *activation) raise(exn runtime.Ref, inner []runtime.TraceFrame) {
	a.env.Pending = exn
	a.exn.inner = inner
	if !a.st.catches() {
		a.fail(a.uncaught())
		return
	}
	a.env.Record[runtime.EnvTrapCode] = compile.PendingException
}

// catches reports whether the instance's code tests for pending
// exceptions: the file's flag, which the compiler sets (a module read
// from an .aot file has no bodies to look for handlers in).
func (st *instState) catches() bool {
	return st.mod.File.Header.Flags&aotfile.FlagCatches != 0
}

// catch tests the pending exception against one clause: imm's low 32 bits
// are the instance's tag index (all ones: any tag). On a match the payload
// goes to slots[0:n] (a v128 in two) and the exnref to slots[n], the
// exception stops being pending and catch returns 1. Nothing here roots
// what the code is handed: no collection can happen before the code
// pushes the payload and the exnref as operands of their Wasm types,
// which it commits to frame slots at its safepoints, so the stack maps
// list them like any reference.
func (a *activation) catch(imm uint64, slots unsafe.Pointer) int64 {
	env, inst := a.env, a.st.inst
	exn := env.Pending
	if env.Record[runtime.EnvTrapCode] != compile.PendingException || exn == 0 {
		return 0
	}
	s := env.Store
	var ps []wasm.ValType
	if idx := uint32(imm); idx != ^uint32(0) {
		tag := s.TagOf(exn)
		if int(idx) >= len(inst.Tags) || tag == nil || inst.Tags[idx] != tag {
			return 0
		}
		ps = tag.Type.Comp.Params
	}
	n := slotCount(ps)
	l := unsafe.Slice((*uint64)(slots), n+1)
	k := 0 // a v128 takes two slots, low half first
	for i, p := range ps {
		if p.Kind == wasm.KindV128 {
			l[k], l[k+1] = s.Heap.GC.GetFieldV128(exn, i)
		} else {
			l[k] = s.Heap.Field(exn, i)
		}
		k += runtime.Slots(p)
	}
	l[n] = uint64(exn)
	env.Pending = 0
	env.Record[runtime.EnvTrapCode] = 0
	a.exn.inner = nil
	return 1
}

// raiseFrom makes an exception that came out of a call-out pending in
// this activation; it reports whether err was one.
func (a *activation) raiseFrom(err error) bool {
	var ex *runtime.Exception
	if !errors.As(err, &ex) || ex.Ref == 0 {
		return false
	}
	// The callee's trace runs on through this activation's materialized
	// frames and everything below them (one entry per frame record with a
	// function): only the frames above are the exception's inner part.
	// A trace cut at maxTrace is kept whole: its innermost part is what
	// the final trace keeps anyway.
	inner := ex.Backtrace
	if len(inner) < maxTrace {
		below := 0
		for _, fr := range a.env.Frames[:a.env.Depth] {
			if fr.Func != nil {
				below++
			}
		}
		if below <= len(inner) {
			inner = inner[:len(inner)-below]
		}
	}
	a.raise(ex.Ref, inner)
	return true
}

// exnToFinish reports whether an exception left the code, which then
// becomes the interpreter's *runtime.Exception (uncaught; env.Pending
// keeps it alive, as the interpreter's unwind does). Invoke tests it
// inline (uncaught is too large for Go to inline), since almost no call
// has one.
func (a *activation) exnToFinish(trapped bool) bool {
	return !trapped && a.env.Record[runtime.EnvTrapCode] == compile.PendingException
}

// uncaught describes the pending exception leaving native code.
func (a *activation) uncaught() error {
	env := a.env
	s := env.Store
	exn := env.Pending
	tag := s.TagOf(exn)
	ex := &runtime.Exception{Tag: tag, Ref: exn, Backtrace: a.completeTrace(a.exn.inner, a.backtrace(0, false))}
	if tag != nil {
		for i, t := range tag.Type.Comp.Params {
			v := runtime.Value{Type: t}
			if t.Kind == wasm.KindV128 {
				v.Bits, v.Hi = s.Heap.GC.GetFieldV128(exn, i)
			} else {
				v.Bits = s.Heap.Field(exn, i)
			}
			ex.Payload = append(ex.Payload, v)
		}
	}
	a.exn.inner = nil
	return ex
}
