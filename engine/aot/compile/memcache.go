package compile

import (
	"github.com/llir/llvm/ir"
	"github.com/llir/llvm/ir/enum"
	"github.com/llir/llvm/ir/types"
)

// Per-function caches of each memory's base address and size.
//
// LLVM cannot tell that a store to linear memory leaves the exec env record
// alone, and every loop holds a call (the cold interrupt helper) that may
// write the record; so loads of memory_base and memory_size from the
// record were repeated at every access of every loop iteration. Instead
// each function reads them once, in its entry block, into values of its
// own:
//
//   - The base is an SSA value. A memory never moves (engine/mem reserves
//     its maximum), and an invocation nested in a call (a host function
//     calling back into this or another instance) restores the record's
//     words when it returns (loader.Invoke), so the base read at entry is
//     the base for the whole function.
//   - The size is an alloca (a phi after mem2reg) read from the memory's
//     live size word (its descriptor), not from the record, which a nested
//     invocation may leave behind the live size.
//
// How the size stays true depends on who can grow the memory:
//
//   - A memory that is not shared only grows on this thread, so during a
//     call: memory.grow's helper, a callee, a host function, a nested
//     invocation, the interrupt helper. After every call in the function
//     (refreshSizes) the cache is re-read from the live word, and a bounds
//     check that fails traps at once, as before aot-mem. Then passing a
//     check means "end <= the cached size", the value later checks compare
//     with, and LLVM drops later checks of smaller ends and keeps memory
//     values in registers across them.
//   - A shared memory may grow on another thread at any time: the cache is
//     a lower bound (memories only grow), and a failed check re-reads the
//     live size (atomically) into the cache and checks again before
//     trapping. The merge of that slow path into the continuation loses
//     the fact above (aot-mem did this for every memory: nbody 85 -> 115
//     us), so only shared memories pay it.
type memCache struct {
	base    map[uint32]valueT         // memory k's base as an i8*
	size    map[uint32]*ir.InstAlloca // memory k's known size in bytes (i64)
	sizePtr map[uint32]valueT         // memory k's live size word (i64*)
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
	idx := int64(MemDescWord(len(f.g.globals), int(k), j))
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

// loadLive loads memory k's live size through ptr (atomically for a
// shared memory, as liveSize does).
func (f *funcGen) loadLive(b *ir.Block, k uint32, ptr valueT) *ir.InstLoad {
	ld := ir.NewLoad(types.I64, ptr)
	if f.g.memType(k).Shared {
		ld.Atomic, ld.Ordering, ld.Align = true, enum.AtomicOrderingMonotonic, 8
	}
	if b != nil {
		b.Insts = append(b.Insts, ld)
	}
	return ld
}

// cachedSize returns the alloca holding memory k's known size, set in
// the entry block from the memory's live size word.
func (f *funcGen) cachedSize(k uint32) *ir.InstAlloca {
	if a, ok := f.mc.size[k]; ok {
		return a
	}
	ptr := f.entry.NewIntToPtr(f.entryDescWord(k, 1), slotPtr)
	a := f.alloca(types.I64)
	f.entry.NewStore(f.loadLive(f.entry, k, ptr), a)
	if f.mc.size == nil {
		f.mc.size = map[uint32]*ir.InstAlloca{}
		f.mc.sizePtr = map[uint32]valueT{}
	}
	f.mc.size[k], f.mc.sizePtr[k] = a, ptr
	return a
}

// checkEndCached is checkEnd against the cached size; see memCache.
func (f *funcGen) checkEndCached(k uint32, bad func(size valueT) valueT) {
	a := f.cachedSize(k)
	if !f.g.memType(k).Shared {
		f.trapIf(bad(f.cur.NewLoad(types.I64, a)), TrapMemoryOOB)
		return
	}
	slow, cont := f.newBlock(), f.newBlock()
	f.cur.NewCondBr(bad(f.cur.NewLoad(types.I64, a)), slow, cont)
	f.cur = slow
	live := f.liveSize(k)
	// Only the cache is updated, not the record's memory_size: LLVM takes
	// a store to the record for one that may alias linear memory, so it
	// would have to reload memory values loaded before it.
	f.cur.NewStore(live, a)
	f.trapIf(bad(live), TrapMemoryOOB)
	f.cur.NewBr(cont)
	f.cur = cont
}

// refreshSizes re-reads the cached size of every non-shared memory the
// function accesses after each call that may grow it (see memCache):
// every call but intrinsics, inline asm (the NaN barrier), calls that do
// not return, and tail calls (a call right before ret: nothing follows
// it, and tail calls must stay in tail position), and the interrupt calls
// of versioned loops' fast copies, which compare instead (loopversion.go).
// Run once the body is translated.
func (f *funcGen) refreshSizes() {
	var ks []uint32
	for k := range f.mc.size {
		if !f.g.memType(k).Shared {
			ks = append(ks, k)
		}
	}
	if len(ks) == 0 {
		return
	}
	for _, b := range f.fn.Blocks {
		if b == f.entry {
			continue
		}
		var out []ir.Instruction
		for i, in := range b.Insts {
			out = append(out, in)
			c, ok := in.(*ir.InstCall)
			if !ok || !mayGrow(c) || f.fastCall(c) {
				continue
			}
			if _, ret := b.Term.(*ir.TermRet); ret && i == len(b.Insts)-1 {
				continue
			}
			for _, k := range ks {
				ld := f.loadLive(nil, k, f.mc.sizePtr[k])
				st := ir.NewStore(ld, f.mc.size[k])
				out = append(out, ld, st)
			}
		}
		b.Insts = out
	}
}

// mayGrow reports whether call c may grow a memory: not an intrinsic,
// not inline asm, not a call that never returns.
func mayGrow(c *ir.InstCall) bool {
	switch callee := c.Callee.(type) {
	case *ir.InlineAsm:
		return false
	case *ir.Func:
		if len(callee.Name()) > 5 && callee.Name()[:5] == "llvm." {
			return false
		}
	}
	for _, a := range c.FuncAttrs {
		if a == enum.FuncAttrNoReturn {
			return false
		}
	}
	return true
}
