package compile

import (
	"math"

	"github.com/llir/llvm/ir/enum"
	"github.com/llir/llvm/ir/types"

	w "github.com/gcscope/gcscope/engine/wasm"
)

// Memories: memory64, several memories and shared memories.
//
// Memory 0 keeps its fast path in the exec env record (memory_base,
// memory_size words). Every memory, memory 0 included, also has a
// descriptor of two words in the instance table the record's globals
// word points at, after the global pointers and the instance data words
// (abi.go, MemDescWord):
//
//	word 0: base address of memory k (never moves: memories are reserved at their maximum)
//	word 1: address of memory k's live size word (bytes)
//
// The live size word is the memory's own (engine/mem), so a grow by any
// instance, thread or the host is seen at once without bookkeeping. An
// access to memory 0 compares with the record's size; only when that
// check fails does it re-read the live size (another thread or instance
// may have grown the memory since the record was set) and update the
// record, so the common path costs what it did with one memory.

// collectMemories records the memory and table types of the index spaces.
func (g *modGen) collectMemories() {
	for _, im := range g.m.Imports {
		switch im.Kind {
		case w.ExternMemory:
			g.mems = append(g.mems, im.Memory)
		case w.ExternTable:
			g.tables = append(g.tables, im.Table)
		}
	}
	for _, mm := range g.m.Memories {
		g.mems = append(g.mems, mm.Type)
	}
	for _, t := range g.m.Tables {
		g.tables = append(g.tables, t.Type)
	}
}

func (g *modGen) memType(k uint32) w.MemoryType {
	if int(k) < len(g.mems) {
		return g.mems[k]
	}
	panic("aot: memory index out of range in a validated module")
}

func (g *modGen) table64(k uint32) bool { return int(k) < len(g.tables) && g.tables[k].Addr64 }

// to64 widens an i32 address or length to i64 (an i64 one stays).
func (f *funcGen) to64(v valueT) valueT {
	if v.Type() == types.I64 {
		return v
	}
	return f.cur.NewZExt(v, types.I64)
}

// descWord loads word j (0 base, 1 size address) of memory k's descriptor.
func (f *funcGen) descWord(k uint32, j int) valueT {
	tbl := f.cur.NewIntToPtr(f.loadEnv(envGlobals), slotPtr)
	idx := int64(MemDescWord(len(f.g.globals), int(k), j))
	return f.cur.NewLoad(types.I64, f.cur.NewGetElementPtr(types.I64, tbl, i64c(idx)))
}

// liveSize loads memory k's current size in bytes from the memory itself.
// For a shared memory the load is atomic: another thread may grow it.
func (f *funcGen) liveSize(k uint32) valueT {
	p := f.cur.NewIntToPtr(f.descWord(k, 1), slotPtr)
	ld := f.cur.NewLoad(types.I64, p)
	if f.g.memType(k).Shared {
		ld.Atomic, ld.Ordering, ld.Align = true, enum.AtomicOrderingMonotonic, 8
	}
	return ld
}

// memBase returns memory k's first byte as an i8*.
func (f *funcGen) memBase(k uint32) valueT {
	return f.cachedBase(k) // read once per function (memcache.go)
}

// checkEnd traps "out of bounds memory access" when end exceeds memory
// k's size or ovf (an i1, may be nil) is set.
func (f *funcGen) checkEnd(k uint32, end, ovf valueT) {
	bad := func(size valueT) valueT {
		var c valueT = f.cur.NewICmp(enum.IPredUGT, end, size)
		if ovf != nil {
			c = f.cur.NewOr(c, ovf)
		}
		return c
	}
	// Against the function's cached size, re-reading the live size
	// before trapping (memcache.go).
	f.checkEndCached(k, bad)
}

// addOvf adds two i64 values, returning the sum and the unsigned overflow
// bit.
func (f *funcGen) addOvf(x, y valueT) (sum, ovf valueT) {
	st := types.NewStruct(types.I64, types.I1)
	fn := f.g.intrinsic("llvm.uadd.with.overflow.i64", st, types.I64, types.I64)
	r := f.cur.NewCall(fn, x, y)
	return f.cur.NewExtractValue(r, 0), f.cur.NewExtractValue(r, 1)
}

