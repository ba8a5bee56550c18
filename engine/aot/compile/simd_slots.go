package compile

import (
	"github.com/llir/llvm/ir"
	"github.com/llir/llvm/ir/types"

	w "github.com/gcscope/gcscope/engine/wasm"
)

// Values in slots (the entry wrapper's parameters and results, helper
// call arguments, multi-value results, globals) follow
// docs/frame-layout.md: one 64-bit slot per value, two for a v128 (low 8
// bytes first, which is element order of the little-endian <2 x i64>).

// slotWidth is the number of slots a value of LLVM type t takes.
func slotWidth(t types.Type) int {
	if isV128(t) {
		return 2
	}
	return 1
}

// slotCount is the number of slots a sequence of values takes.
func slotCount(ts []types.Type) int {
	n := 0
	for _, t := range ts {
		n += slotWidth(t)
	}
	return n
}

// valueSlots is slotCount for values.
func valueSlots(vs []valueT) int {
	n := 0
	for _, v := range vs {
		n += slotWidth(v.Type())
	}
	return n
}

// putSlot stores v at slot k and returns the next free slot.
func putSlot(b *ir.Block, slots valueT, k int, v valueT) int {
	if isV128(v.Type()) {
		st := b.NewStore(v, b.NewBitCast(slotAt(b, slots, k), types.NewPointer(v128T)))
		st.Align = 8
		return k + 2
	}
	b.NewStore(toSlot(b, v), slotAt(b, slots, k))
	return k + 1
}

// getSlot loads a value of type t from slot k and returns it with the
// next slot.
func getSlot(b *ir.Block, slots valueT, k int, t types.Type) (valueT, int) {
	if isV128(t) {
		ld := b.NewLoad(v128T, b.NewBitCast(slotAt(b, slots, k), types.NewPointer(v128T)))
		ld.Align = 8
		return ld, k + 2
	}
	return fromSlot(b, b.NewLoad(types.I64, slotAt(b, slots, k)), t), k + 1
}

// typesOf maps Wasm value types to LLVM types (already checked by funcType).
func typesOf(ts []w.ValType) []types.Type {
	out := make([]types.Type, len(ts))
	for k, t := range ts {
		out[k] = mustType(t)
	}
	return out
}
