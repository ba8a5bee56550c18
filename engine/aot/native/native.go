// Package native runs AOT-compiled code: a small C entry trampoline that
// calls a compiled entry wrapper and catches traps (the trap helper
// longjmps back to it, so no Go frames lie between compiled code and the
// trampoline), and the helper table compiled code calls the runtime
// through. Helpers that need Go (calls into other functions, memory.grow,
// interrupts) call Handler through a cgo export.
package native

/*
#cgo CFLAGS: -O2
#include "trampoline.h"
*/
import "C"

import (
	"unsafe"
)

// Helper kinds passed to Handler, as trampoline.c numbers them.
const (
	KindCall         = 1
	KindCallIndirect = 2
	KindMemoryGrow   = 3
	KindInterrupt    = 4
	KindOp           = 5
)

// Handler serves the Go-backed helpers. env is the exec env record's
// first word; a
// failure is reported by setting the record's trap code (TrapHost with the
// error kept by the handler, or a plain trap code), after which the C side
// unwinds to the trampoline. It must not panic.
var Handler func(env *uint64, kind int, a, b, c uint64, slots unsafe.Pointer) int64

//export gcsGoHelper
func gcsGoHelper(env *C.uint64_t, kind C.uint64_t, a, b, c C.uint64_t, slots *C.uint64_t) C.int64_t {
	h := Handler
	if h == nil {
		return -1
	}
	return C.int64_t(h((*uint64)(unsafe.Pointer(env)), int(kind), uint64(a), uint64(b), uint64(c), unsafe.Pointer(slots)))
}

// Invoke calls the entry wrapper at address fn with the exec env record
// env and the slot array slots (arguments in, results out). It reports
// whether the code trapped; the trap code and offset are then in the
// record. The caller clears the trap code word first: a run that ends
// normally leaves it 0 or pendingException. env and slots must be memory
// outside the Go heap.
func Invoke(fn uintptr, env, slots *uint64) (trapped bool) {
	C.gcs_invoke(C.uintptr_t(fn), (*C.uint64_t)(unsafe.Pointer(env)), (*C.uint64_t)(unsafe.Pointer(slots)))
	code := *(*uint64)(unsafe.Add(unsafe.Pointer(env), 8*wordTrapCode))
	return code != 0 && code != pendingException
}

// HelperTable returns the address of the helper table (compile.NumHelpers
// C function pointers), for the env record's helpers word.
func HelperTable() uintptr { return helperTable }

// helperTable is read once: every invocation sets the record's word, and
// a cgo call each time would cost more than the rest of the setup.
var helperTable = uintptr(C.gcs_helper_table())

// What trampoline.h assumes, for the test that compares it with the
// runtime's record layout and the compiler's helper table.
const (
	wordNativeStackLimit = C.GCS_W_NATIVE_STACK_LIMIT
	wordFrameTop         = C.GCS_W_FRAME_TOP
	wordFrameLimit       = C.GCS_W_FRAME_LIMIT
	wordInterrupt        = C.GCS_W_INTERRUPT
	wordStackGuard       = C.GCS_W_STACK_GUARD
	wordStackGuardBase   = C.GCS_W_STACK_GUARD_BASE
	guardRaised          = C.GCS_GUARD_RAISED
	wordTrapCode         = C.GCS_W_TRAP_CODE
	wordTrapOffset       = C.GCS_W_TRAP_OFFSET
	numHelpers           = C.GCS_NUM_HELPERS
	pendingException     = C.GCS_PENDING_EXCEPTION
	trapUnknown          = C.GCS_TRAP_UNKNOWN
)
