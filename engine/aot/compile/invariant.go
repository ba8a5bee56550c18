package compile

import (
	"github.com/llir/llvm/ir"
	"github.com/llir/llvm/ir/constant"
	"github.com/llir/llvm/ir/metadata"
	"github.com/llir/llvm/ir/types"
)

// Invariant loads.
//
// LLVM cannot tell that a store to a heap object (or to the record's
// alloc_cursor) leaves the exec env record and the instance table alone,
// so without help every allocation and field access reloaded the heap
// base, the instance table's address, the canonical type id table and the
// start bitmap's address, even right after a store that cannot touch
// them. The words below are marked !invariant.load: their value is the
// same at every point a function's activation can observe, so LLVM may
// load them once, hoist them out of loops and keep them across stores and
// calls (or rematerialize them instead of spilling):
//
//   - heap_base: set when the exec env is made, from the heap's
//     reservation, which never moves (gc.Heap.Base).
//   - globals (the instance table's address): set by each invocation and
//     restored when it returns (loader.Invoke's savedWords), so a nested
//     invocation of another instance during a call leaves it as it was.
//   - the instance table's entries: each global's address (globals are
//     pinned) and the instance data words InstTypes, InstStartBits and
//     InstInlineAlloc (written once by the loader's setupData before any
//     code of the instance runs), and the canonical type ids in the
//     InstTypes table (likewise).
//   - an immutable global's value, in release builds: the instance's
//     instantiation (or, for an imported global, the exporting
//     instance's) writes it before any code that reads it runs, and
//     nothing writes it again (global.set needs a mutable global, and
//     the runtime's Global.Set refuses an immutable one). Debug builds
//     keep the plain load. Shapes' $all reads each vtable global once
//     instead of once per constructor, and the backend may order those
//     loads freely against the objects' stores.
//
// Words another thread or a helper can change (alloc_cursor and
// alloc_limit, which a refill or a collection rewrites; the interrupt
// word; memory sizes) are never loaded this way.

// invariantMD is the attachment that marks a load invariant.
var invariantMD = &metadata.Attachment{Name: "invariant.load", Node: &metadata.Tuple{MetadataID: -1}}

// loadInvariant appends to the current block a load of t through p that
// LLVM may treat as constant (see above).
func (f *funcGen) loadInvariant(t types.Type, p valueT) *ir.InstLoad {
	ld := f.cur.NewLoad(t, p)
	ld.Metadata = append(ld.Metadata, invariantMD)
	return ld
}

// loadEnvInvariant loads record word w, which must be one of the words
// listed above.
func (f *funcGen) loadEnvInvariant(w int) valueT { return f.loadInvariant(types.I64, f.envWord(w)) }

// isZeroConst reports whether v is a constant whose bits are all zero
// (0, +0.0, a null reference): storing it into a fresh object, which
// every allocation path hands out zeroed, changes nothing.
func isZeroConst(v valueT) bool {
	switch c := v.(type) {
	case *constant.Int:
		return c.X.Sign() == 0
	case *constant.Float:
		return !c.NaN && c.X != nil && c.X.Sign() == 0 && !c.X.Signbit()
	case *constant.ZeroInitializer:
		return true
	}
	return false
}
