/* sieve.c: sieve.wat's count_primes. The buffer stands for the Wasm linear
 * memory: it is sized in 64 KiB pages and kept between calls, as the
 * module's memory is (it grows once and stays). */
#include <stdlib.h>
#include <string.h>

#include "programs.h"

static uint8_t *sieve_mem;
static uint32_t sieve_cap;

int32_t bench_sieve(uint32_t n) {
	uint32_t pages = (n + 65535u) >> 16;
	if ((uint64_t)pages << 16 > sieve_cap) {
		uint8_t *m = realloc(sieve_mem, (size_t)pages << 16);
		if (m == NULL) {
			return -1;
		}
		sieve_mem = m;
		sieve_cap = pages << 16;
	}
	memset(sieve_mem, 0, n);
	/* i*i wraps like i32.mul; the loop ends when it reaches n. */
	for (uint32_t i = 2; i * i < n; i++) {
		if (sieve_mem[i] == 0) {
			for (uint32_t j = i * i; j < n; j += i) {
				sieve_mem[j] = 1;
			}
		}
	}
	int32_t count = 0;
	for (uint32_t i = 2; i < n; i++) {
		if (sieve_mem[i] == 0) {
			count++;
		}
	}
	return count;
}
