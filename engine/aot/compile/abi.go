package compile

// The contract between generated code and the runtime side (engine/aot/native
// and engine/aot/loader). docs/aot-compiler.md describes it in prose.

// Exec env record word indices (engine/runtime/execenv.h, ABI version 3).
// They are repeated here rather than imported so that the compiler does not
// depend on the runtime package; the loader's test checks they agree.
const (
	envInstance         = 1
	envMemoryBase       = 2
	envMemorySize       = 3
	envFrameTop         = 7
	envFrameLimit       = 8
	envNativeStackLimit = 9
	envInterrupt        = 10
	envTrapCode         = 11
	envTrapOffset       = 12
	envHelpers          = 13
	envGlobals          = 15
	envStackGuard       = 21
	envStackGuardBase   = 22
)

// ABIVersion is the exec env ABI the generated code assumes (5: helper
// calls use HelperCallingConv; inline allocations set no start bits; 6:
// the instance table's InstFuncRefBase word).
const ABIVersion = 6

// Helper table slots. The table's address is in the env record; each slot
// holds a C function pointer. Generated code reaches the runtime only
// through these, so its text needs no relocations to outside itself.
const (
	// HelperTrap is void trap(env*, i64 code, i64 offset): records the
	// trap and never returns (it longjmps to the entry trampoline).
	HelperTrap = iota
	// HelperCall is void call(env*, i64 func, i64* slots): calls function
	// func of the instance's function space (imports) with its arguments
	// in slots[0..] and leaves the results there.
	HelperCall
	// HelperCallIndirect is void call_indirect(env*, i64 table, i64 type,
	// i64 elem, i64* slots): as HelperCall through a table element, with
	// the spec's checks.
	HelperCallIndirect
	// HelperMemoryGrow is i64 memory_grow(env*, i64 delta): the old size in
	// pages or -1; it updates the env's memory base and size.
	HelperMemoryGrow
	// HelperInterrupt is void interrupt(env*): called when the interrupt
	// word is set; returns to continue or traps.
	HelperInterrupt
	// HelperMemFill is void fill(i8* dst, i64 byte, i64 n): memset on
	// a range generated code has bounds-checked (llvm.memset would become
	// a libc call the object cannot link).
	HelperMemFill
	// HelperMemCopy is void copy(i8* dst, i8* src, i64 n): memmove, likewise.
	HelperMemCopy
	// HelperOp is i64 op(env*, i64 opcode, i64 imm, i64* slots): the
	// rarer instructions that need the runtime's objects (ref.func, table
	// instructions, memory.init, data.drop, elem.drop), operands in slots,
	// immediates packed as Index | Index2<<32.
	HelperOp
	// NumHelpers is the size of the helper table.
	NumHelpers
)

// HelperNames are the names recorded in the .aot helpers section.
var HelperNames = [NumHelpers]string{"trap", "call", "call_indirect", "memory_grow", "interrupt", "memory_fill", "memory_copy", "op"}

// Trap codes written to the env's trap code word.
const (
	TrapUnreachable = 1 + iota
	TrapDivZero
	TrapIntOverflow
	TrapInvalidConversion
	TrapMemoryOOB
	TrapStackExhausted
	TrapUndefinedElement
	TrapUninitializedElement
	TrapIndirectType
	TrapInterrupted
	TrapTableOOB
	// TrapHost means a helper failed with a Go error kept by the runtime
	// side (a host function's trap, an exception, a nested trap).
	TrapHost
)

// TrapMessages are the spec's messages for the trap codes.
var TrapMessages = map[uint64]string{
	TrapUnreachable:          "unreachable",
	TrapDivZero:              "integer divide by zero",
	TrapIntOverflow:          "integer overflow",
	TrapInvalidConversion:    "invalid conversion to integer",
	TrapMemoryOOB:            "out of bounds memory access",
	TrapStackExhausted:       "call stack exhausted",
	TrapUndefinedElement:     "undefined element",
	TrapUninitializedElement: "uninitialized element",
	TrapIndirectType:         "indirect call type mismatch",
	TrapInterrupted:          "interrupted",
	TrapTableOOB:             "out of bounds table access",
}

