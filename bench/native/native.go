// Package native holds C versions of the benchmark examples (fib, sieve,
// nbody, binary_trees), compiled by gcc -O2 through cgo, as the native
// baseline the AOT tier is measured against (bench.TestReportAOT).
//
// Why cgo rather than a separate C program: the C code is timed exactly
// as the AOT code is, by the same Go loop on the same thread's CPU clock,
// each iteration one call of a whole program run (main). A cgo call costs
// about 65 ns (BenchmarkCgoCall), 0.1% of the cheapest program here
// (nbody's main, about 60 µs), and the AOT tier pays the same kind of
// cgo call (its C entry trampoline) per invocation.
//
// Each C function takes its size as an argument, so gcc cannot fold a
// whole run into a constant; the Go wrappers pass the example's constant.
package native

/*
#cgo CFLAGS: -O2
#cgo LDFLAGS: -lm
#include "programs.h"
*/
import "C"

// Fib returns fib(n) as fib.wat computes it.
func Fib(n uint32) uint32 { return uint32(C.bench_fib(C.uint32_t(n))) }

// Sieve returns the number of primes below n, as sieve.wat's
// count_primes; -1 when the buffer cannot be allocated.
func Sieve(n uint32) int32 { return int32(C.bench_sieve(C.uint32_t(n))) }

// NBody runs steps steps of the n-body simulation from the initial state
// and returns trunc(energy * 1e9), as nbody.wat's run.
func NBody(steps int32) int64 { return int64(C.bench_nbody(C.int32_t(steps))) }

// BinaryTrees returns binary_trees.wat's run(n), on nodes from a bump
// arena; -1 when the arena cannot be allocated.
func BinaryTrees(n int32) int32 { return int32(C.bench_binary_trees(C.int32_t(n))) }

// Mains maps an example's file name to a function doing what the
// example's exported main does, with the same input, returning the same
// value (examples.MainResults). Examples without a C version are absent.
var Mains = map[string]func() int64{
	"fib.wat":          func() int64 { return int64(Fib(25)) },
	"sieve.wat":        func() int64 { return int64(Sieve(100000)) },
	"nbody.wat":        func() int64 { return NBody(1000) },
	"binary_trees.wat": func() int64 { return int64(BinaryTrees(10)) },
}
