// Package printer writes a wasm.Module as readable WebAssembly text (WAT),
// flat like wasm2wat or folded into s-expressions, and records where each
// instruction landed so a debugger can show code for modules that have no
// source text.
package printer
