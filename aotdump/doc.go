// Package aotdump reads an .aot or .wasm file section by section into a
// model (Read), and prints that model as text (WriteText, like readelf or
// wasm-objdump), as JSON (WriteJSON, the schema in schema/dump.schema.json
// and docs/dump-json.md), as raw bytes (WriteHex), as a size summary
// (WriteSummary) and as native disassembly (WriteDisasm).
//
// Reading is separate from printing so that other tools (the TUI's AOT
// pane) can use the model alone. .aot files are read only through
// engine/aot/aotfile; .wasm files through engine/binary. A damaged file is
// read as far as possible: the model keeps what was readable and lists
// every problem with the offset it lies at.
//
// The package imports neither the debugger nor any UI package.
package aotdump
