package loader

import (
	"unsafe"

	"github.com/gcscope/gcscope/engine/runtime"
	"github.com/gcscope/gcscope/engine/wasm"
)

// resolveTail serves compile.OpResolveTail: the callee of a
// return_call_indirect (imm: table | type<<32, slots[0]: the element),
// checked as call_indirect checks it. It returns the callee's defined
// index when it is native code of this instance, which the code then
// tail-calls directly, or -1 (the code calls through call_indirect).
func (a *activation) resolveTail(imm uint64, slots unsafe.Pointer) int64 {
	elem := uint64(uint32(*(*uint64)(slots)))
	f, code := a.callee(uint64(uint32(imm)), imm>>32, elem)
	if code != 0 {
		a.trapCode(code)
		return -1
	}
	return definedIndex(a.st.inst, f)
}

// definedIndex is f's index among inst's defined functions, or -1 when f
// is not one of them.
func definedIndex(inst *runtime.Instance, f *runtime.Func) int64 {
	if f.Inst != inst || f.Def == nil || f.Host != nil {
		return -1
	}
	k := int64(f.Index) - int64(inst.Module.NumImported(wasm.ExternFunc))
	if k < 0 || k >= int64(len(inst.Module.Funcs)) {
		return -1
	}
	return k
}
