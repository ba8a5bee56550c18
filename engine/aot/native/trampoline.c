// The C side of native execution: the entry trampoline, which calls
// compiled code and is where traps return to, and the helper table the
// code calls through. See docs/aot-compiler.md.
#define _GNU_SOURCE
#include <pthread.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include "trampoline.h"
#include "_cgo_export.h"

// The innermost active trampoline's jump buffer on this thread. Nested
// invocations (compiled code → helper → Go → compiled code) save and
// restore it, so a trap unwinds to the nearest trampoline only.
static __thread jmp_buf *gcs_cur;
static __thread uint64_t gcs_stack_lo;

// gcs_stack_low returns the lowest address of this thread's stack plus a
// margin for the trampoline, helpers and the cgo callback transition.
static uint64_t gcs_stack_low(void) {
	if (gcs_stack_lo == 0) {
		pthread_attr_t a;
		void *addr = 0;
		size_t size = 0;
		if (pthread_getattr_np(pthread_self(), &a) == 0) {
			pthread_attr_getstack(&a, &addr, &size);
			pthread_attr_destroy(&a);
		}
		gcs_stack_lo = (uint64_t)(uintptr_t)addr + GCS_STACK_MARGIN;
	}
	return gcs_stack_lo;
}

// gcs_lower_guard sets the stack guard's base and lowers the guard to it,
// unless an interrupt is pending: the store comes first and the interrupt
// word is read after it, both sequentially consistent, so an interrupt
// set meanwhile either is seen here or raises the guard after this store
// (engine/runtime/stackguard.go).
static void gcs_lower_guard(uint64_t *env, uint64_t base) {
	env[GCS_W_STACK_GUARD_BASE] = base;
	__atomic_store_n(&env[GCS_W_STACK_GUARD], base, __ATOMIC_SEQ_CST);
	if (__atomic_load_n(&env[GCS_W_INTERRUPT], __ATOMIC_SEQ_CST) != 0)
		__atomic_store_n(&env[GCS_W_STACK_GUARD], (uint64_t)GCS_GUARD_RAISED, __ATOMIC_SEQ_CST);
}

// gcs_guard_base is the stack guard of an invocation whose native frames
// lie below sp and whose frame headers start at the record's frame top:
// compiled code's entry check, native sp - end of its frame >= guard
// (signed), then implies sp >= native_stack_limit (sp - end >= limit - top
// with end >= top) and end <= frame_limit (end <= sp - guard <= here -
// (here - frame_limit)), since deeper frames only have lower sps and
// higher frame ends. Both are addresses below 2^47, so the differences do
// not overflow.
static uint64_t gcs_guard_base(uint64_t *env, uint64_t sp) {
	int64_t a = (int64_t)env[GCS_W_NATIVE_STACK_LIMIT] - (int64_t)env[GCS_W_FRAME_TOP];
	int64_t b = (int64_t)sp - (int64_t)env[GCS_W_FRAME_LIMIT];
	return (uint64_t)(a > b ? a : b);
}

// gcs_invoke returns nothing (a trap leaves its code in the record's trap
// word): a cgo call with a result pays for finding the Go stack's top
// twice. At the thread's outermost invocation (no enclosing trampoline) the
// guard is not lowered back on the way out: no code reads it until the
// next gcs_invoke sets it again, and lowering costs a sequentially
// consistent store.
void gcs_invoke(uintptr_t fn, uint64_t *env, uint64_t *slots) {
	jmp_buf jb;
	jmp_buf *saved = gcs_cur;
	uint64_t saved_guard = env[GCS_W_STACK_GUARD_BASE];
	uint64_t lim = gcs_stack_low();
	if (env[GCS_W_NATIVE_STACK_LIMIT] < lim) env[GCS_W_NATIVE_STACK_LIMIT] = lim;
	uint64_t base = gcs_guard_base(env, (uint64_t)(uintptr_t)__builtin_frame_address(0));
	if (__atomic_load_n(&env[GCS_W_STACK_GUARD], __ATOMIC_RELAXED) == base) {
		// Lowered to this base already (the previous outermost call on
		// this thread left it so): an interrupt set since that lowering's
		// check raises the guard, so it is either seen here or raises it
		// later, as after the store below. Skipping the sequentially
		// consistent store and load saves a store-buffer drain per call.
		env[GCS_W_STACK_GUARD_BASE] = base;
	} else {
		gcs_lower_guard(env, base);
	}
	gcs_cur = &jb;
	if (setjmp(jb) == 0) {
		((void (*)(uint64_t *, uint64_t *))fn)(env, slots);
	} else if (env[GCS_W_TRAP_CODE] == 0 || env[GCS_W_TRAP_CODE] == GCS_PENDING_EXCEPTION) {
		// Every jump here leaves a trap code; make sure the caller sees one.
		env[GCS_W_TRAP_CODE] = GCS_TRAP_UNKNOWN;
	}
	gcs_cur = saved;
	if (saved != 0) gcs_lower_guard(env, saved_guard);
	else env[GCS_W_STACK_GUARD_BASE] = saved_guard;
}

__attribute__((used)) static void gcs_trap(uint64_t *env, uint64_t code, uint64_t off) {
	env[GCS_W_TRAP_CODE] = code;
	env[GCS_W_TRAP_OFFSET] = off;
	longjmp(*gcs_cur, 1);
}

