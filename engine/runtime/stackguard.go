package runtime

import (
	"math"
	"sync/atomic"
)

// The stack guard (execenv.h stack_guard, stack_guard_base) lets compiled
// code test at function entry, with one compare, both stack limits and
// the interrupt word: native code computes d = native sp - the end of its
// new frame in the slot stack (a signed difference of two addresses) and
// takes its slow path when d < stack_guard. The native entry trampoline
// sets stack_guard_base so that d >= it implies both the native stack
// limit and the slot stack's frame limit (see engine/aot/native), and
// stack_guard to the same value. Raising an interrupt stores GuardRaised,
// so every entry takes the slow path, which checks the exact limits and
// the interrupt word, and lowers the guard back to its base when the word
// is clear.
//
// The ordering that keeps an interrupt from being lost: a setter sets its
// bits, then stores GuardRaised; whoever lowers the guard stores the base
// first (a sequentially consistent store), then reads the word again and
// raises the guard (or handles the interrupt) if it is set. Every access
// is atomic, so either the lowering thread sees the bits or the raise
// comes after its store.

// GuardRaised is the stack guard's value while an interrupt is pending:
// no native frame passes the entry check against it.
const GuardRaised = math.MaxInt64

// raiseGuard makes the next native function entry of the thread take its
// slow path.
func (i InterruptWord) raiseGuard() {
	if i.guard != nil {
		atomic.StoreUint64(i.guard, GuardRaised)
	}
}
