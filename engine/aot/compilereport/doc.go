// Package compilereport compiles every WebAssembly module under a folder
// ahead of time, at several optimization levels, and reports per module
// its size, whether the compiler accepted it or why it refused it
// (*compile.Unsupported), how long compiling took and how large the .aot
// file is. `gcscope compile --report DIR` prints it; TestPrograms
// (GCSCOPE_COMPILE_REPORT=1) runs it over ../shared/programs. Refused
// modules are expected while the compiler covers a slice of Wasm: the
// report shows which features hold the real programs back.
package compilereport
