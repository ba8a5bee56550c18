// Package validate checks that a WebAssembly 3.0 module is valid: the type
// section's rec groups and subtyping, imports, exports, limits, constant
// expressions, segments, and every function body with the spec's operand
// and control stack algorithm (GC, typed function references, tail calls,
// exceptions both Wasm 3.0 and legacy, bulk memory, multi-memory, memory64,
// threads and SIMD). Errors are *wasm.Error values whose message starts
// with the spec's own wording, so script assertions can match them.
//
// Analyze also returns what later stages want to know without
// re-deriving it: the canonical type ids and, per function, the maximum
// operand stack height and every block's shape; Info.Operands replays one
// function to give the operand types before each instruction (the raw
// material of stack maps).
package validate
