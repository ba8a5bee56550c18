package loader

import (
	"errors"
	"unsafe"

	"github.com/gcscope/gcscope/engine/aot/compile"
	"github.com/gcscope/gcscope/engine/runtime"
	"github.com/gcscope/gcscope/engine/wasm"
)

// gcOp serves the GC instructions compiled code leaves to the runtime
// (allocation slow paths, segment and bulk array instructions, subtype
// tests, call_ref), with the interpreter's semantics and trap messages.
// It reports whether op was one of them.
func (a *activation) gcOp(op wasm.Opcode, imm uint64, slots unsafe.Pointer) (int64, bool) {
	inst := a.st.inst
	env := a.env
	h := env.Store.Heap.GC
	x, y := uint32(imm), uint32(imm>>32)
	l := func(n int) []uint64 { return unsafe.Slice((*uint64)(slots), n) }
	u32 := func(s []uint64, k int) uint64 { return uint64(uint32(s[k])) }
	def := func(t uint32) *runtime.TypeDef { return inst.TypeDef(t) }
	trap := func(code uint64) (int64, bool) { a.trapCode(code); return 0, true }
	if op != compile.OpAllocStruct && op != compile.OpAllocArray {
		env.PublishStarts() // the operands may be objects allocated inline just now
	}
	allocated := func(r runtime.Ref, err error) (int64, bool) {
		if err != nil {
			return a.allocFailure(err)
		}
		return int64(r), true
	}
	switch op {
	case compile.OpAllocStruct:
		if d := def(x); d != nil {
			return allocated(env.AllocStruct(d))
		}
	case compile.OpAllocArray:
		if d := def(x); d != nil {
			return allocated(env.AllocArray(d, uint32(l(1)[0])))
		}
	case compile.OpRefTestSub:
		if int(x) < len(inst.Types) {
			r := runtime.Ref(uint32(l(1)[0]))
			k := h.KindOf(r)
			if r&1 == 0 && (k == runtime.ObjStruct || k == runtime.ObjArray || k == runtime.ObjFunc) &&
				env.Store.Types.IsSubID(runtime.TypeID(h.TypeOf(r)), inst.Types[x]) {
				return 1, true
			}
			return 0, true
		}
	case compile.OpCallRefSlots:
		s := l(int(y) + 1)
		f := env.Store.FuncOf(runtime.Ref(uint32(s[y])))
		if f == nil {
			return trap(compile.TrapNullFuncRef)
		}
		a.call(f, slots)
		return 0, true
	case wasm.OpArrayNewData, wasm.OpArrayNewElem:
		d := def(x)
		if d == nil || d.Comp.Kind != wasm.CompArray {
			break
		}
		s := l(2)
		off, n := u32(s, 0), u32(s, 1)
		if op == wasm.OpArrayNewData {
			if int(y) >= len(inst.Datas) {
				break
			}
			data := inst.Datas[y]
			size := uint64(d.Comp.Fields[0].Storage.Size())
			if !inRange(off, n*size, uint64(len(data))) {
				return trap(compile.TrapMemoryOOB)
			}
			r, err := env.AllocArray(d, uint32(n))
			if err != nil {
				return a.allocFailure(err)
			}
			copy(h.ArrayData(r), data[off:off+n*size])
			return int64(r), true
		}
		if int(y) >= len(inst.Elems) {
			break
		}
		seg := inst.Elems[y]
		if !inRange(off, n, uint64(len(seg))) {
			return trap(compile.TrapTableOOB)
		}
		r, err := env.AllocArray(d, uint32(n))
		if err != nil {
			return a.allocFailure(err)
		}
		for i := uint64(0); i < n; i++ {
			h.SetElem(r, uint32(i), uint64(seg[off+i]))
		}
		return int64(r), true
	case wasm.OpArrayFill:
		// Slots: array, offset, value (two for a v128 element), count.
		s := l(4)
		var hi uint64
		if d := def(x); d != nil && d.Comp.Kind == wasm.CompArray && d.Comp.Fields[0].Storage.Val.Kind == wasm.KindV128 {
			s = l(5)
			hi = s[3]
		}
		r, n := runtime.Ref(uint32(s[0])), uint32(s[len(s)-1])
		if r == 0 {
			return trap(compile.TrapNullArray)
		}
		if h.FillArrayV128(r, uint32(s[1]), n, s[2], hi) != nil {
			return trap(compile.TrapArrayOOB)
		}
		return 0, true
	case wasm.OpArrayCopy:
		s := l(5)
		dr, sr := runtime.Ref(uint32(s[0])), runtime.Ref(uint32(s[2]))
		if dr == 0 || sr == 0 {
			return trap(compile.TrapNullArray)
		}
		if h.CopyArray(dr, uint32(s[1]), sr, uint32(s[3]), uint32(s[4])) != nil {
			return trap(compile.TrapArrayOOB)
		}
		return 0, true
	case wasm.OpArrayInitData, wasm.OpArrayInitElem:
		d := def(x)
		s := l(4)
		r := runtime.Ref(uint32(s[0]))
		if d == nil || d.Comp.Kind != wasm.CompArray {
			break
		}
		if r == 0 {
			return trap(compile.TrapNullArray)
		}
		dst, so, n := u32(s, 1), u32(s, 2), u32(s, 3)
		if !inRange(dst, n, uint64(h.ArrayLen(r))) {
			return trap(compile.TrapArrayOOB)
		}
		if op == wasm.OpArrayInitData {
			if int(y) >= len(inst.Datas) {
				break
			}
			size := uint64(d.Comp.Fields[0].Storage.Size())
			data := inst.Datas[y]
			if !inRange(so, n*size, uint64(len(data))) {
				return trap(compile.TrapMemoryOOB)
			}
			copy(h.ArrayData(r)[dst*size:], data[so:so+n*size])
			return 0, true
		}
		if int(y) >= len(inst.Elems) {
			break
		}
		seg := inst.Elems[y]
		if !inRange(so, n, uint64(len(seg))) {
			return trap(compile.TrapTableOOB)
		}
		for k := uint64(0); k < n; k++ {
			h.SetElem(r, uint32(dst+k), uint64(seg[so+k]))
		}
		return 0, true
	default:
		return 0, false
	}
	a.fail(&runtime.Trap{Msg: "aot: invalid operand for " + op.String()})
	return 0, true
}

// allocFailure reports an allocation error as the interpreter does:
// "out of memory", or the error itself.
func (a *activation) allocFailure(err error) (int64, bool) {
	if errors.Is(err, runtime.ErrOutOfMemory) {
		a.trapCode(compile.TrapOutOfMemory)
	} else {
		a.fail(&runtime.Trap{Msg: "internal error: " + err.Error()})
	}
	return 0, true
}

// pureOp reports whether the op helper serves op without collecting,
// calling out or trapping, so the frames need not be materialized.
func pureOp(op uint64) bool { return op == compile.OpRefTestSub || isTableOp(op) }
