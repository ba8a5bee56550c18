// Package runtime holds what a running WebAssembly program is made of: the
// store (canonical types, GC heap, registered instances), instances and the
// function, table, memory, global and tag instances they link, the
// per-thread execution environment with its frame stack, and the errors a
// run can end with (traps, uncaught exceptions, link errors). Execution
// itself belongs to an Engine (the interpreter in engine/interp); the
// runtime calls it through a small interface so that tiers can be swapped.
package runtime
