// Package bench holds gcscope's benchmarks: front-end throughput over the
// largest real modules, the interpreter side by side with wazero's, and
// the AOT tier side by side with the interpreter, gcc -O2 (the C versions
// in bench/native) and V8 (Node.js 24), reported as ratios, plus the AOT
// compile time per KB of Wasm. README.md says how to run them and what
// the columns mean.
package bench
