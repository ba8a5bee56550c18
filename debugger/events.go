package debugger

import (
	"fmt"
	"time"

	"github.com/gcscope/gcscope/engine/runtime"
)

// Reason says why the program stopped.
type Reason string

// Stop reasons.
const (
	ReasonEntry      Reason = "entry"      // the session started: stopped before the entry's first instruction
	ReasonBreakpoint Reason = "breakpoint" // a breakpoint was hit
	ReasonStep       Reason = "step"       // a step, next, finish, stepi or until ended
	ReasonPause      Reason = "pause"      // Pause was called
	ReasonTrap       Reason = "trap"       // the program trapped (or threw an uncaught exception)
)

// State is what a thread (or the session) is doing.
type State string

// Thread and session states.
const (
	StateRunning State = "running"
	StateStopped State = "stopped"
	StateExited  State = "exited"
)

// Event is something the session reports: *Stopped, *Output or *Exited.
type Event interface{ event() }

// Stopped reports that the program stopped (all threads).
type Stopped struct {
	Thread int
	Reason Reason
	Place  Place
	// Breakpoint is the breakpoint hit (ReasonBreakpoint), else 0.
	Breakpoint int
	// Temporary says the breakpoint hit was a tbreak (now deleted).
	Temporary bool
	// Returned holds the values the finished function returned (finish).
	Returned []runtime.Value
	// Trap is the trap or uncaught exception (ReasonTrap); its backtrace
	// is the stopped thread's frames.
	Trap error
	// Err is set when a breakpoint condition could not be evaluated.
	Err error
	// At is when the program stopped (before the frames were read), so
	// front ends can measure how long the stop took to reach them.
	At time.Time
}

// Output is text the program wrote.
type Output struct{ Text string }

// Exited reports that the entry function returned (Results), trapped
// (Err) or was killed.
type Exited struct {
	Results []runtime.Value
	Err     error
	Killed  bool
}

func (*Stopped) event() {}
func (*Output) event()  {}
func (*Exited) event()  {}

// outputWriter turns the program's writes into Output events.
type outputWriter struct{ s *Session }

func (w outputWriter) Write(p []byte) (int, error) {
	w.s.emit(&Output{Text: string(p)})
	return len(p), nil
}

// errKilled ends a run the user killed.
var errKilled = fmt.Errorf("killed by the debugger")
