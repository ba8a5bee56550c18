package runtime

import (
	"sync/atomic"
)

// ABIVersion is the version of the contract between compiled code and the
// runtime: the exec env record layout (execenv.h), the instance data words
// and what an allocation buffer holds. The .aot header records the one its
// code was compiled for. 4: the supertype displays' instance word, the
// header table after the canonical ids, buffers no longer zeroed. 5: code
// calls the helper table's entries with the preserve_most convention
// (engine/aot/native's thunks provide it), and inline allocations no
// longer set start bits (the runtime does, engine/gc buffer_publish.go).
// 6: the instance data word InstFuncRefBase (call_ref finds its callee
// from the funcref's address, engine/aot/compile callref_base.go).
const ABIVersion = 6

// Word offsets of the exec env record, as execenv.h defines them (byte
// offset / 8). The record lives outside the Go heap so AOT code can use it.
const (
	EnvABIVersion = iota
	EnvInstance
	EnvMemoryBase
	EnvMemorySize
	EnvHeapBase
	EnvAllocCursor
	EnvAllocLimit
	EnvFrameTop
	EnvFrameLimit
	EnvNativeStackLimit
	EnvInterrupt
	EnvTrapCode
	EnvTrapOffset
	EnvHelpers
	EnvFuncs
	EnvGlobals
	EnvTables
	EnvThreadID
	EnvSlotsBase
	EnvSlotsLimit
	EnvEngine // the engine's handle for the thread's state (0: none)
	EnvStackGuard
	EnvStackGuardBase
	EnvWords // the record's size in words
)

// InterruptWord is the exec env record's interrupt word: any goroutine may
// set it; the engine checks it at function entry and loop back-edges.
// Setting bits also raises the record's stack guard (stackguard.go), which
// is all compiled code tests at function entry.
type InterruptWord struct{ w, guard *uint64 }

// Load reads the word.
func (i InterruptWord) Load() uint32 { return uint32(atomic.LoadUint64(i.w)) }

// Store sets the word (0 clears it).
func (i InterruptWord) Store(v uint32) {
	atomic.StoreUint64(i.w, uint64(v))
	if v != 0 {
		i.raiseGuard()
	}
}

// Set sets bits of the word, keeping the others.
func (i InterruptWord) Set(bits uint32) {
	atomic.OrUint64(i.w, uint64(bits))
	i.raiseGuard()
}

func (i InterruptWord) set(bits uint32) { i.Set(bits) }

// Clear clears bits of the word. An OnInterrupt handler clears its own
// bits this way, never InterruptStop (Store(0) would lose a concurrent
// stop-the-world request). The stack guard stays raised: compiled code
// lowers it itself once it finds the word clear.
func (i InterruptWord) Clear(bits uint32) { atomic.AndUint64(i.w, ^uint64(bits)) }

func (i InterruptWord) clear(bits uint32) { i.Clear(bits) }
