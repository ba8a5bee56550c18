package debugger

import (
	"os"
	"testing"

	"github.com/gcscope/gcscope/engine/aot/compile"
	"github.com/gcscope/gcscope/engine/aot/loader"
	"github.com/gcscope/gcscope/engine/binary"
	"github.com/gcscope/gcscope/engine/runtime"
	"github.com/gcscope/gcscope/engine/text"
)

// The cost of being debugged on AOT code: fib(30) as a debug build run
// plainly, and under a session (Options.AOT) with no breakpoints, whose
// code only tests the words it tests anyway; the two should match.
// go test -bench FibAOT -benchtime 10x ./debugger
func BenchmarkFibAOTPlain(b *testing.B) {
	for _, debug := range []bool{false, true} {
		name := "release"
		if debug {
			name = "debug"
		}
		b.Run(name, func(b *testing.B) {
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
			e := loader.New(nil)
			e.Options = compile.Options{OptLevel: 2, Debug: debug}
			defer e.Close()
			store, err := runtime.NewStore(runtime.Config{Engine: e})
			if err != nil {
				b.Fatal(err)
			}
			defer store.Close()
			inst, err := store.Instantiate(m, nil)
			if err != nil {
				b.Fatal(err)
			}
			fib := inst.ExportedFunc("fib")
			b.ResetTimer()
			for b.Loop() {
				if _, err := fib.Call([]runtime.Value{runtime.I32(30)}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkFibAOTDebugger(b *testing.B) {
	s, err := New(Options{Path: "../examples/fib.wat", Invoke: "fib", Args: []string{"30"}, AOT: true})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	next(b, s)
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
