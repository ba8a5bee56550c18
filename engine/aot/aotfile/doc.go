// Package aotfile reads and writes gcscope's ahead-of-time compiled module
// files (.aot). One reader serves both users of the format: the AOT loader,
// which rejects a file at the first problem, and the dump tool, which prints
// whatever could be read from a damaged file and then the problems.
//
// A file is a fixed 128-byte header, a section table and the sections it
// locates. docs/aot-format.md in the repository describes every byte. The
// module-level sections (types, imports, tables, ...) keep the WebAssembly
// binary encoding of the corresponding Wasm section, so engine/binary stays
// the one decoder of Wasm types; the AOT-specific sections (functions with
// stack maps, native text, relocations, helper symbols, offset maps) have
// fixed-width little-endian encodings of their own.
//
// The reader trusts nothing: every count, size and offset is checked against
// the bytes that are actually there before it is used, so a damaged or
// hostile file yields an *Error naming the absolute byte offset of the
// problem, never a panic or an allocation larger than the file.
//
// Read returns the partially decoded *File together with the error; Sections
// lists the raw section table; the Decode* functions decode one section's
// payload; Header.CheckTarget, CheckABI and CheckFeatures are the loader's
// compatibility checks; RelocTarget and Patch compute what each relocation
// type means; Write and Builder produce files for the compiler.
package aotfile
