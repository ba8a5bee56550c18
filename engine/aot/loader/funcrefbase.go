package loader

import (
	"github.com/gcscope/gcscope/engine/gc"
	"github.com/gcscope/gcscope/engine/runtime"
	"github.com/gcscope/gcscope/engine/wasm"
)

// funcRefBase is the reference of inst's first defined function's funcref
// object if the defined functions' funcref objects lie one after another,
// gc.SmallObjectSize bytes apart (as instantiation allocates them), else
// all ones (compile.InstFuncRefBase). The store roots every function's
// funcref object for its lifetime and the heap does not move objects, so
// what holds here holds for as long as the instance's code runs.
func funcRefBase(inst *runtime.Instance) uint64 {
	nImp := inst.Module.NumImported(wasm.ExternFunc)
	if nImp >= len(inst.Funcs) {
		return ^uint64(0)
	}
	base := inst.Funcs[nImp].Ref().Bits
	for i := nImp; i < len(inst.Funcs); i++ {
		f := inst.Funcs[i]
		if f.Inst != inst || f.Ref().Bits != base+uint64(i-nImp)*gc.SmallObjectSize {
			return ^uint64(0)
		}
	}
	if base == 0 || base+uint64(len(inst.Funcs)-nImp)*gc.SmallObjectSize > 1<<32 {
		return ^uint64(0)
	}
	return base
}
