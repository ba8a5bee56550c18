package loader

import (
	"unsafe"

	"github.com/gcscope/gcscope/engine/aot/compile"
	"github.com/gcscope/gcscope/engine/runtime"
	"github.com/gcscope/gcscope/engine/wasm"
)

// inRange reports whether [at, at+n) lies within size, without overflow.
func inRange(at, n, size uint64) bool { return at <= size && n <= size-at }

// op runs one of the instructions compiled code leaves to the runtime
// (compile.HelperOp), with the semantics and messages of the interpreter.
// Operands are in slots (at most three); the result is returned.
func (a *activation) op(op wasm.Opcode, imm uint64, slots unsafe.Pointer) int64 {
	if r, ok := a.tableOp(op, uint32(imm), slots); ok {
		return r
	}
	if r, ok := a.gcOp(op, imm, slots); ok {
		return r
	}
	if r, ok := a.exnOp(op, imm, slots); ok {
		return r
	}
	inst := a.st.inst
	x, y := uint32(imm), uint32(imm>>32)
	l := unsafe.Slice((*uint64)(slots), 3)
	u32 := func(k int) uint64 { return uint64(uint32(l[k])) }
	table := func(i uint32) *runtime.Table {
		if int(i) < len(inst.Tables) {
			return inst.Tables[i]
		}
		return nil
	}
	oob := func(code uint64) int64 { a.trapCode(code); return 0 }
	if r, ok := a.memOp(op, imm, l); ok {
		return r
	}
	// Table indices and lengths: i32 operands arrive zero-extended, so the
	// whole slot is the operand for table64 and 32-bit tables alike.
	u64 := func(k int) uint64 { return l[k] }
	switch op {
	case wasm.OpRefFunc:
		if int(x) < len(inst.Funcs) {
			return int64(uint32(inst.Funcs[x].Ref().Bits))
		}
	case wasm.OpTableGet:
		if t := table(x); t != nil {
			if i := u64(0); i < t.Size() {
				return int64(t.Elems[i])
			}
			return oob(compile.TrapTableOOB)
		}
	case wasm.OpTableSet:
		if t := table(x); t != nil {
			if i := u64(0); i < t.Size() {
				t.Elems[i] = runtime.Ref(uint32(l[1]))
				return 0
			}
			return oob(compile.TrapTableOOB)
		}
	case wasm.OpTableSize:
		if t := table(x); t != nil {
			return int64(t.Size())
		}
	case wasm.OpTableGrow:
		if t := table(x); t != nil {
			old, ok := t.Grow(u64(1), runtime.Ref(uint32(l[0])))
			if !ok && t.Type.Addr64 {
				return -1
			}
			if !ok {
				return int64(^uint32(0))
			}
			return int64(old)
		}
	case wasm.OpTableFill:
		if t := table(x); t != nil {
			i, v, n := u64(0), runtime.Ref(uint32(l[1])), u64(2)
			if !inRange(i, n, t.Size()) {
				return oob(compile.TrapTableOOB)
			}
			for k := i; k < i+n; k++ {
				t.Elems[k] = v
			}
			return 0
		}
	case wasm.OpTableCopy:
		dt, st := table(x), table(y)
		if dt != nil && st != nil {
			d, s, n := u64(0), u64(1), u64(2)
			if !inRange(d, n, dt.Size()) || !inRange(s, n, st.Size()) {
				return oob(compile.TrapTableOOB)
			}
			copy(dt.Elems[d:d+n], st.Elems[s:s+n])
			return 0
		}
	case wasm.OpTableInit:
		if t := table(y); t != nil && int(x) < len(inst.Elems) {
			seg := inst.Elems[x]
			d, s, n := u64(0), u32(1), u32(2)
			if !inRange(d, n, t.Size()) || !inRange(s, n, uint64(len(seg))) {
				return oob(compile.TrapTableOOB)
			}
			copy(t.Elems[d:d+n], seg[s:s+n])
			return 0
		}
	case wasm.OpElemDrop:
		if int(x) < len(inst.Elems) {
			inst.Elems[x] = nil
			return 0
		}
	case wasm.OpMemoryInit:
		if int(x) < len(inst.Datas) && int(y) < len(inst.Mems) && inst.Mems[y].Linear != nil {
			// Index2 is the memory; the destination is an address of its
			// type (zero-extended when i32).
			// Linear.Bytes reads the size atomically: another thread
			// may grow a shared memory (Memory.Data is the grower's).
			seg, m := inst.Datas[x], inst.Mems[y].Linear.Bytes()
			d, s, n := u64(0), u32(1), u32(2)
			if !inRange(d, n, uint64(len(m))) || !inRange(s, n, uint64(len(seg))) {
				return oob(compile.TrapMemoryOOB)
			}
			copy(m[d:d+n], seg[s:s+n])
			return 0
		}
	case wasm.OpDataDrop:
		if int(x) < len(inst.Datas) {
			inst.Datas[x] = nil
			return 0
		}
	}
	a.fail(&runtime.Trap{Msg: "aot: invalid operand for " + op.String()})
	return 0
}
