// Package examples holds small WebAssembly text programs for new users to
// run, read and step through in the debugger (fib, sieve, nbody, binary
// trees, linked lists, shapes, i31 values); its tests check that every one
// parses and validates and document what each main returns.
package examples
