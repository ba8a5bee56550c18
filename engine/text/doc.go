// Package text parses the WebAssembly text format: .wat modules into
// wasm.Module values, and .wast scripts into Script command lists for the
// spec-suite runner. It covers all of Wasm 3.0 (GC, exceptions including
// the legacy try/catch/delegate, SIMD, memory64, multi-memory, threads).
//
// Every instruction and definition keeps its source position (line and
// column, both 1-based, columns counting bytes) so tools can map code back
// to the text: an instruction's position is that of its mnemonic; the End
// closing a folded block or a function is at the closing parenthesis.
// Function bodies come out flat, as in the binary format. The $identifiers
// used become Module.Names, so a text module and a decoded one with a name
// section look alike to the debugger.
//
// Errors are *wasm.Error values of phase Malformed whose messages start
// with the spec interpreter's words ("unexpected token", "unknown
// operator", "constant out of range", ...), as assert_malformed expects.
package text
