package debugger

import (
	"fmt"
	"sort"
	"time"

	"github.com/gcscope/gcscope/engine/runtime"
)

// All-stop across threads (docs/debugger.md, "Threads"). A thread that
// must stop (a breakpoint, the end of a step, a pause) becomes the
// reporter: outside Wasm (ExecEnv.Blocking) it takes the session's stop
// token, stops the world (Store.StopTheWorld, so every other thread parks
// at a safepoint or is blocked outside Wasm, its frames committed), reads
// every thread's frames, reports, and waits for the next request. Threads
// that must stay stopped when the world runs again carry intrPark in
// their interrupt word and park in onInterrupt at their next safepoint.

// The debugger's interrupt word bits (the runtime owns the high ones).
const (
	intrPark  = 1 << 0 // park at the next safepoint (all-stop)
	intrPause = 1 << 1 // a pause: the first thread to see it reports
)

// threadView is one thread as the last stop saw it.
type threadView struct {
	id     int
	env    *runtime.ExecEnv
	frames []runtime.Frame // outermost first
	note   string
}

func threadID(env *runtime.ExecEnv) int { return int(env.ID) + 1 }

// setBits sets debugger bits in a thread's interrupt word without losing
// the runtime's.
func setBits(env *runtime.ExecEnv, bits uint32) { env.Interrupt.Set(bits) }

// allowedLocked says whether env may run now.
func (s *Session) allowedLocked(env *runtime.ExecEnv) bool {
	return s.runAll || s.runner == env
}

// parkLocked registers env as parked and returns the channel its release
// closes.
func (s *Session) parkLocked(env *runtime.ExecEnv) chan struct{} {
	ch := make(chan struct{})
	s.parked[env] = ch
	return ch
}

func (s *Session) releaseLocked(env *runtime.ExecEnv) {
	if ch, ok := s.parked[env]; ok {
		close(ch)
		delete(s.parked, env)
	}
}

func (s *Session) releaseAllLocked() {
	for env := range s.parked {
		s.releaseLocked(env)
	}
}

// parkOutside parks env (outside Wasm, so collections and all-stops do not
// wait for it) until released; errKilled if the program ends meanwhile.
func (s *Session) parkOutside(env *runtime.ExecEnv, ch chan struct{}) error {
	env.Blocking(func() { <-ch })
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.killReq || s.exiting {
		return errKilled
	}
	return nil
}

// onInterrupt is ExecEnv.OnInterrupt (every thread's): a pause to report,
// or a thread that must stay stopped.
func (s *Session) onInterrupt(env *runtime.ExecEnv) error {
	bits := env.Interrupt.Load()
	env.Interrupt.Clear(intrPark | intrPause)
	s.mu.Lock()
	if s.killReq || s.exiting {
		s.mu.Unlock()
		return errKilled
	}
	if bits&intrPause != 0 && s.pauseReq && s.allowedLocked(env) {
		s.pauseReq = false
		s.mu.Unlock()
		return s.report(env, &Stopped{Reason: ReasonPause})
	}
	if s.allowedLocked(env) {
		s.mu.Unlock()
		return nil
	}
	ch := s.parkLocked(env)
	s.mu.Unlock()
	return s.parkOutside(env, ch)
}

// report stops every thread and reports ev for env, then waits for the
// next request and starts what it asks for.
func (s *Session) report(env *runtime.ExecEnv, ev *Stopped) error {
	ev.At, ev.Thread = time.Now(), threadID(env)
	var err error
	env.Blocking(func() { err = s.reportOutside(env, ev) })
	return err
}

