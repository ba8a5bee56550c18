// Package compile is gcscope's ahead-of-time compiler: it translates a
// validated WebAssembly module into LLVM IR with llir/llvm (GenerateIR),
// runs LLVM's opt and llc 14 on it as processes, extracts code, read-only
// data, symbols and relocations from the ELF object, and writes an .aot
// file with engine/aot/aotfile (Compile).
//
// The generated code talks to the runtime only through the exec env record
// (engine/runtime/execenv.h) and the helper table it points at; abi.go
// lists the helpers, the trap codes and the entry wrapper convention, and
// docs/aot-compiler.md in the repository describes the whole contract.
package compile
