package debugger

import (
	"errors"
	"fmt"

	"github.com/gcscope/gcscope/engine/runtime"
	"github.com/gcscope/gcscope/engine/wasm"
)

// stepMode is what the program does until it next stops.
type stepMode int

const (
	stepContinue stepMode = iota // until a breakpoint
	stepEntry                    // stop at the entry's first instruction
	stepInto                     // step: the next line, entering calls
	stepOver                     // next: the next line of this frame
	stepOut                      // finish: until the selected frame returns
	stepInstr                    // stepi: one instruction
	stepUntil                    // until: the next line past this one
	stepKill                     // end the program
)

type resumeReq struct {
	mode  stepMode
	frame int              // the selected frame (finish)
	env   *runtime.ExecEnv // the selected thread: the one that steps
}

// stepState is the step under way; only the run goroutine touches it.
type stepState struct {
	mode    stepMode
	depth   int   // frame depth the step started at
	line    int64 // codeIndex.lineKey of the start
	off     uint32
	results []runtime.Value // finish: types of the results, to read them back
	base    uint32          // finish: the returning frame's base slot
	// ret is a return breakpoint: next and finish run callees at full
	// speed and stop where the call returns, instead of stepping
	// through them.
	ret retBreak
}

// retBreak is an internal breakpoint after a call instruction, taken
// when the frame at depth returns to it.
type retBreak struct {
	fn     *runtime.Func
	off    uint32
	depth  int
	active bool
}

// onBreak is ExecEnv.OnBreak: decides whether to stop here.
func (s *Session) onBreak(env *runtime.ExecEnv) error {
	fr := env.Frames[env.Depth-1]
	s.mu.Lock()
	if s.killReq {
		s.mu.Unlock()
		return errKilled
	}
	if !s.allowedLocked(env) {
		// Scheduler-locked out (a thread that was not in Wasm at the
		// last stop): park here, frames committed.
		ch := s.parkLocked(env)
		s.mu.Unlock()
		if err := s.parkOutside(env, ch); err != nil {
			return err
		}
		s.mu.Lock()
	}
	var hit *Breakpoint
	var condErr error
	if fr.Func.Inst == s.inst && len(s.bps) > 0 {
		hit, condErr = s.hitLocked(env, fr.Func.Index, fr.Offset)
	}
	stepper, gen := env == s.stepEnv, s.stepGen
	s.mu.Unlock()
	ev := &Stopped{Reason: ReasonStep, Err: condErr}
	if hit != nil {
		ev.Reason, ev.Breakpoint, ev.Temporary = ReasonBreakpoint, hit.ID, hit.Temp
		return s.report(env, ev)
	}
	if condErr != nil {
		ev.Reason = ReasonBreakpoint
		return s.report(env, ev)
	}
	if !stepper {
		return nil // another thread passing a step's patches
	}
	st := &s.step
	d := env.Depth
	line := func() int64 { return s.code.lineKey(fr.Func.Index, fr.Offset) }
	if st.ret.active {
		if fr.Func != st.ret.fn || fr.Offset != st.ret.off || d > st.ret.depth {
			return nil // a deeper activation passing the same place
		}
		if !s.whileRunning(env, gen, func() {
			s.clearRet(env)
			if st.mode == stepOver || st.mode == stepUntil {
				s.eng.SetStepping(env, true)
			}
		}) {
			return nil // another thread's stop replaced the step meanwhile
		}
	}
	stop := false
	switch st.mode {
	case stepEntry:
		stop, ev.Reason = fr.Func == s.entry, ReasonEntry
	case stepInstr:
		stop = true
	case stepInto:
		stop = d != st.depth || line() != st.line
	case stepOver, stepUntil:
		set := false
		if d > st.depth {
			if !s.whileRunning(env, gen, func() { set = s.setRet(env, st.depth) }) {
				return nil // another thread's stop replaced the step meanwhile
			}
		}
		if set {
			// Entered a call: run it at full speed to its return.
			return nil
		}
		if st.mode == stepOver {
			stop = d < st.depth || (d == st.depth && line() != st.line)
		} else {
			stop = d < st.depth || (d == st.depth && fr.Offset > st.off && line() != st.line)
		}
	case stepOut:
		stop = d < st.depth
		if stop && st.results != nil {
			ev.Returned = runtime.GetValues(env.Slots[st.base:], types(st.results))
		}
	}
	if !stop {
		return nil
	}
	return s.report(env, ev)
}

