package debugger

import (
	"testing"

	"github.com/gcscope/gcscope/engine/aot/compile"
	"github.com/gcscope/gcscope/engine/aot/loader"
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
			e := loader.New(nil)
			e.Options = compile.Options{OptLevel: 2, Debug: debug}
			defer e.Close()
			benchFibCall(b, e, 30)
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
	benchSessionRuns(b, s)
}
