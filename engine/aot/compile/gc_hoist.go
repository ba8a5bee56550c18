package compile

import (
	"github.com/llir/llvm/ir"
	"github.com/llir/llvm/ir/types"
)

// Header words loaded once per function (docs/aot-compiler.md
// "binary_trees (aot-trees)"). An allocation's header word is three
// dependent invariant loads (the instance table, its InstTypes word, the
// table entry). Loaded in the allocation's own block, as before, LLVM
// merged them only within a block: binary_trees' make, whose levels
// inline 127 allocations on as many paths, ran the three loads at every
// node, the store of the header waiting for them. Loaded in the entry
// block, which dominates every allocation, the levels' loads (each
// level's entry is inlined into its caller) merge into level 0's, and
// the word stays in a register or a spill slot: one load at most.

// entryHeaderWord returns the header word of module type t's objects,
// loaded in the function's entry block (whose terminator is added after
// the body).
func (f *funcGen) entryHeaderWord(t uint32) valueT {
	if v, ok := f.hw.words[t]; ok {
		return v
	}
	e := f.entry
	if f.hw.table == nil {
		glob := entryInvariant(e, types.I64, e.NewGetElementPtr(types.I64, f.env, i64c(envGlobals)))
		tbl := e.NewIntToPtr(glob, slotPtr)
		w := entryInvariant(e, types.I64, e.NewGetElementPtr(types.I64, tbl, i64c(int64(len(f.g.globals)+InstTypes))))
		f.hw.table = e.NewIntToPtr(w, types.I8Ptr)
		f.hw.words = map[uint32]valueT{}
	}
	at := int64(HeaderTableOffset(len(f.g.m.Types))) + 8*int64(t)
	p := e.NewBitCast(e.NewGetElementPtr(types.I8, f.hw.table, i64c(at)), slotPtr)
	v := entryInvariant(e, types.I64, p)
	f.hw.words[t] = v
	return v
}

// entryInvariant is an invariant load (invariant.go) appended to block e.
func entryInvariant(e *ir.Block, t types.Type, p valueT) valueT {
	ld := e.NewLoad(t, p)
	ld.Metadata = append(ld.Metadata, invariantMD)
	return ld
}

// headerWords holds a function's entry-block header words.
type headerWords struct {
	table valueT            // the header table's base (i8*)
	words map[uint32]valueT // by module type index
}
