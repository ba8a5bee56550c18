package loader

import (
	"unsafe"

	"github.com/gcscope/gcscope/engine/aot/compile"
	"github.com/gcscope/gcscope/engine/runtime"
	"github.com/gcscope/gcscope/engine/wasm"
)

// tableOp serves compile.OpTableGetPure and OpTableSetPure: table.get and
// table.set of table x with the index in slots[0] (and the value in
// slots[1]). They touch neither the heap nor the frames, so the helper
// runs them without materializing (pureOp); an index out of bounds
// returns -1 and the code traps itself.
func (a *activation) tableOp(op wasm.Opcode, x uint32, slots unsafe.Pointer) (int64, bool) {
	if op != compile.OpTableGetPure && op != compile.OpTableSetPure {
		return 0, false
	}
	l := unsafe.Slice((*uint64)(slots), 2)
	tables := a.st.inst.Tables
	if int(x) >= len(tables) || l[0] >= tables[x].Size() {
		return -1, true
	}
	t := tables[x]
	if op == compile.OpTableGetPure {
		return int64(t.Elems[l[0]]), true
	}
	t.Elems[l[0]] = runtime.Ref(uint32(l[1]))
	return 0, true
}

// isTableOp reports whether op is one of tableOp's.
func isTableOp(op uint64) bool {
	return op == compile.OpTableGetPure || op == compile.OpTableSetPure
}
