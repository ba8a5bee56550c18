package compile

// The part of the code/runtime contract the GC instructions add
// (docs/aot-compiler.md "GC").

// Exec env record words the GC code reads (execenv.h).
const (
	envHeapBase    = 4
	envAllocCursor = 5
	envAllocLimit  = 6
)

// Trap codes of the GC instructions. They start apart from the MVP codes
// so other additions to the list do not collide.
const (
	TrapNullStruct = 64 + iota
	TrapNullArray
	TrapArrayOOB
	TrapCastFailure
	TrapNullRef
	TrapNullI31
	TrapNullFuncRef
	TrapOutOfMemory
)

func init() {
	// The interpreter's messages (engine/interp), word for word.
	for code, msg := range map[uint64]string{
		TrapNullStruct:  "null structure reference",
		TrapNullArray:   "null array reference",
		TrapArrayOOB:    "out of bounds array access",
		TrapCastFailure: "cast failure",
		TrapNullRef:     "null reference",
		TrapNullI31:     "null i31 reference",
		TrapNullFuncRef: "null function reference",
		TrapOutOfMemory: "out of memory",
	} {
		TrapMessages[code] = msg
	}
}

// maxInlineAlloc is the largest object the code bumps inline; larger ones
// bypass thread buffers, as the Go fast path does (gc.Heap.bump).
const maxInlineAlloc = 8 << 10

// OpAllocStruct and OpAllocArray are the pseudo-opcodes the op helper
// serves for the allocation slow path: allocate a zeroed struct of type
// imm, or a zeroed array of type imm with slots[0] elements, through the
// thread's buffer (refilling and collecting as needed), and return it.
// OpRefTestSub answers a cast the inline exact-id test could not: does
// slots[0] match concrete type imm (a module type index) with
// subtyping, nullable if imm>>32 is 1. OpCallRefSlots calls the funcref
// in slots[imm>>32] with type imm's arguments in slots[0..].
const (
	OpAllocStruct  = 0xfbf000
	OpAllocArray   = 0xfbf001
	OpRefTestSub   = 0xfbf002
	OpCallRefSlots = 0xfbf003
)
