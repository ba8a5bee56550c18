package loader

import (
	"github.com/gcscope/gcscope/engine/aot/compile"
	"github.com/gcscope/gcscope/engine/runtime"
)

// interrupted serves the interrupt helper, called by compiled code at a
// safepoint (function entry, loop header) with its frame header committed
// when the interrupt word is set. As the interpreter does, it parks the
// thread for a stop-the-world (ExecEnv.Poll), ends it with the store's
// failure when another thread trapped (InterruptExit), then hands what is
// left to OnInterrupt or traps "interrupted".
func (a *activation) interrupted() {
	env := a.env
	if a.st.dbg != nil {
		// A debug build's entry check calls here only to lower the
		// guard, but another thread may have armed or set stepping
		// since it read the word: those bits are the stops' business.
		if err := interrupted(env); err != nil {
			a.fail(err)
		}
		return
	}
	if !env.Poll() {
		return
	}
	if env.Interrupt.Load()&runtime.InterruptExit != 0 {
		if err := env.Store.Failure(); err != nil {
			a.fail(err)
			return
		}
	}
	if env.OnInterrupt != nil {
		if err := env.OnInterrupt(env); err != nil {
			a.fail(err)
		}
		return
	}
	env.Interrupt.Clear(^uint32(runtime.InterruptStop))
	a.trapCode(compile.TrapInterrupted)
}

// PrepareThreads implements runtime.ThreadPreparer: native code needs no
// preparation (modules are compiled at instantiation), but the fallback
// engine may.
func (e *Engine) PrepareThreads(s *runtime.Store) error {
	if p, ok := e.Fallback.(runtime.ThreadPreparer); ok {
		return p.PrepareThreads(s)
	}
	return nil
}

// isFailure reports whether t is the store's failure, which other threads
// return too: its backtrace must not be changed.
func (a *activation) isFailure(t *runtime.Trap) bool {
	f, _ := a.env.Store.Failure().(*runtime.Trap)
	return f == t
}
