package debugger

import (
	"os"
	"testing"
	"time"

	"github.com/gcscope/gcscope/engine/binary"
	"github.com/gcscope/gcscope/engine/interp"
	"github.com/gcscope/gcscope/engine/runtime"
	"github.com/gcscope/gcscope/engine/text"
)

// The cost of being debugged: fib(20) run plainly on the interpreter, and
// under a session with no breakpoints (which patches nothing, so the two
// should match). go test -bench Fib ./debugger
func BenchmarkFibPlain(b *testing.B) {
	src, err := os.ReadFile("../examples/fib.wat")
	if err != nil {
		b.Fatal(err)
	}
	m, err := text.ParseModule(src)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := binary.Encode(m); err != nil { // offsets, as the session has
		b.Fatal(err)
	}
	store, err := runtime.NewStore(runtime.Config{Engine: interp.New()})
	if err != nil {
		b.Fatal(err)
	}
	defer store.Close()
	inst, err := store.Instantiate(m, store)
	if err != nil {
		b.Fatal(err)
	}
	fib := inst.ExportedFunc("fib")
	b.ResetTimer()
	for b.Loop() {
		if _, err := fib.Call([]runtime.Value{runtime.I32(20)}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkFibDebugger(b *testing.B) {
	s := open(b, "../examples/fib.wat", "fib", "20")
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if i > 0 {
			b.StopTimer()
			if err := s.Restart(); err != nil {
				b.Fatal(err)
			}
			next(b, s)
			b.StartTimer()
		}
		s.Continue()
		if ex, ok := next(b, s).(*Exited); !ok || ex.Err != nil {
			b.Fatalf("%#v", ex)
		}
	}
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
