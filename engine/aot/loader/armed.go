package loader

import (
	"sync/atomic"

	"github.com/gcscope/gcscope/engine/aot/compile"
	"github.com/gcscope/gcscope/engine/runtime"
)

// Arming. A debug build's stop test reads only the interrupt word on its
// fast path; the break table byte is read when the word is non-zero.
// So while a store has any breakpoint set, every thread of it carries
// compile.InterruptArmed, and stepping (engine-wide in the interpreter:
// every thread's code calls OnBreak) reaches the threads started while
// it is on. Threads made later get both at their first (outermost)
// invocation, under the same lock that arms and disarms, so none is
// missed and none keeps a stale bit.

// armState is the engine's per-store bookkeeping.
type armState struct {
	// breaks counts the set break bytes of each store's instances.
	breaks map[*runtime.Store]int
	// stepping holds the stores in which some thread is stepping.
	stepping map[*runtime.Store]bool
	// active is set once any breakpoint or stepping was asked for: until
	// then an invocation does not look.
	active atomic.Bool
}

func (a *armState) init() {
	if a.breaks == nil {
		a.breaks, a.stepping = map[*runtime.Store]int{}, map[*runtime.Store]bool{}
	}
}

func setBits(env *runtime.ExecEnv, bits uint32) { env.Interrupt.Set(bits) }

// breakSet records a break byte of store s going from 0 to set (on) or
// back (off), arming or disarming the store's threads at the first set
// and the last cleared.
func (e *Engine) breakSet(s *runtime.Store, on bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.arm.init()
	e.arm.active.Store(true)
	n := e.arm.breaks[s]
	if on {
		e.arm.breaks[s] = n + 1
		if n == 0 {
			for _, t := range s.Threads() {
				setBits(t, compile.InterruptArmed)
			}
		}
		return
	}
	if n <= 1 {
		delete(e.arm.breaks, s)
		for _, t := range s.Threads() {
			t.Interrupt.Clear(compile.InterruptArmed)
		}
		return
	}
	e.arm.breaks[s] = n - 1
}

// stepSet turns stepping on for env's thread, or off for every thread
// of its store (threads that inherited it included).
func (e *Engine) stepSet(env *runtime.ExecEnv, on bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.arm.init()
	e.arm.active.Store(true)
	if on {
		e.arm.stepping[env.Store] = true
		setBits(env, InterruptStep)
		return
	}
	delete(e.arm.stepping, env.Store)
	for _, t := range env.Store.Threads() {
		t.Interrupt.Clear(InterruptStep)
	}
	env.Interrupt.Clear(InterruptStep) // in case env is not registered
}

// syncThread gives a thread entering native code at its outermost
// invocation the bits its store's threads carry. The test is inlined into
// Invoke: nothing is armed on almost every call.
func (e *Engine) syncThread(env *runtime.ExecEnv) {
	if env.Depth != 0 || !e.arm.active.Load() {
		return
	}
	e.syncArmed(env)
}

func (e *Engine) syncArmed(env *runtime.ExecEnv) {
	e.mu.Lock()
	defer e.mu.Unlock()
	var bits uint32
	if e.arm.breaks[env.Store] > 0 {
		bits |= compile.InterruptArmed
	}
	if e.arm.stepping[env.Store] {
		bits |= InterruptStep
	}
	if bits != 0 {
		setBits(env, bits)
	}
}

// swapByte sets byte k of b to v (as atomicStoreByte) and returns what
// it held.
func swapByte(b []byte, k int, v byte) byte {
	old := atomicLoadByte(b, k)
	atomicStoreByte(b, k, v)
	return old
}
