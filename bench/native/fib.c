/* fib.c: fib.wat's recursion. Unsigned arithmetic: Wasm's i32.add wraps
 * and i32.lt_u compares unsigned. */
#include "programs.h"

uint32_t bench_fib(uint32_t n) {
	if (n < 2) {
		return n;
	}
	return bench_fib(n - 1) + bench_fib(n - 2);
}
