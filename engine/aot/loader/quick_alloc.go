package loader

import (
	"unsafe"

	"github.com/gcscope/gcscope/engine/aot/compile"
	"github.com/gcscope/gcscope/engine/aot/native"
)

// quickAlloc serves the allocation slow path (OpAllocStruct,
// OpAllocArray) when the thread's buffer can be refilled without a
// collection, heap growth or a wait for the heap's lock
// (runtime.ExecEnv.TryAllocStruct). Only a collection reads the native
// frames' references, and nothing here traps or calls out, so the frames
// need not become frame records: the stack walk that costs is skipped for
// most slow-path calls (one per 32 KiB buffer). It reports false when the
// full path (materialize, then gcOp) must run.
func (a *activation) quickAlloc(kind int, op, imm uint64, slots unsafe.Pointer) (int64, bool) {
	if kind != native.KindOp || (op != compile.OpAllocStruct && op != compile.OpAllocArray) {
		return 0, false
	}
	d := a.st.inst.TypeDef(uint32(imm))
	if d == nil {
		return 0, false
	}
	if op == compile.OpAllocStruct {
		r, ok := a.env.TryAllocStruct(d)
		return int64(r), ok
	}
	n := uint32(*(*uint64)(slots))
	r, ok := a.env.TryAllocArray(d, n)
	return int64(r), ok
}