// EntrySymbol names the exported entry wrapper of defined function i:
// void entry(env*, i64* slots) reads the parameters from slots and writes
// the results back there, so the C trampoline needs one signature only.
func EntrySymbol(i int) string { return "gcs_entry_" + itoa(i) }

// funcSymbol names the internal LLVM function of defined function i.
func funcSymbol(i int) string { return "gcs_func_" + itoa(i) }

func itoa(i int) string {
	if i == 0 {
		return "0"
	}
	var b [20]byte
	n := len(b)
	for ; i > 0; i /= 10 {
		n--
		b[n] = byte('0' + i%10)
	}
	return string(b[n:])
}

// The instance table. The env's globals word points at a per-instance
// table of 64-bit words, laid out as (docs/aot-compiler.md, "Instance
// table"):
//
//	[0, nGlobals)                          address of each global's 64-bit value
//	[nGlobals, nGlobals+InstDataWords)     instance data words, indexed by Inst*
//	[nGlobals+InstDataWords, +2*nMemories) memory descriptors (MemDescWord)
//
// Instance data words are a fixed header at known indices, so features
// that need a per-instance word add an Inst* constant before
// InstDataWords (the code finds it at nGlobals+k whatever the module's
// memories) and the loader fills it in setupData.
const (
	// InstTypes is the address of a u32 table: the canonical type id of
	// each of the module's type indices, as the store numbered them;
	// after it (HeaderTableOffset) a u64 table of the header words
	// inline allocation stores.
	InstTypes = iota
	// InstStartBits is the address of the heap's start bitmap
	// (gc.Heap.StartBitmap). Code no longer reads it (ABI 5): the runtime
	// sets inline allocations' bits itself (engine/gc buffer_publish.go).
	InstStartBits
	// InstInlineAlloc is 1 when code may bump the thread's allocation
	// buffer inline, 0 in GC stress mode. Code no longer reads it: in
	// stress mode buffers stay empty, so every inline allocation fails
	// its room check and takes the helper.
	InstInlineAlloc
	// InstFuncBase is the store number of the instance's first defined
	// function when its defined functions are numbered consecutively
	// (funcref objects carry that number), else all ones: call_ref and
	// call_indirect then call a function of its own instance directly.
	InstFuncBase
	// InstBreakTable is the address of the instance's break table in
	// debug builds (one byte per stop, debug.go); 0 in release builds.
	InstBreakTable
	// InstTables is the address of a u64 table: for each of the module's
	// tables (imports included), the address of its descriptor, two words
	// the runtime keeps current: the address of its first element (u32
	// references) and its length (engine/aot/loader/tables.go).
	InstTables
	// InstEntries is the address of a u64 table: the address of each
	// defined function's entry wrapper (EntrySymbol), which call_indirect
	// calls through when a switch over the targets would be too large.
	InstEntries
	// InstDisplays is the address of a word holding the address of the
	// store's supertype display table (DisplayWidth), which casts to
	// non-final types read (gc_display.go).
	InstDisplays
	// InstFuncRefBase is the reference of the funcref object of the
	// instance's first defined function when the defined functions'
	// funcref objects lie one after another, gc.SmallObjectSize bytes
	// apart, else all ones (callref_base.go).
	InstFuncRefBase
	// InstDataWords is the number of instance data words; new words go
	// right before it.
	InstDataWords
)

// MemDescWord is the instance table index of word j (0: base address,
// 1: address of the live size word) of memory k's descriptor, in a
// module with nGlobals globals (imports included).
func MemDescWord(nGlobals, k, j int) int { return nGlobals + InstDataWords + 2*k + j }
