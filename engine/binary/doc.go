// Package binary reads and writes the WebAssembly 3.0 binary format: Decode
// turns a .wasm file into a wasm.Module (recording the byte offset of every
// function and instruction, and the name section), Encode writes a module
// back, and Sections lists a file's sections for dump tools.
//
// Decoding errors are *wasm.Error values of phase Malformed, with the byte
// offset of the problem (and the function, inside a body), whose messages
// start with the spec interpreter's wording so that the spec suite's
// assert_malformed texts match. To that end the decoder reads as the spec
// interpreter does: contents are read up to the end of the file rather than
// of their section or body, whose declared size is checked afterwards
// ("section size mismatch"); vector counts are not checked up front, the
// elements run into the end instead, but no allocation is ever sized by a
// count the remaining bytes cannot back.
//
// Decoding is as lenient as the format allows and leaves the rest to the
// validator: indices, alignments, lane numbers and 32-bit limits are stored
// as read. It does check that blocks are well bracketed (else only in if,
// catch only in try, delegate closing a try), so a decoded body can be
// walked without surprises.
//
// Decode then Encode gives back an equal module (offsets aside); Encode
// picks the compact encodings (function-index element segments, implied
// table 0, one-byte reference type shorthands, shortest LEB128s).
package binary
