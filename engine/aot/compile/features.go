package compile

import (
	"github.com/gcscope/gcscope/engine/aot/aotfile"
	"github.com/gcscope/gcscope/engine/wasm"
)

// memoryFeatures are the header feature bits of the memory proposals m
// uses: memory64 (64-bit memories or tables), multi-memory (more than
// one memory), threads (a shared memory or an atomic instruction). Code
// using them relies on the runtime's memory descriptors and wait/notify
// ops, so a loader that predates them refuses the file by name.
func memoryFeatures(m *wasm.Module) aotfile.Features {
	var f aotfile.Features
	nMem := len(m.Memories)
	mem := func(t wasm.MemoryType) {
		if t.Addr64 {
			f |= aotfile.FeatureMemory64
		}
		if t.Shared {
			f |= aotfile.FeatureThreads
		}
	}
	for _, im := range m.Imports {
		switch im.Kind {
		case wasm.ExternMemory:
			nMem++
			mem(im.Memory)
		case wasm.ExternTable:
			if im.Table.Addr64 {
				f |= aotfile.FeatureMemory64
			}
		}
	}
	for _, mm := range m.Memories {
		mem(mm.Type)
	}
	for _, t := range m.Tables {
		if t.Type.Addr64 {
			f |= aotfile.FeatureMemory64
		}
	}
	if nMem > 1 {
		f |= aotfile.FeatureMultiMemory
	}
	for i := range m.Funcs {
		for _, in := range m.Funcs[i].Body {
			if in.Op.Prefix() == wasm.PrefixAtomic {
				return f | aotfile.FeatureThreads
			}
		}
	}
	return f
}
