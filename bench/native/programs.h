/* programs.h: C versions of the benchmark examples (examples/*.wat), doing
 * the same work with the same inputs, for the AOT-vs-gcc comparison. Each
 * takes its size as an argument, so gcc cannot fold the whole program into
 * a constant at compile time: the Go side passes the example's constant. */
#ifndef GCSCOPE_BENCH_PROGRAMS_H
#define GCSCOPE_BENCH_PROGRAMS_H

#include <stdint.h>

/* fib.wat: fib(n) by the same double recursion. */
uint32_t bench_fib(uint32_t n);

/* sieve.wat: count_primes(n), one byte per number; returns -1 when the
 * byte buffer cannot be allocated (the Wasm version traps). */
int32_t bench_sieve(uint32_t n);

/* nbody.wat: run(steps): reset the five bodies, advance steps steps of
 * 0.01 years, return trunc(energy * 1e9). */
int64_t bench_nbody(int32_t steps);

/* binary_trees.wat: run(n), the sum of every check() result for maximum
 * depth n, on nodes from a bump arena; returns -1 when the arena cannot
 * be allocated. */
int32_t bench_binary_trees(int32_t n);

#endif
