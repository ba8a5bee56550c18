// Package printer writes a wasm.Module as readable WebAssembly text (WAT),
// flat like wasm2wat or folded into s-expressions, and records where each
// instruction landed so a debugger can show code for modules that have no
// source text.
//
// Conventions of the printed text:
//   - Names come from the module's name section, written $name, or $"..."
//     when they hold other characters; a name repeated within one index
//     space gets "#index" appended, since the text format forbids
//     duplicates. Without a name an item is referred to by index.
//   - Every definition carries its index in a comment, (func $f (;3;) ...).
//   - Blocks without a label name carry their nesting depth, block (;@2;),
//     and branches to them repeat it: br 1 (;@2;). Depth @0 is the
//     function itself.
//   - Every instruction is on a line of its own in both forms, so a line
//     names one instruction (see LineMap).
//   - Floats use the shortest decimal that reads back to the same bits,
//     with inf, nan and nan:0x payloads; custom sections become
//     (@custom ...) annotations.
//
// The output reads back with engine/text to a module that encodes to the
// same bytes, which the tests check on real compiler output and on every
// module of the spec test suite.
package printer
