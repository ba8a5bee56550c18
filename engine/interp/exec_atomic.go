package interp

import (
	"errors"
	"strings"
	"time"

	"github.com/gcscope/gcscope/engine/mem"
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

// atomicRMW maps the read-modify-write kinds to engine/mem's operations.
var atomicRMW = [...]mem.RMWOp{atomAdd: mem.RMWAdd, atomSub: mem.RMWSub, atomAnd: mem.RMWAnd,
	atomOr: mem.RMWOr, atomXor: mem.RMWXor, atomXchg: mem.RMWXchg}

// atomicOp runs an atomic access through engine/mem's atomic accessors, so
// it is atomic with respect to every other thread sharing the memory.
// memory.atomic.wait blocks (outside Wasm, see ExecEnv.Blocking) until
// notified or timed out; on an unshared memory it traps.
func atomicOp(env *runtime.ExecEnv, inst *runtime.Instance, in *instr, l []uint64) string {
	m := inst.Mems[in.b]
	size := uint64(1) << in.d
	k := atomics[wasm.Opcode(in.c)]
	if k == atomWait && !m.Type.Shared {
		return "expected shared memory"
	}
	b, ea, ok := effective(m, l[in.a], in.imm, size)
	if !ok {
		return msgMemOOB
	}
	if ea%size != 0 {
		return "unaligned atomic"
	}
	mask := ^uint64(0)
	if size < 8 {
		mask = 1<<(8*size) - 1
	}
	w := int(size)
	var err error
	switch k {
	case atomLoad:
		l[in.a], err = mem.AtomicLoad(b, ea, w)
	case atomStore:
		err = mem.AtomicStore(b, ea, w, l[in.a+1]&mask)
	case atomNotify:
		var n uint32
		n, err = m.Linear.Notify(ea, uint32(l[in.a+1]))
		l[in.a] = uint64(n)
	case atomWait:
		return atomicWait(env, m, in, l, ea, mask)
	case atomCmpxchg:
		l[in.a], err = mem.AtomicCmpxchg(b, ea, w, l[in.a+1]&mask, l[in.a+2]&mask)
	default:
		l[in.a], err = mem.AtomicRMW(b, ea, w, atomicRMW[k], l[in.a+1]&mask)
	}
	return memErr(err)
}

// atomicWait is memory.atomic.wait32/64 at effective address ea: the
// expected value is operand 1, the timeout (ns, negative: forever)
// operand 2. The thread is outside Wasm while it blocks, so a collection
// or an all-stop requested meanwhile does not wait for it.
func atomicWait(env *runtime.ExecEnv, m *runtime.Memory, in *instr, l []uint64, ea, mask uint64) string {
	timeout := time.Duration(int64(l[in.a+2]))
	var res mem.WaitResult
	var err error
	width := 4
	if mask == ^uint64(0) {
		width = 8
	}
	env.Blocking(func() {
		res, err = m.Linear.WaitCancel(ea, width, l[in.a+1]&mask, timeout, env.Store.Exiting())
	})
	l[in.a] = uint64(res)
	if errors.Is(err, mem.ErrWaitCancelled) {
		return exitTrap
	}
	return memErr(err)
}

// exitTrap is the message of a wait ended by Store.Fail: the run loop
// returns the store's failure instead.
const exitTrap = "\x00exit"

// memErr turns engine/mem's access errors into trap messages.
func memErr(err error) string {
	switch {
	case err == nil:
		return ""
	case errors.Is(err, mem.ErrOutOfBounds):
		return msgMemOOB
	case errors.Is(err, mem.ErrUnaligned):
		return "unaligned atomic"
	case errors.Is(err, mem.ErrNotShared):
		return "expected shared memory"
	}
	return "internal error: " + err.Error()
}
