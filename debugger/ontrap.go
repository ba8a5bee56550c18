package debugger

import (
	"errors"

	"github.com/gcscope/gcscope/engine/runtime"
)

// onTrap is ExecEnv.OnTrap (every thread's): a thread that traps stops
// the program there, before its frames unwind, so every thread can be
// read, the trapping one selected with its whole backtrace. Continuing
// lets the trap go on: the thread's call ends with it and, as
// wasi-threads says, the program ends (Store.Fail).
func (s *Session) onTrap(env *runtime.ExecEnv, err error) error {
	var trap *runtime.Trap
	var exc *runtime.Exception
	if !errors.As(err, &trap) && !errors.As(err, &exc) {
		return err // the debugger's own kill, or an embedder's error
	}
	if f := s.store.Failure(); f != nil && errors.Is(err, f) {
		return err // another thread's trap (or the exit) ending this one
	}
	s.mu.Lock()
	stop := !s.killReq && !s.exiting && env.Depth > 0
	s.mu.Unlock()
	if !stop {
		return err
	}
	if rerr := s.report(env, &Stopped{Reason: ReasonTrap, Trap: err}); rerr != nil {
		return rerr
	}
	return err
}

// trapReported says whether err was shown by onTrap (live frames), so
// the run goroutine does not stop on it again post mortem.
func (s *Session) trapReported(err error) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.liveTrap != nil && errors.Is(err, s.liveTrap)
}