func types(vs []runtime.Value) []wasm.ValType {
	ts := make([]wasm.ValType, len(vs))
	for i, v := range vs {
		ts[i] = v.Type
	}
	return ts
}

// configure sets the code up for the step about to run (on the run
// goroutine, the program stopped): stepping off, entry patch gone, the
// breakpoints patched again (ending stepping drops them), then stepping
// on when the step needs it.
func (s *Session) configure(env *runtime.ExecEnv, r resumeReq) {
	s.eng.SetStepping(env, false)
	if s.step.mode == stepEntry && s.entry.Def != nil {
		s.eng.ClearBreakpoint(s.entry, s.entry.Def.Body[0].Offset)
	}
	if s.step.ret.active {
		s.clearRet(env)
	}
	s.reapply()
	s.mu.Lock()
	s.stepEnv = env
	s.stepGen++
	s.mu.Unlock()
	if env.Depth == 0 {
		// A thread not in Wasm yet: it can only continue.
		s.step = stepState{mode: stepContinue}
		return
	}
	depth := env.Depth - r.frame
	if depth < 1 {
		depth = 1
	}
	fr := env.Frames[depth-1]
	st := stepState{mode: r.mode, depth: depth, off: fr.Offset}
	if fr.Func != nil {
		st.line = s.code.lineKey(fr.Func.Index, fr.Offset)
	}
	if r.mode == stepOut && fr.Func != nil {
		for _, t := range fr.Func.Type.Comp.Results {
			st.results = append(st.results, runtime.Value{Type: t})
		}
		st.base = fr.Base
	}
	s.step = st
	if r.mode == stepOut && s.setRet(env, depth-1) {
		return
	}
	if r.mode != stepContinue {
		s.eng.SetStepping(env, true)
	}
}

// setRet sets the return breakpoint for the call the frame at depth
// (1-based) is making, and turns stepping off; false if there is no place
// to put it (a host frame).
func (s *Session) setRet(env *runtime.ExecEnv, depth int) bool {
	if depth < 1 || depth > env.Depth {
		return false
	}
	fr := env.Frames[depth-1]
	if fr.Func == nil || fr.Func.Inst != s.inst || fr.Func.Def == nil {
		return false
	}
	body := s.code.body(fr.Func.Index)
	i, ok := s.code.instrAt(fr.Func.Index, fr.Offset)
	if !ok || i+1 >= len(body) {
		return false
	}
	at, err := s.eng.SetBreakpoint(fr.Func, body[i+1].Offset)
	if err != nil {
		return false
	}
	s.eng.SetStepping(env, false)
	s.step.ret = retBreak{fn: fr.Func, off: at, depth: depth, active: true}
	s.reapply()
	return true
}

// clearRet removes the return breakpoint.
func (s *Session) clearRet(env *runtime.ExecEnv) {
	s.step.ret.active = false
	s.eng.ClearBreakpoint(s.step.ret.fn, s.step.ret.off)
	s.reapply()
}

// reapply patches the user's breakpoints again (ending stepping or
// clearing an internal breakpoint may have removed a patch they share).
func (s *Session) reapply() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, bp := range s.bps {
		_ = s.applyLocked(bp) // applied before: cannot fail now
	}
}

// resumeWith lets the stopped program go on with a step mode.
func (s *Session) resumeWith(mode stepMode) error {
	s.mu.Lock()
	switch s.state {
	case StateRunning:
		s.mu.Unlock()
		return ErrRunning
	case StateExited:
		s.mu.Unlock()
		return ErrExited
	}
	if s.ended && mode != stepContinue && mode != stepKill {
		s.mu.Unlock()
		return errors.New("the program trapped and cannot go on: continue ends it, restart runs it again")
	}
	if len(s.frames) == 0 && !s.ended && mode != stepContinue && mode != stepKill {
		s.mu.Unlock()
		return fmt.Errorf("thread %d is not running Wasm: it can only continue", threadID(s.sel))
	}
	r := resumeReq{mode: mode, frame: s.cur, env: s.sel}
	s.state, s.frames, s.cur = StateRunning, nil, 0
	ch := s.resume
	s.mu.Unlock()
	ch <- r
	return nil
}

