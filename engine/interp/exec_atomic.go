package interp

import (
	"encoding/binary"
	"strings"

	"github.com/gcscope/gcscope/engine/runtime"
	"github.com/gcscope/gcscope/engine/wasm"
)

// atomicKind classifies an atomic instruction.
type atomicKind uint8

const (
	atomLoad atomicKind = iota + 1
	atomStore
	atomAdd
	atomSub
	atomAnd
	atomOr
	atomXor
	atomXchg
	atomCmpxchg
	atomNotify
	atomWait
)

// atomics maps each atomic opcode to its kind, parsed once from the
// opcode table's mnemonics.
var atomics = map[wasm.Opcode]atomicKind{}

func init() {
	for _, info := range wasm.AllOps() {
		if !info.Atomic {
			continue
		}
		n := info.Name
		var k atomicKind
		switch {
		case strings.Contains(n, "notify"):
			k = atomNotify
		case strings.Contains(n, "wait"):
			k = atomWait
		case strings.Contains(n, ".load"):
			k = atomLoad
		case strings.Contains(n, ".store"):
			k = atomStore
		case strings.HasSuffix(n, "cmpxchg") || strings.HasSuffix(n, "cmpxchg_u"):
			k = atomCmpxchg
		case strings.Contains(n, ".add"):
			k = atomAdd
		case strings.Contains(n, ".sub"):
			k = atomSub
		case strings.Contains(n, ".and"):
			k = atomAnd
		case strings.Contains(n, ".or"):
			k = atomOr
		case strings.Contains(n, ".xor"):
			k = atomXor
		case strings.Contains(n, ".xchg"):
			k = atomXchg
		}
		atomics[info.Op] = k
	}
}

func readN(b []byte, size uint64) uint64 {
	switch size {
	case 1:
		return uint64(b[0])
	case 2:
		return uint64(binary.LittleEndian.Uint16(b))
	case 4:
		return uint64(binary.LittleEndian.Uint32(b))
	}
	return binary.LittleEndian.Uint64(b)
}

func writeN(b []byte, size, v uint64) {
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
}

// atomicOp runs an atomic access. One thread runs Wasm per store for
// now, so plain accesses are atomic; waiting on a memory nobody else can
// change would block forever, so wait reports "not-equal" or "timed-out".
func atomicOp(inst *runtime.Instance, in *instr, l []uint64) string {
	m := inst.Mems[in.b]
	size := uint64(1) << in.d
	k := atomics[wasm.Opcode(in.c)]
	if k == atomWait && !m.Type.Shared {
		return "expected shared memory"
	}
	ea, ok := effective(m, l[in.a], in.imm, size)
	if !ok {
		return msgMemOOB
	}
	if ea%size != 0 {
		return "unaligned atomic"
	}
	b := m.Data[ea:]
	mask := ^uint64(0)
	if size < 8 {
		mask = 1<<(8*size) - 1
	}
	old := readN(b, size)
	var arg uint64
	if k != atomLoad {
		arg = l[in.a+1] & mask
	}
	switch k {
	case atomLoad:
		l[in.a] = old
	case atomStore:
		writeN(b, size, arg)
	case atomNotify:
		l[in.a] = 0
	case atomWait:
		if old != arg {
			l[in.a] = 1
		} else {
			l[in.a] = 2
		}
	case atomCmpxchg:
		if old == arg {
			writeN(b, size, l[in.a+2]&mask)
		}
		l[in.a] = old
	default:
		var v uint64
		switch k {
		case atomAdd:
			v = old + arg
		case atomSub:
			v = old - arg
		case atomAnd:
			v = old & arg
		case atomOr:
			v = old | arg
		case atomXor:
			v = old ^ arg
		case atomXchg:
			v = arg
		}
		writeN(b, size, v&mask)
		l[in.a] = old
	}
	return ""
}
