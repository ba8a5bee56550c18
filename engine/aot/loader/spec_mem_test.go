package loader

import "testing"

// memSpecFiles cover memory64, several memories, table64, atomics and the
// spec's (thread ...) blocks: every check must pass natively, none may be
// skipped (each module there is one the compiler must accept).
var memSpecFiles = []string{
	"core/memory64/address64.wast", "core/memory64/memory_grow64.wast", "core/memory64/memory_copy64.wast",
	"core/memory64/memory_trap64.wast", "core/memory64/table_copy_mixed.wast", "core/memory64/call_indirect64.wast",
	"core/memory64/table_grow64.wast",
	"core/multi-memory/memory_copy1.wast", "core/multi-memory/memory_grow.wast", "core/multi-memory/imports2.wast",
	"core/multi-memory/memory_size_import.wast", "core/multi-memory/linking1.wast",
	"threads/atomic.wast", "threads/wait_notify.wast", "threads/thread.wast", "threads/SB_atomic.wast",
}

func TestSpecScriptsMemories(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles many modules with llc")
	}
	requireFullPass(t, memSpecFiles)
}
