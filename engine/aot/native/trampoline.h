#ifndef GCS_TRAMPOLINE_H
#define GCS_TRAMPOLINE_H
#include <stdint.h>

// Exec env record words (engine/runtime/execenv.h, ABI 4).
#define GCS_W_FRAME_TOP 7
#define GCS_W_FRAME_LIMIT 8
#define GCS_W_NATIVE_STACK_LIMIT 9
#define GCS_W_INTERRUPT 10
#define GCS_W_STACK_GUARD 21
#define GCS_W_STACK_GUARD_BASE 22
// The stack guard while an interrupt is pending (runtime.GuardRaised).
#define GCS_GUARD_RAISED INT64_MAX
#define GCS_W_TRAP_CODE 11
#define GCS_W_TRAP_OFFSET 12
// Trap code word value meaning "exception pending" (compile.PendingException).
#define GCS_PENDING_EXCEPTION 0x100
// Trap code gcs_invoke leaves if a jump back to it left none (never
// expected; no compile.TrapMessages entry, so it reads "aot: unknown trap").
#define GCS_TRAP_UNKNOWN 0xffff

#define GCS_NUM_HELPERS 8
// Bytes of stack kept free below the deepest Wasm frame.
#define GCS_STACK_MARGIN (256 * 1024)

void gcs_invoke(uintptr_t fn, uint64_t *env, uint64_t *slots);
uintptr_t gcs_helper_table(void);
#endif
