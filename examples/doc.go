// Package examples holds small WebAssembly text programs for new users to
// run, read and step through in the debugger (fib, sieve, nbody, binary
// trees, linked lists, shapes, i31 values), embedded for tools and
// benchmarks, with the result each one's main returns.
package examples
