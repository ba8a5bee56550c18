// Package interp is gcscope's tier-0 engine: it compiles each function's
// flat instruction list once, on first call, into a compact internal code
// with resolved branch targets and frame-relative operand slots (every
// operand's slot is known statically, so no runtime stack pointer is
// kept), and runs it in a loop that keeps Wasm calls, returns, tail calls
// and exception unwinding on the runtime's frame stack instead of Go's.
// Importing the package makes it runtime.DefaultEngine.
package interp