// The Go-backed helpers report failure through the env's trap code; the
// jump happens here, in C, after the Go callback has returned.
// A pending exception is no trap: the code tests for it and unwinds.
static void gcs_check(uint64_t *env) {
	uint64_t c = env[GCS_W_TRAP_CODE];
	if (c != 0 && c != GCS_PENDING_EXCEPTION) longjmp(*gcs_cur, 1);
}

__attribute__((used)) static void gcs_call(uint64_t *env, uint64_t fidx, uint64_t *slots) {
	gcsGoHelper(env, 1, fidx, 0, 0, slots);
	gcs_check(env);
}

__attribute__((used)) static void gcs_call_indirect(uint64_t *env, uint64_t table, uint64_t type, uint64_t elem, uint64_t *slots) {
	gcsGoHelper(env, 2, table, type, elem, slots);
	gcs_check(env);
}

__attribute__((used)) static int64_t gcs_memory_grow(uint64_t *env, uint64_t delta) {
	int64_t r = gcsGoHelper(env, 3, delta, 0, 0, 0);
	gcs_check(env);
	return r;
}

// gcs_interrupt is called at loop headers with the interrupt word set,
// and at function entry with the stack guard raised: if the word has been
// cleared since, only the guard is lowered (gcs_lower_guard reads the word
// again after its store).
__attribute__((used)) static void gcs_interrupt(uint64_t *env) {
	if (__atomic_load_n(&env[GCS_W_INTERRUPT], __ATOMIC_SEQ_CST) == 0) {
		gcs_lower_guard(env, env[GCS_W_STACK_GUARD_BASE]);
		if (__atomic_load_n(&env[GCS_W_INTERRUPT], __ATOMIC_SEQ_CST) == 0) return;
	}
	gcsGoHelper(env, 4, 0, 0, 0, 0);
	gcs_check(env);
}

__attribute__((used)) static int64_t gcs_op(uint64_t *env, uint64_t op, uint64_t imm, uint64_t *slots) {
	int64_t r = gcsGoHelper(env, 5, op, imm, 0, slots);
	gcs_check(env);
	return r;
}

static void gcs_fill(uint8_t *dst, uint64_t v, uint64_t n) { memset(dst, (int)v, n); }
static void gcs_copy(uint8_t *dst, uint8_t *src, uint64_t n) { memmove(dst, src, n); }

// Compiled code calls the helpers with LLVM's preserve_most convention
// (docs/aot-compiler.md, "Helper calling convention"): the callee keeps
// every general-purpose register but r11, so values live across a helper
// call on a cold path need no callee-saved register, and small functions
// whose only calls are such helpers push none in their prologue. C has no
// such convention, so each table entry but memory_fill's and
// memory_copy's (called with the C convention: compile.PlainCHelper) is a
// thunk that saves the registers the C ABI lets a callee clobber (rax too
// for helpers without a result: the convention keeps it), realigns the
// stack and calls the helper. A trap longjmps out of the thunk's frame
// like out of the helper's.
#define GCS_PM_SAVE \
	"push %rcx\n push %rdx\n push %rsi\n push %rdi\n push %r8\n push %r9\n push %r10\n"
#define GCS_PM_RESTORE \
	"pop %r10\n pop %r9\n pop %r8\n pop %rdi\n pop %rsi\n pop %rdx\n pop %rcx\n"
// A thunk for a helper without a result: rax is saved and restored. On
// entry rsp is 8 mod 16; eight pushes keep it so, the sub aligns it.
#define GCS_PM_VOID(thunk, target) \
	__asm__(".text\n.p2align 4\n.type " #thunk ",@function\n" #thunk ":\n" \
		"push %rax\n" GCS_PM_SAVE "sub $8, %rsp\n call " #target "\n add $8, %rsp\n" \
		GCS_PM_RESTORE "pop %rax\n ret\n.size " #thunk ", .-" #thunk "\n");
// A thunk for a helper with a result in rax: the slot rax took is only
// for alignment.
#define GCS_PM_VALUE(thunk, target) \
	__asm__(".text\n.p2align 4\n.type " #thunk ",@function\n" #thunk ":\n" \
		"sub $8, %rsp\n" GCS_PM_SAVE "sub $8, %rsp\n call " #target "\n add $8, %rsp\n" \
		GCS_PM_RESTORE "add $8, %rsp\n ret\n.size " #thunk ", .-" #thunk "\n");

GCS_PM_VOID(gcs_pm_trap, gcs_trap)
GCS_PM_VOID(gcs_pm_call, gcs_call)
GCS_PM_VOID(gcs_pm_call_indirect, gcs_call_indirect)
GCS_PM_VALUE(gcs_pm_memory_grow, gcs_memory_grow)
GCS_PM_VOID(gcs_pm_interrupt, gcs_interrupt)
GCS_PM_VALUE(gcs_pm_op, gcs_op)

void gcs_pm_trap(void), gcs_pm_call(void), gcs_pm_call_indirect(void), gcs_pm_memory_grow(void),
	gcs_pm_interrupt(void), gcs_pm_op(void);

static void *gcs_helpers[GCS_NUM_HELPERS] = {
	(void *)gcs_pm_trap, (void *)gcs_pm_call, (void *)gcs_pm_call_indirect,
	(void *)gcs_pm_memory_grow, (void *)gcs_pm_interrupt, (void *)gcs_fill, (void *)gcs_copy, (void *)gcs_pm_op,
};

uintptr_t gcs_helper_table(void) { return (uintptr_t)gcs_helpers; }
