package debugger

import (
	"fmt"
	"time"

	"github.com/gcscope/gcscope/engine/runtime"
)

// The threads API: listing, selecting, scheduler-locking, every thread's
// frames (threads.go has the all-stop protocol).

// Locking is gdb's scheduler-locking: which threads run on a resume.
type Locking string

// Scheduler-locking modes.
const (
	// LockOff (the default): every thread runs on every resume; a step
	// ends when the selected thread gets there (other threads may stop
	// it earlier at a breakpoint). The interpreter's stepping patches
	// code every thread shares, so patches made while threads run are
	// made with the world stopped.
	LockOff Locking = "off"
	// LockStep: continue runs every thread, stepping commands only the
	// selected one.
	LockStep Locking = "step"
	// LockOn: only the selected thread runs, for continue too.
	LockOn Locking = "on"
)

// ThreadInfo describes one thread.
type ThreadInfo struct {
	ID       int
	State    State
	Place    Place // where it is stopped (when stopped)
	Current  bool  // the thread commands act on
	HasPlace bool
	// Note says why it stopped: "breakpoint 2", "step", "pause", or
	// "not in Wasm" for a thread with no frames.
	Note string
}

// Threads lists the threads with their state and place.
func (s *Session) Threads() []ThreadInfo {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.state != StateStopped {
		return []ThreadInfo{{ID: 1, State: s.state, Current: true}}
	}
	var out []ThreadInfo
	for _, t := range s.threads {
		ti := ThreadInfo{ID: t.id, State: StateStopped, Current: t.env == s.sel, Note: t.note}
		if len(t.frames) > 0 {
			ti.Place, ti.HasPlace = s.placeOf(t.frames[len(t.frames)-1]), true
		}
		out = append(out, ti)
	}
	return out
}

// SelectThread makes thread id the one frames, locals, print and the
// stepping commands act on.
func (s *Session) SelectThread(id int) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.state == StateRunning {
		return ErrRunning
	}
	if s.state == StateExited {
		return ErrExited
	}
	if !s.selectLocked(id) {
		if len(s.threads) == 1 {
			return fmt.Errorf("no thread %d: the program has one thread, %d", id, s.threads[0].id)
		}
		var ids []int
		for _, t := range s.threads {
			ids = append(ids, t.id)
		}
		return fmt.Errorf("no thread %d: threads are %v (see threads)", id, ids)
	}
	return nil
}

// SetLocking sets the scheduler-locking mode for the next resumes.
func (s *Session) SetLocking(l Locking) error {
	switch l {
	case LockOff, LockStep, LockOn:
	default:
		return fmt.Errorf("scheduler-locking is off, step or on, not %q", l)
	}
	s.mu.Lock()
	s.locking = l
	s.mu.Unlock()
	return nil
}

// GetLocking returns the scheduler-locking mode.
func (s *Session) GetLocking() Locking {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.locking
}

// StopLatencies returns how long each all-stop took, from the reporting
// thread starting it to every other thread parked (or blocked outside
// Wasm) with its frames committed.
func (s *Session) StopLatencies() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Duration(nil), s.latencies...)
}

// ThreadFrames is one thread's backtrace, for bt all.
type ThreadFrames struct {
	Thread ThreadInfo
	Frames []FrameInfo // innermost first
}

// AllBacktraces lists every thread's frames, by thread number.
func (s *Session) AllBacktraces() ([]ThreadFrames, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch s.state {
	case StateRunning:
		return nil, ErrRunning
	case StateExited:
		return nil, ErrExited
	}
	sel, frames, cur := s.sel, s.frames, s.cur
	defer func() { s.sel, s.frames, s.cur = sel, frames, cur }()
	var out []ThreadFrames
	for _, t := range s.threads {
		tf := ThreadFrames{Thread: ThreadInfo{ID: t.id, State: StateStopped, Current: t.env == sel, Note: t.note}}
		s.sel, s.frames = t.env, t.frames
		c := s.ctxLocked()
		for i := range t.frames {
			tf.Frames = append(tf.Frames, s.frameInfoLocked(c, i))
		}
		if len(t.frames) > 0 {
			tf.Thread.Place, tf.Thread.HasPlace = tf.Frames[0].Place, true
		}
		out = append(out, tf)
	}
	return out, nil
}

// threadFrameLocked returns frame i (0 innermost) of the thread whose
// exec env ID is id, as the last stop saw it.
func (s *Session) threadFrameLocked(id uint32, i int) (runtime.Frame, bool) {
	for _, t := range s.threads {
		if t.env.ID == id {
			if i < 0 || i >= len(t.frames) {
				return runtime.Frame{}, false
			}
			return t.frames[len(t.frames)-1-i], true
		}
	}
	if id == 0 {
		return s.frameLocked(i)
	}
	return runtime.Frame{}, false
}