// reportOutside is report with env outside Wasm.
func (s *Session) reportOutside(env *runtime.ExecEnv, ev *Stopped) error {
	for {
		s.token <- struct{}{}
		s.mu.Lock()
		if s.killReq || s.exiting {
			s.mu.Unlock()
			<-s.token
			return errKilled
		}
		if s.allowedLocked(env) {
			break
		}
		// Scheduler-locked: this stop waits until the thread may run.
		ch := s.parkLocked(env)
		s.mu.Unlock()
		<-s.token
		<-ch
	}
	if ev.Reason == ReasonBreakpoint && ev.Err == nil && !ev.Temporary && s.bpByIDLocked(ev.Breakpoint) == nil {
		// Deleted while this stop waited for another's: drop it, as gdb does.
		s.mu.Unlock()
		<-s.token
		return nil
	}
	s.mu.Unlock()
	t0 := time.Now()
	s.store.StopTheWorld()
	lat := time.Since(t0)
	s.mu.Lock()
	if s.killReq || s.exiting {
		// Killed between the check above and the stop: Kill saw the
		// program running, so it sends no request to answer.
		s.mu.Unlock()
		s.store.StartTheWorld()
		<-s.token
		return errKilled
	}
	s.pauseReq = false // this stop answers a pause asked meanwhile
	s.ended = ev.Reason == ReasonTrap
	if s.ended {
		s.liveTrap = ev.Trap
	}
	s.latencies = append(s.latencies, lat)
	s.snapshotLocked(env, ev)
	for _, bp := range s.unpatch {
		s.unapplyLocked(bp)
	}
	s.unpatch = nil
	ev.Place = s.placeOf(s.frames[len(s.frames)-1])
	s.last = ev
	s.state = StateStopped
	ch := s.resume
	s.mu.Unlock()
	s.emit(ev)
	r := <-ch
	if r.mode == stepKill {
		s.mu.Lock()
		s.releaseAllLocked()
		s.mu.Unlock()
		s.store.StartTheWorld()
		<-s.token
		return errKilled
	}
	target := r.env
	if target == nil {
		target = env
	}
	s.configure(target, r)
	s.mu.Lock()
	s.runAll = s.locking == LockOff || (r.mode == stepContinue && s.locking == LockStep)
	s.runner = target
	for _, t := range s.threads {
		if t.env == env || t.env.Depth == 0 {
			continue
		}
		if s.allowedLocked(t.env) {
			t.env.Interrupt.Clear(intrPark)
		} else {
			setBits(t.env, intrPark)
		}
	}
	if s.runAll {
		s.releaseAllLocked()
		clear(s.notes)
	} else {
		s.releaseLocked(target)
		delete(s.notes, target)
	}
	var park chan struct{}
	if !s.allowedLocked(env) {
		park = s.parkLocked(env)
	}
	s.mu.Unlock()
	s.store.StartTheWorld()
	<-s.token
	if park != nil {
		return s.parkOutside(env, park)
	}
	return nil
}

// snapshotLocked records every thread's frames with the world stopped
// and selects the reporter.
func (s *Session) snapshotLocked(env *runtime.ExecEnv, ev *Stopped) {
	s.threads = s.threads[:0]
	for _, t := range s.store.Threads() {
		v := threadView{id: threadID(t), env: t, frames: append([]runtime.Frame(nil), t.ActiveFrames()...)}
		if len(v.frames) == 0 {
			v.note = "not in Wasm"
		}
		if t == env {
			s.notes[t] = string(ev.Reason)
			if ev.Breakpoint != 0 {
				s.notes[t] = fmt.Sprintf("breakpoint %d", ev.Breakpoint)
			}
		}
		if n, ok := s.notes[t]; ok {
			v.note = n
		}
		s.threads = append(s.threads, v)
	}
	sort.Slice(s.threads, func(i, j int) bool { return s.threads[i].id < s.threads[j].id })
	s.selectLocked(threadID(env))
}

// selectLocked makes thread id current; false if there is none.
func (s *Session) selectLocked(id int) bool {
	for _, t := range s.threads {
		if t.id == id {
			s.sel, s.frames, s.cur = t.env, t.frames, 0
			return true
		}
	}
	return false
}
