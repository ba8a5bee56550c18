package debugger

import (
	"os"
	"testing"

	"github.com/gcscope/gcscope/engine/binary"
	"github.com/gcscope/gcscope/engine/runtime"
	"github.com/gcscope/gcscope/engine/text"
)

// benchFibCall times fib(n) of examples/fib.wat called straight on a store
// with engine e, no session: the baseline the session benchmarks compare
// against. The module is encoded first, so it has the code offsets a
// session's module has.
func benchFibCall(b *testing.B, e runtime.Engine, n int32) {
	b.Helper()
	src, err := os.ReadFile("../examples/fib.wat")
	if err != nil {
		b.Fatal(err)
	}
	m, err := text.ParseModule(src)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := binary.Encode(m); err != nil {
		b.Fatal(err)
	}
	store, err := runtime.NewStore(runtime.Config{Engine: e})
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
		if _, err := fib.Call([]runtime.Value{runtime.I32(n)}); err != nil {
			b.Fatal(err)
		}
	}
}

// benchSessionRuns times s's program run to its end with no breakpoints,
// once per iteration; s is stopped at its entry, and restarting it (and
// its stop at the entry) is left out of the time.
func benchSessionRuns(b *testing.B, s *Session) {
	b.Helper()
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
