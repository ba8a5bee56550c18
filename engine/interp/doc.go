// Package interp is gcscope's tier-0 engine: it compiles each function's
// flat instruction list once, on first call, into a compact internal code
// with resolved branch targets and frame-relative operand slots (every
// operand's slot is known statically, so no runtime stack pointer is
// kept; local.get operands, constants and compare-and-branch pairs are
// fused), and runs it in a loop that keeps Wasm calls, returns, tail
// calls and exception unwinding on the runtime's frame stack instead of
// Go's. The loop is two: fast (exec_fast.go) runs arithmetic, memory
// accesses, branches and plain calls without calling into Go, so its
// registers stay in registers; run (exec.go) does everything else. It implements Wasm 3.0 including GC, exceptions (and the legacy
// form), memory64, multi-memory, SIMD and relaxed SIMD, and atomics on a
// single thread; breakpoints and stepping patch its code for the debugger.
// Importing the package makes it runtime.DefaultEngine.
package interp
