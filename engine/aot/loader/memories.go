package loader

import (
	"errors"
	"time"

	"github.com/gcscope/gcscope/engine/aot/compile"
	"github.com/gcscope/gcscope/engine/mem"
	"github.com/gcscope/gcscope/engine/runtime"
	"github.com/gcscope/gcscope/engine/wasm"
)

// memWords is how many words the memory descriptors take in the instance
// table (after the global pointers and instance data words): base and
// size-word address per memory (compile.MemDescWord).
func memWords(inst *runtime.Instance) int { return 2 * len(inst.Mems) }

// setMemoryWords fills the memory descriptors. The size word is the
// memory's own, so any grow (by another instance, thread or the host) is
// seen by the code at once; pinning the Linear makes keeping its address
// outside the Go heap legal.
func (st *instState) setMemoryWords(w []uint64) {
	for k, m := range st.inst.Mems {
		if m.Linear == nil {
			continue
		}
		st.pin.Pin(m.Linear.SizeAddr())
		w[2*k] = uint64(m.Linear.Base())
		w[2*k+1] = uint64(addrOf(m.Linear.SizeAddr()))
	}
}

// memOp serves the memory instructions compiled code leaves to the op
// helper: memory.grow of memories other than 0 and the atomic wait and
// notify (the code has checked bounds and alignment; l[0] is the
// effective address). ok is false for other opcodes.
func (a *activation) memOp(op wasm.Opcode, k uint64, l []uint64) (r int64, ok bool) {
	inst := a.st.inst
	if op != wasm.OpMemoryGrow && op != wasm.OpMemoryAtomicWait32 && op != wasm.OpMemoryAtomicWait64 &&
		op != wasm.OpMemoryAtomicNotify {
		return 0, false
	}
	if k >= uint64(len(inst.Mems)) || inst.Mems[k].Linear == nil {
		a.fail(&runtime.Trap{Msg: "aot: invalid memory for " + op.String()})
		return 0, true
	}
	m := inst.Mems[k]
	switch op {
	case wasm.OpMemoryGrow:
		old, grown := m.Grow(l[0])
		setMemory(a.env.Record, inst)
		if !grown {
			return -1, true
		}
		return int64(old), true
	case wasm.OpMemoryAtomicNotify:
		n, err := m.Linear.Notify(l[0], uint32(l[1]))
		a.memErr(err)
		return int64(n), true
	}
	width, exp := 4, uint64(uint32(l[1]))
	if op == wasm.OpMemoryAtomicWait64 {
		width, exp = 8, l[1]
	}
	var res mem.WaitResult
	var err error
	env := a.env
	// Outside Wasm while blocked: a stop-the-world does not wait for this
	// thread (its frame headers are committed, as at any helper call).
	env.Blocking(func() {
		res, err = m.Linear.WaitCancel(l[0], width, exp, time.Duration(int64(l[2])), env.Store.Exiting())
	})
	if errors.Is(err, mem.ErrWaitCancelled) {
		a.fail(env.Store.Failure())
		return 0, true
	}
	a.memErr(err)
	return int64(res), true
}

// memErr turns engine/mem's access errors into traps (the code checks
// bounds and alignment first, so these are only a safety net).
func (a *activation) memErr(err error) {
	switch {
	case err == nil:
	case errors.Is(err, mem.ErrOutOfBounds):
		a.trapCode(compile.TrapMemoryOOB)
	case errors.Is(err, mem.ErrUnaligned):
		a.trapCode(compile.TrapUnalignedAtomic)
	case errors.Is(err, mem.ErrNotShared):
		a.trapCode(compile.TrapNotShared)
	default:
		a.fail(&runtime.Trap{Msg: "aot: " + err.Error()})
	}
}
