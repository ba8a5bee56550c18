package debugger

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
