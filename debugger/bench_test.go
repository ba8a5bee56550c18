package debugger

import (
	"testing"
	"time"

	"github.com/gcscope/gcscope/engine/interp"
)

// The cost of being debugged: fib(20) run plainly on the interpreter, and
// under a session with no breakpoints (which patches nothing, so the two
// should match). go test -bench Fib ./debugger
func BenchmarkFibPlain(b *testing.B) {
	benchFibCall(b, interp.New(), 20)
}

func BenchmarkFibDebugger(b *testing.B) {
	benchSessionRuns(b, open(b, "../examples/fib.wat", "fib", "20"))
}

// BenchmarkBreakpointStop measures continue → breakpoint hit → Stopped
// event received, on a breakpoint hit at once (every call of $fib); the
// hit-to-event metric is the part from the hit to the front end.
func BenchmarkBreakpointStop(b *testing.B) {
	s := open(b, "../examples/fib.wat", "fib", "30")
	if _, err := s.SetBreakpoint("$fib", false, ""); err != nil {
		b.Fatal(err)
	}
	var toEvent time.Duration
	b.ResetTimer()
	for b.Loop() {
		s.Continue()
		ev, ok := next(b, s).(*Stopped)
		if !ok {
			b.Fatal("the program ended")
		}
		toEvent += time.Since(ev.At)
	}
	b.ReportMetric(float64(toEvent.Nanoseconds())/float64(b.N), "ns-hit-to-event")
}
