package interp

import (
	"encoding/binary"

	"github.com/gcscope/gcscope/engine/runtime"
	"github.com/gcscope/gcscope/engine/wasm"
)

// effective computes a bounds-checked effective address for an access of
// size bytes; memory64 addresses plus offsets may wrap, which is out of
// bounds too. It returns the memory's bytes it checked against: the
// access must use that slice (a shared memory may grow meanwhile).
func effective(m *runtime.Memory, addr, off uint64, size uint64) ([]byte, uint64, bool) {
	if !m.Type.Addr64 {
		addr = uint64(uint32(addr))
	}
	d := m.Bytes()
	ea := addr + off
	if ea < addr || ea > uint64(len(d)) || size > uint64(len(d))-ea {
		return nil, 0, false
	}
	return d, ea, true
}

func accessSize(op wasm.Opcode) uint64 {
	switch op {
	case wasm.OpI32Load8S, wasm.OpI32Load8U, wasm.OpI64Load8S, wasm.OpI64Load8U, wasm.OpI32Store8, wasm.OpI64Store8:
		return 1
	case wasm.OpI32Load16S, wasm.OpI32Load16U, wasm.OpI64Load16S, wasm.OpI64Load16U, wasm.OpI32Store16, wasm.OpI64Store16:
		return 2
	case wasm.OpI32Load, wasm.OpF32Load, wasm.OpI64Load32S, wasm.OpI64Load32U, wasm.OpI32Store, wasm.OpF32Store, wasm.OpI64Store32:
		return 4
	}
	return 8
}

// memLoad performs the load of wasm opcode op.
func memLoad(m *runtime.Memory, addr, off uint64, op uint32) (uint64, bool) {
	o := wasm.Opcode(op)
	d, ea, ok := effective(m, addr, off, accessSize(o))
	if !ok {
		return 0, false
	}
	b := d[ea:]
	switch o {
	case wasm.OpI32Load, wasm.OpF32Load, wasm.OpI64Load32U:
		return uint64(binary.LittleEndian.Uint32(b)), true
	case wasm.OpI64Load, wasm.OpF64Load:
		return binary.LittleEndian.Uint64(b), true
	case wasm.OpI32Load8S:
		return uint64(uint32(int32(int8(b[0])))), true
	case wasm.OpI32Load8U, wasm.OpI64Load8U:
		return uint64(b[0]), true
	case wasm.OpI32Load16S:
		return uint64(uint32(int32(int16(binary.LittleEndian.Uint16(b))))), true
	case wasm.OpI32Load16U, wasm.OpI64Load16U:
		return uint64(binary.LittleEndian.Uint16(b)), true
	case wasm.OpI64Load8S:
		return uint64(int64(int8(b[0]))), true
	case wasm.OpI64Load16S:
		return uint64(int64(int16(binary.LittleEndian.Uint16(b)))), true
	case wasm.OpI64Load32S:
		return uint64(int64(int32(binary.LittleEndian.Uint32(b)))), true
	}
	return 0, false
}

// memStore performs the store of wasm opcode op.
func memStore(m *runtime.Memory, addr, off uint64, op uint32, v uint64) bool {
	size := accessSize(wasm.Opcode(op))
	d, ea, ok := effective(m, addr, off, size)
	if !ok {
		return false
	}
	b := d[ea:]
	switch size {
	case 1:
		b[0] = byte(v)
	case 2:
		binary.LittleEndian.PutUint16(b, uint16(v))
	case 4:
		binary.LittleEndian.PutUint32(b, uint32(v))
	default:
		binary.LittleEndian.PutUint64(b, v)
	}
	return true
}

// addrVal reads an address operand of a memory or table.
func addrVal(v uint64, addr64 bool) uint64 {
	if addr64 {
		return v
	}
	return uint64(uint32(v))
}

// inRange reports whether [off, off+n) lies within size.
func inRange(off, n, size uint64) bool {
	return off <= size && n <= size-off
}

const msgMemOOB = "out of bounds memory access"

// memOp runs memory.size/grow/fill/copy/init and data.drop.
func memOp(inst *runtime.Instance, in *instr, l []uint64) string {
	switch in.op {
	case opMemSize:
		l[in.a] = inst.Mems[in.b].Size()
	case opMemGrow:
		m := inst.Mems[in.b]
		old, ok := m.Grow(addrVal(l[in.a], m.Type.Addr64))
		switch {
		case !ok && m.Type.Addr64:
			l[in.a] = ^uint64(0)
		case !ok:
			l[in.a] = uint64(^uint32(0))
		default:
			l[in.a] = old
		}
	case opMemFill:
		m := inst.Mems[in.b]
		d, v, n := addrVal(l[in.a], m.Type.Addr64), byte(l[in.a+1]), addrVal(l[in.a+2], m.Type.Addr64)
		md := m.Bytes()
		if !inRange(d, n, uint64(len(md))) {
			return msgMemOOB
		}
		b := md[d : d+n]
		for i := range b {
			b[i] = v
		}
	case opMemCopy:
		dm, sm := inst.Mems[in.b], inst.Mems[in.c]
		// With mixed address types the length is i32 unless both are i64.
		d, s := addrVal(l[in.a], dm.Type.Addr64), addrVal(l[in.a+1], sm.Type.Addr64)
		n := addrVal(l[in.a+2], dm.Type.Addr64 && sm.Type.Addr64)
		dd, sd := dm.Bytes(), sm.Bytes()
		if !inRange(d, n, uint64(len(dd))) || !inRange(s, n, uint64(len(sd))) {
			return msgMemOOB
		}
		copy(dd[d:d+n], sd[s:s+n])
	case opMemInit:
		m := inst.Mems[in.b]
		data := inst.Datas[in.c]
		d, s, n := addrVal(l[in.a], m.Type.Addr64), uint64(uint32(l[in.a+1])), uint64(uint32(l[in.a+2]))
		md := m.Bytes()
		if !inRange(d, n, uint64(len(md))) || !inRange(s, n, uint64(len(data))) {
			return msgMemOOB
		}
		copy(md[d:d+n], data[s:s+n])
	case opDataDrop:
		inst.Datas[in.b] = nil
	}
	return ""
}