// Continue runs until a breakpoint, a trap or the end.
func (s *Session) Continue() error { return s.resumeWith(stepContinue) }

// Step runs to the next line (the next instruction with another WAT line,
// or any next instruction for a binary module), entering calls.
func (s *Session) Step() error { return s.resumeWith(stepInto) }

// Next runs to the next line of the current frame, over calls.
func (s *Session) Next() error { return s.resumeWith(stepOver) }

// Finish runs until the selected frame returns; the Stopped event carries
// the values it returned.
func (s *Session) Finish() error {
	s.mu.Lock()
	ok := s.state != StateStopped || s.cur < len(s.frames)-1
	s.mu.Unlock()
	if !ok {
		return errors.New(`"finish" not meaningful in the outermost frame: use continue`)
	}
	return s.resumeWith(stepOut)
}

// StepInstruction runs one instruction.
func (s *Session) StepInstruction() error { return s.resumeWith(stepInstr) }

// Until runs to the next line past the current one in this frame (leaving
// loops: a backward jump does not stop), or until the frame returns.
func (s *Session) Until() error { return s.resumeWith(stepUntil) }

// RunTo runs to a place (a temporary breakpoint there), stopping earlier
// at other breakpoints.
func (s *Session) RunTo(spec string) error {
	if _, err := s.SetBreakpoint(spec, true, ""); err != nil {
		return err
	}
	return s.Continue()
}

// Pause stops the running program at its next safepoint (function entry
// or loop back-edge); a Stopped event with ReasonPause follows.
func (s *Session) Pause() error {
	s.mu.Lock()
	if s.state != StateRunning {
		s.mu.Unlock()
		return errors.New("the program is not running")
	}
	s.pauseReq = true
	store := s.store
	s.mu.Unlock()
	// Every thread in Wasm gets the pause bit (with the world stopped, so
	// none is exiting); the first to reach a safepoint reports it.
	store.StopTheWorld()
	for _, t := range store.Threads() {
		if t == store.Env() || t.Depth > 0 {
			setBits(t, intrPause)
		}
	}
	store.StartTheWorld()
	return nil
}

// Kill ends the program and waits until its goroutine is gone; an Exited
// event with Killed set follows (none if it had already exited).
func (s *Session) Kill() error {
	s.mu.Lock()
	switch s.state {
	case StateExited:
		s.mu.Unlock()
		return nil
	case StateStopped:
		s.state, s.killReq = StateRunning, true
		ch, store := s.resume, s.store
		s.mu.Unlock()
		ch <- resumeReq{mode: stepKill}
		store.Fail(errKilled)
	default:
		s.killReq = true
		s.releaseAllLocked()
		store := s.store
		s.mu.Unlock()
		// Every thread traps with errKilled at its next safepoint, and
		// atomic waits end.
		store.Fail(errKilled)
	}
	<-s.done
	return nil
}

// Restart kills the program and starts it again from the entry in a new
// store, with the same breakpoints; it stops at the entry.
func (s *Session) Restart() error {
	s.Kill()
	s.mu.Lock()
	old := s.store
	s.store = nil
	s.mu.Unlock()
	if old != nil {
		old.Close()
	}
	return s.start()
}

// whileRunning runs fn, which patches code (breakpoints, stepping), from
// the stepping thread while other threads may run (scheduler-locking
// off): with the world stopped, so no thread reads an instruction while
// it changes, and the others see the change when they resume. If
// another thread's stop came first and its resume set up a new step
// (gen changed), fn does not run and it returns false: the step env's
// state is no longer this step's.
func (s *Session) whileRunning(env *runtime.ExecEnv, gen uint64, fn func()) bool {
	env.Store.StopTheWorld()
	defer env.Store.StartTheWorld()
	s.mu.Lock()
	ok := s.stepGen == gen && s.stepEnv == env
	s.mu.Unlock()
	if ok {
		fn()
	}
	return ok
}
