package loader

import (
	"github.com/gcscope/gcscope/engine/runtime"
	"github.com/gcscope/gcscope/engine/wasm"
)

// slotCount is the number of 64-bit slots values of the given types take
// in the slot stack (two for a v128, docs/frame-layout.md).
func slotCount(ts []wasm.ValType) int {
	n := 0
	for _, t := range ts {
		n += runtime.Slots(t)
	}
	return n
}
