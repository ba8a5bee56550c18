package compile

import (
	"strings"

	"github.com/llir/llvm/ir"
	"github.com/llir/llvm/ir/enum"
	"github.com/llir/llvm/ir/types"

	w "github.com/gcscope/gcscope/engine/wasm"
)

// Trap codes of the threads proposal. They are numbered apart from the
// others (0x20..) so that other additions to the list cannot collide.
const (
	// TrapUnalignedAtomic: an atomic access whose effective address is
	// not a multiple of its size.
	TrapUnalignedAtomic = 0x20 + iota
	// TrapNotShared: memory.atomic.wait on an unshared memory.
	TrapNotShared
)

func init() {
	TrapMessages[TrapUnalignedAtomic] = "unaligned atomic"
	TrapMessages[TrapNotShared] = "expected shared memory"
}

// atomKind classifies an atomic instruction.
type atomKind uint8

const (
	atomLoad atomKind = iota + 1
	atomStore
	atomRMW
	atomCmpxchg
	atomWait
	atomNotify
	atomFence
)

// atomInfo is what the translation needs of an atomic instruction.
type atomInfo struct {
	kind  atomKind
	size  int64      // access width in bytes
	val   types.Type // Wasm value type (i32 or i64)
	rmwOp enum.AtomicOp
}

// atomics maps every 0xFE opcode to its shape, derived once from the
// opcode table's mnemonics and natural alignment.
var atomics = map[w.Opcode]atomInfo{}

func init() {
	rmw := []struct {
		name string
		op   enum.AtomicOp
	}{{".add", enum.AtomicOpAdd}, {".sub", enum.AtomicOpSub}, {".and", enum.AtomicOpAnd},
		{".or", enum.AtomicOpOr}, {".xor", enum.AtomicOpXor}, {".xchg", enum.AtomicOpXChg}}
	for _, info := range w.AllOps() {
		if !info.Atomic {
			continue
		}
		n := info.Name
		a := atomInfo{size: 1 << info.Align, val: types.I32}
		if strings.HasPrefix(n, "i64.") {
			a.val = types.I64
		}
		switch {
		case info.Op == w.OpAtomicFence:
			a.kind = atomFence
		case info.Op == w.OpMemoryAtomicNotify:
			a.kind = atomNotify
		case info.Op == w.OpMemoryAtomicWait32 || info.Op == w.OpMemoryAtomicWait64:
			a.kind = atomWait
		case strings.Contains(n, "cmpxchg"):
			a.kind = atomCmpxchg
		case strings.Contains(n, ".load"):
			a.kind = atomLoad
		case strings.Contains(n, ".store"):
			a.kind = atomStore
		default:
			for _, r := range rmw {
				if strings.Contains(n, r.name) {
					a.kind, a.rmwOp = atomRMW, r.op
				}
			}
		}
		if a.kind != 0 {
			atomics[info.Op] = a
		}
	}
}

// atomicAddress bounds-checks (first) and alignment-checks (second, as the
// spec orders the traps) an atomic access and returns the effective
// address as i64.
func (f *funcGen) atomicAddress(k uint32, addr valueT, offset uint64, size int64) valueT {
	ea := f.effective(k, addr, offset, size)
	if size > 1 {
		mis := f.cur.NewAnd(ea, i64c(size-1))
		f.trapIf(f.cur.NewICmp(enum.IPredNE, mis, i64c(0)), TrapUnalignedAtomic)
	}
	return ea
}

// atomicPtr is atomicAddress as a native pointer to an integer of size
// bytes.
func (f *funcGen) atomicPtr(k uint32, addr valueT, offset uint64, size int64) (valueT, types.Type) {
	ea := f.atomicAddress(k, addr, offset, size)
	t := intOfSize(size)
	p := f.cur.NewGetElementPtr(types.I8, f.memBase(k), ea)
	return f.cur.NewBitCast(p, types.NewPointer(t)), t
}

// narrow truncates an operand to the access width.
func (f *funcGen) narrow(v valueT, t types.Type) valueT {
	if v.Type().Equal(t) {
		return v
	}
	return f.cur.NewTrunc(v, t)
}

// widen zero-extends a loaded value to the instruction's value type.
func (f *funcGen) widen(v valueT, t types.Type) valueT {
	if v.Type().Equal(t) {
		return v
	}
	return f.cur.NewZExt(v, t)
}

// atomic translates the 0xFE instructions: accesses become sequentially
// consistent LLVM atomics after the bounds and alignment checks; wait and
// notify go to the runtime through the op helper.
func (f *funcGen) atomic(in *w.Instr) bool {
	a, ok := atomics[in.Op]
	if !ok {
		return false
	}
	k, sc := in.Index, enum.AtomicOrderingSequentiallyConsistent
	switch a.kind {
	case atomFence:
		f.cur.NewFence(sc)
	case atomLoad:
		p, t := f.atomicPtr(k, f.pop(), in.Value, a.size)
		ld := f.cur.NewLoad(t, p)
		ld.Atomic, ld.Ordering, ld.Align = true, sc, ir.Align(a.size)
		f.push(f.widen(ld, a.val))
	case atomStore:
		v := f.pop()
		p, t := f.atomicPtr(k, f.pop(), in.Value, a.size)
		st := f.cur.NewStore(f.narrow(v, t), p)
		st.Atomic, st.Ordering, st.Align = true, sc, ir.Align(a.size)
	case atomRMW:
		v := f.pop()
		p, t := f.atomicPtr(k, f.pop(), in.Value, a.size)
		r := f.cur.NewAtomicRMW(a.rmwOp, p, f.narrow(v, t), sc)
		f.push(f.widen(r, a.val))
	case atomCmpxchg:
		rep, exp := f.pop(), f.pop()
		p, t := f.atomicPtr(k, f.pop(), in.Value, a.size)
		x := f.cur.NewCmpXchg(p, f.narrow(exp, t), f.narrow(rep, t), sc, sc)
		f.push(f.widen(f.cur.NewExtractValue(x, 0), a.val))
	case atomWait:
		timeout, exp, addr := f.pop(), f.pop(), f.pop()
		if !f.g.memType(k).Shared {
			// Known at compile time; the rest of the block still gets
			// translated, into a block nothing reaches.
			f.emitTrap(TrapNotShared)
			f.cur = f.newBlock()
			f.push(i32c(0))
			return true
		}
		ea := f.atomicAddress(k, addr, in.Value, a.size)
		r := f.callOp(in.Op, int64(k), []valueT{ea, exp, timeout})
		f.push(f.cur.NewTrunc(r, types.I32))
	case atomNotify:
		count := f.pop()
		ea := f.atomicAddress(k, f.pop(), in.Value, a.size)
		r := f.callOp(in.Op, int64(k), []valueT{ea, count})
		f.push(f.cur.NewTrunc(r, types.I32))
	}
	return true
}

// intOfSize is the LLVM integer type of size bytes: the shared types.I8
// ... types.I64 values, since the translation compares types by identity
// in places (types.NewInt would make a distinct, unequal *IntType).
func intOfSize(size int64) *types.IntType {
	switch size {
	case 1:
		return types.I8
	case 2:
		return types.I16
	case 4:
		return types.I32
	}
	return types.I64
}
