// Package binary reads and writes the WebAssembly 3.0 binary format: Decode
// turns a .wasm file into a wasm.Module (recording the byte offset of every
// function and instruction, and the name section), Encode writes a module
// back, and Sections lists a file's sections for dump tools. Decoding errors
// are *wasm.Error values of phase Malformed whose messages start with the
// spec interpreter's wording.
package binary