// effective bounds-checks an access of size bytes at addr+offset in memory
// k and returns the effective address (i64). For a 32-bit memory the sum
// is formed in 64 bits where it cannot wrap (addr and offset < 2^32); for
// memory64 the addition is overflow-checked, an overflow being out of
// bounds (offsets go up to 2^64-1).
func (f *funcGen) effective(k uint32, addr valueT, offset uint64, size int64) valueT {
	if !f.g.memType(k).Addr64 {
		za := f.cur.NewZExt(addr, types.I64)
		ea := f.cur.NewAdd(za, i64c(int64(offset)))
		// Guarded accesses of a fast copy (loopguard.go) and coalesced
		// checks (boundsgroup.go) check elsewhere.
		if !f.guardedAccess(k, za) && !f.groupedCheck(k, za) {
			f.checkEnd(k, f.cur.NewAdd(ea, i64c(size)), nil)
		}
		return ea
	}
	if offset > math.MaxUint64-uint64(size) {
		// addr + offset + size >= 2^64 whatever addr is.
		f.trapIf(i1c(true), TrapMemoryOOB)
		return f.cur.NewAdd(addr, i64c(int64(offset)))
	}
	// One overflow-checked addition of the constant offset + size; when
	// it does not wrap, addr + offset does not either.
	end, ovf := f.addOvf(addr, i64c(int64(offset+uint64(size))))
	f.checkEnd(k, end, ovf)
	return f.cur.NewAdd(addr, i64c(int64(offset)))
}

// memAddress bounds-checks an access to memory k and returns its native
// pointer, typed as a pointer to t.
func (f *funcGen) memAddress(k uint32, addr valueT, offset uint64, size int64, t types.Type) valueT {
	ea := f.effective(k, addr, offset, size)
	p := f.cur.NewGetElementPtr(types.I8, f.memBase(k), ea)
	return f.cur.NewBitCast(p, types.NewPointer(t))
}

// rangeCheckMem traps unless [at, at+n) lies in memory k (at and n i32 or
// i64); it returns at as i64.
func (f *funcGen) rangeCheckMem(k uint32, at, n valueT) valueT {
	a, l := f.to64(at), f.to64(n)
	if at.Type() == types.I32 && n.Type() == types.I32 {
		f.checkEnd(k, f.cur.NewAdd(a, l), nil)
		return a
	}
	end, ovf := f.addOvf(a, l)
	f.checkEnd(k, end, ovf)
	return a
}

// memoryOp translates memory.size, memory.grow, memory.fill and
// memory.copy for any memory.
func (f *funcGen) memoryOp(in *w.Instr) bool {
	k := in.Index
	switch in.Op {
	case w.OpMemorySize:
		pages := f.cur.NewLShr(f.liveSize(k), i64c(16))
		f.push(f.addrResult(k, pages))
	case w.OpMemoryGrow:
		d := f.to64(f.pop())
		var r valueT
		if k == 0 {
			f.commit()
			f.publishTop()
			h := f.helper(HelperMemoryGrow, types.I64, envPtr, types.I64)
			r = f.cur.NewCall(h, f.env, d)
		} else {
			r = f.callOp(w.OpMemoryGrow, int64(k), []valueT{d})
		}
		f.push(f.addrResult(k, r))
	case w.OpMemoryFill:
		n, v, d := f.pop(), f.pop(), f.pop()
		at := f.rangeCheckMem(k, d, n)
		dp := f.cur.NewGetElementPtr(types.I8, f.memBase(k), at)
		h := f.helper(HelperMemFill, types.Void, types.I8Ptr, types.I64, types.I64)
		f.cur.NewCall(h, dp, f.cur.NewZExt(v, types.I64), f.to64(n))
	case w.OpMemoryCopy:
		// Index is the destination memory, Index2 the source.
		n, s, d := f.pop(), f.pop(), f.pop()
		da := f.rangeCheckMem(k, d, n)
		sa := f.rangeCheckMem(in.Index2, s, n)
		dp := f.cur.NewGetElementPtr(types.I8, f.memBase(k), da)
		sp := f.cur.NewGetElementPtr(types.I8, f.memBase(in.Index2), sa)
		h := f.helper(HelperMemCopy, types.Void, types.I8Ptr, types.I8Ptr, types.I64)
		f.cur.NewCall(h, dp, sp, f.to64(n))
	default:
		return false
	}
	return true
}

// addrResult gives an i64 page count or grow result memory k's address
// type: memory64 keeps i64, others truncate (-1 becomes i32 -1).
func (f *funcGen) addrResult(k uint32, v valueT) valueT {
	if f.g.memType(k).Addr64 {
		return v
	}
	return f.cur.NewTrunc(v, types.I32)
}

// callOp calls the op helper for op with immediate imm and the given
// operands, committing the frame first; it returns the helper's i64.
func (f *funcGen) callOp(op w.Opcode, imm int64, args []valueT) valueT {
	f.commit()
	slots := f.spill(args, 3)
	f.publishTop()
	h := f.helper(HelperOp, types.I64, envPtr, types.I64, types.I64, slotPtr)
	return f.cur.NewCall(h, f.env, i64c(int64(op)), i64c(imm), slots)
}

// opResult converts the op helper's result of in to its Wasm type: i64
// for table.size and table.grow of a table64, else i32.
func (f *funcGen) opResult(in *w.Instr, r valueT) valueT {
	if (in.Op == w.OpTableSize || in.Op == w.OpTableGrow) && f.g.table64(in.Index) {
		return r
	}
	return f.cur.NewTrunc(r, types.I32)
}
