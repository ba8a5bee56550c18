package compile

import (
	"github.com/llir/llvm/ir"
	"github.com/llir/llvm/ir/types"
)

// Values that cannot change while a function runs are computed once per
// basic block: the addresses of exec env words, the env words that stay
// fixed while a function runs (helper table, instance table, heap base),
// instance data words and canonical type ids. opt's early passes would
// merge them at -O2, but at -O0 nothing does, and a large function
// repeated a GEP and a load for each use (a third of microhs's main). A
// block is the unit because whatever a block defines dominates the rest
// of it, and at -O0 a value kept across blocks costs a spill and a reload
// anyway.

// blockMemo holds the memoized values of one block.
type blockMemo struct {
	blk  *ir.Block
	vals map[memoKey]valueT
}

// memoKey names a memoized value: a kind and its index.
type memoKey struct {
	kind int
	k    int64
}

const (
	memoEnvAddr = iota
	memoEnvLoad
	memoInstWord
	memoCanonID
	memoHelperWord
	memoHeapBase
)

// memo returns the value named by key in the current block, computing it
// with mk the first time.
func (f *funcGen) memo(key memoKey, mk func() valueT) valueT {
	if f.mm.blk != f.cur {
		f.mm.blk = f.cur
		f.mm.vals = map[memoKey]valueT{}
	}
	if v, ok := f.mm.vals[key]; ok {
		return v
	}
	v := mk()
	if f.mm.blk == f.cur { // mk stayed in the block
		f.mm.vals[key] = v
	}
	return v
}

// fixedEnvWord reports whether exec env word w keeps its value while the
// function runs, so a load of it may be reused: the helper table and the
// heap base are set once per env, and the instance table for the
// function's whole run (memcache.go reads memory descriptors through it
// once, at entry).
func fixedEnvWord(w int) bool {
	switch w {
	case envHelpers, envGlobals, envHeapBase:
		return true
	}
	return false
}

// heapBase is the heap's address as an i8*.
func (f *funcGen) heapBase() valueT {
	return f.memo(memoKey{memoHeapBase, 0}, func() valueT {
		return f.cur.NewIntToPtr(f.loadEnvInvariant(envHeapBase), types.I8Ptr)
	})
}
