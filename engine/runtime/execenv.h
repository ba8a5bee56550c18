/*
 * gcscope execution environment record, ABI version 5.
 *
 * One record per thread, in memory outside the Go heap (a page from
 * engine/mem), shared by the runtime (Go), the interpreter and AOT code.
 * Every field is one little-endian 64-bit word, so the layout is the same
 * for every compiler and target. engine/runtime/envrecord.go mirrors these
 * offsets; its test parses this file and checks that they agree.
 */
#ifndef GCSCOPE_EXECENV_H
#define GCSCOPE_EXECENV_H

#include <stdint.h>

#define GCS_ABI_VERSION 6

#define GCS_ENV_ABI_VERSION        0   /* GCS_ABI_VERSION */
#define GCS_ENV_INSTANCE           8   /* runtime's number of the current instance */
#define GCS_ENV_MEMORY_BASE       16   /* address of memory 0's first byte */
#define GCS_ENV_MEMORY_SIZE       24   /* memory 0's size in bytes */
#define GCS_ENV_HEAP_BASE         32   /* GC heap base: a Ref is an offset from it */
#define GCS_ENV_ALLOC_CURSOR      40   /* next free byte of the thread's allocation buffer */
#define GCS_ENV_ALLOC_LIMIT       48   /* end of the thread's allocation buffer */
#define GCS_ENV_FRAME_TOP         56   /* index of the innermost committed frame */
#define GCS_ENV_FRAME_LIMIT       64   /* frame depth limit ("call stack exhausted") */
#define GCS_ENV_NATIVE_STACK_LIMIT 72  /* lowest usable native stack address */
#define GCS_ENV_INTERRUPT         80   /* non-zero: stop at the next safepoint */
#define GCS_ENV_TRAP_CODE         88   /* trap kind recorded by AOT code */
#define GCS_ENV_TRAP_OFFSET       96   /* bytecode offset of the trapping instruction */
#define GCS_ENV_HELPERS          104   /* address of the runtime helper table */
#define GCS_ENV_FUNCS            112   /* address of the function table */
#define GCS_ENV_GLOBALS          120   /* address of the globals area */
#define GCS_ENV_TABLES           128   /* address of the table descriptors */
#define GCS_ENV_THREAD_ID        136   /* thread number, 0 for the main thread */
#define GCS_ENV_SLOTS_BASE       144   /* address of the slot stack (frames' locals and operands) */
#define GCS_ENV_SLOTS_LIMIT      152   /* end of the slot stack */
#define GCS_ENV_ENGINE           160   /* the engine's handle for the thread's state, 0: none */
#define GCS_ENV_STACK_GUARD      168   /* AOT entry check: native sp - frame end below it (signed) is its slow path; INT64_MAX while the interrupt word is set */
#define GCS_ENV_STACK_GUARD_BASE 176   /* the stack guard's value with no interrupt pending */
#define GCS_ENV_SIZE             184

struct gcs_exec_env {
	uint64_t abi_version;
	uint64_t instance;
	uint64_t memory_base;
	uint64_t memory_size;
	uint64_t heap_base;
	uint64_t alloc_cursor;
	uint64_t alloc_limit;
	uint64_t frame_top;
	uint64_t frame_limit;
	uint64_t native_stack_limit;
	uint64_t interrupt;
	uint64_t trap_code;
	uint64_t trap_offset;
	uint64_t helpers;
	uint64_t funcs;
	uint64_t globals;
	uint64_t tables;
	uint64_t thread_id;
	uint64_t slots_base;
	uint64_t slots_limit;
	uint64_t engine;
	uint64_t stack_guard;
	uint64_t stack_guard_base;
};

#endif
