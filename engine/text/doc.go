// Package text parses the WebAssembly text format: .wat modules into
// wasm.Module values, and .wast scripts into Script command lists for the
// spec-suite runner. It covers all of Wasm 3.0 (GC, exceptions, SIMD,
// memory64, multi-memory, threads) and keeps the source position of every
// instruction and definition so tools can map code back to the text.
package text
