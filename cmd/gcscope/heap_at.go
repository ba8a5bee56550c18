package main

import (
	"fmt"
	"io"
	"time"

	"github.com/gcscope/gcscope/debugger"
	"github.com/gcscope/gcscope/heapviz/snapshot"
)

// snapshotAt runs the target under the debugger to the hit-th stop at a
// breakpoint on place (the debugger's syntax: $func, func+0x12, a WAT
// line, *0x4c) and captures the heap there, the stopped frames as roots.
// Program output goes to out. It returns the snapshot, or an error naming
// the target and the exit status (2: a bad place, 1: the program ended
// first or failed).
func snapshotAt(out io.Writer, opts debugger.Options, place string, hit int, keepGarbage, boxI31 bool) (*snapshot.Snapshot, snapshot.CaptureStats, int, error) {
	s, err := debugger.New(opts)
	if err != nil {
		return nil, snapshot.CaptureStats{}, 1, err // it names the target
	}
	defer s.Close()
	snap, st, status, err := snapshotIn(out, s, place, hit, keepGarbage, boxI31)
	if err != nil {
		err = fmt.Errorf("%s: %w", opts.Path, err)
	}
	return snap, st, status, err
}

// snapshotIn is snapshotAt in a started session.
func snapshotIn(out io.Writer, s *debugger.Session, place string, hit int, keepGarbage, boxI31 bool) (*snapshot.Snapshot, snapshot.CaptureStats, int, error) {
	wait := func() (debugger.Event, error) {
		for {
			select {
			case ev := <-s.Events():
				if o, ok := ev.(*debugger.Output); ok {
					io.WriteString(out, o.Text)
					continue
				}
				return ev, nil
			case <-time.After(10 * time.Minute):
				return nil, fmt.Errorf("no stop at %s after 10 minutes", place)
			}
		}
	}
	first, err := wait()
	if err != nil {
		return nil, snapshot.CaptureStats{}, 1, err
	}
	bp, err := s.SetBreakpoint(place, false, "")
	if err != nil {
		return nil, snapshot.CaptureStats{}, 2, fmt.Errorf("--at %s: %w", place, err)
	}
	hits := 0
	if st, ok := first.(*debugger.Stopped); ok && st.Place.Func == bp.Place.Func && st.Place.Offset == bp.Place.Offset {
		hits++ // the program stopped at its entry, which is the place
	}
	for hits < hit {
		if err := s.Continue(); err != nil {
			return nil, snapshot.CaptureStats{}, 1, err
		}
		ev, err := wait()
		if err != nil {
			return nil, snapshot.CaptureStats{}, 1, err
		}
		switch ev := ev.(type) {
		case *debugger.Exited:
			why := "returned"
			if ev.Err != nil {
				why = "failed: " + ev.Err.Error()
			}
			return nil, snapshot.CaptureStats{}, 1, fmt.Errorf("the program %s after %d of %d hits of %s: no snapshot", why, hits, hit, place)
		case *debugger.Stopped:
			if ev.Reason == debugger.ReasonTrap {
				return nil, snapshot.CaptureStats{}, 1, fmt.Errorf("the program trapped after %d of %d hits of %s: %v", hits, hit, place, ev.Trap)
			}
			if ev.Breakpoint == bp.ID {
				hits++
			}
		}
	}
	snap, st, err := s.CaptureHeap(keepGarbage, boxI31)
	if err != nil {
		return nil, st, 1, err
	}
	return snap, st, 0, nil
}
