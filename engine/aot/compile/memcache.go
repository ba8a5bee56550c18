package compile

import (
	"github.com/llir/llvm/ir"
	"github.com/llir/llvm/ir/types"
)

// Per-function caches of each memory's base address and known size.
//
// LLVM cannot tell that a store to linear memory leaves the exec env record
// and the memory descriptors alone, and every loop holds a call (the cold
// interrupt helper) that may write the record; so loads of memory_base and
// memory_size from the record were repeated at every access of every loop
// iteration. Instead each function reads them once, in its entry block,
// into values of its own:
//
//   - The base is an SSA value. A memory never moves (engine/mem reserves
//     its maximum), and an invocation nested in a call (a host function
//     calling back into this or another instance) restores the record's
//     words when it returns (loader.Invoke), so the base read at entry is
//     the base for the whole function.
//   - The size is an alloca (a phi after mem2reg) holding a lower bound of
//     the live size: memories only grow, so a value read earlier is never
//     too large. A bounds check that fails against it re-reads the live
//     size (memory.grow here, in a callee, another thread or the host may
//     have grown the memory), stores it in the cache and checks again;
//     only then does it trap.
//
// So a loop's accesses load nothing from the record, and no aliasing
// information is needed for it.
type memCache struct {
	base map[uint32]valueT         // memory k's base as an i8*
	size map[uint32]*ir.InstAlloca // memory k's known size in bytes (i64)
}

// entryLoad appends a load of record word w to the entry block, whose
// terminator is only added after the body: a value loaded there
// dominates every use in the function.
func (f *funcGen) entryLoad(w int) valueT {
	p := f.entry.NewGetElementPtr(types.I64, f.env, i64c(int64(w)))
	return f.entry.NewLoad(types.I64, p)
}

// entryDescWord is descWord, loaded in the entry block.
func (f *funcGen) entryDescWord(k uint32, j int) valueT {
	tbl := f.entry.NewIntToPtr(f.entryLoad(envGlobals), slotPtr)
	idx := int64(len(f.g.globals)) + 2*int64(k) + int64(j)
	return f.entry.NewLoad(types.I64, f.entry.NewGetElementPtr(types.I64, tbl, i64c(idx)))
}

// cachedBase returns memory k's base (i8*), read once per function.
func (f *funcGen) cachedBase(k uint32) valueT {
	if b, ok := f.mc.base[k]; ok {
		return b
	}
	var w valueT
	if k == 0 {
		w = f.entryLoad(envMemoryBase)
	} else {
		w = f.entryDescWord(k, 0)
	}
	b := f.entry.NewIntToPtr(w, types.I8Ptr)
	if f.mc.base == nil {
		f.mc.base = map[uint32]valueT{}
	}
	f.mc.base[k] = b
	return b
}

// cachedSize returns the alloca holding memory k's known size, set in
// the entry block from the record (memory 0) or the live size word.
func (f *funcGen) cachedSize(k uint32) *ir.InstAlloca {
	if a, ok := f.mc.size[k]; ok {
		return a
	}
	var s valueT
	if k == 0 {
		s = f.entryLoad(envMemorySize)
	} else {
		cur := f.cur
		f.cur = f.entry // liveSize appends to f.cur
		s = f.liveSize(k)
		f.cur = cur
	}
	a := f.alloca(types.I64)
	f.entry.NewStore(s, a)
	if f.mc.size == nil {
		f.mc.size = map[uint32]*ir.InstAlloca{}
	}
	f.mc.size[k] = a
	return a
}

// checkEndCached is checkEnd against the cached size; see memCache.
func (f *funcGen) checkEndCached(k uint32, bad func(size valueT) valueT) {
	a := f.cachedSize(k)
	slow, cont := f.newBlock(), f.newBlock()
	f.cur.NewCondBr(bad(f.cur.NewLoad(types.I64, a)), slow, cont)
	f.cur = slow
	live := f.liveSize(k)
	// Only the cache is updated, not the record's memory_size: LLVM takes
	// a store to the record for one that may alias linear memory, and such
	// a store on every access's slow path (aot-mem did that) kept it from
	// reusing loaded memory values across accesses (nbody 85 -> 115 us).
	// Callees read the record again; when another thread, instance or the
	// host grew the memory, each activation pays this slow path once.
	f.cur.NewStore(live, a)
	f.trapIf(bad(live), TrapMemoryOOB)
	f.cur.NewBr(cont)
	f.cur = cont
}
