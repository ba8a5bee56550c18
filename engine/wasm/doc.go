// Package wasm defines a WebAssembly 3.0 module as the rest of gcscope sees
// it: types (with GC rec groups and subtyping), sections, instructions with
// their immediates and source places, the opcode table, and front-end
// errors. It holds data and small helpers only; reading, writing and
// checking modules live in the binary, text, validate and printer packages.
package wasm
