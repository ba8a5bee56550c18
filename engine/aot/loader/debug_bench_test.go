package loader

import (
	"testing"
)

// BenchmarkDebugBuild compares release and debug builds of fib(30), the
// sieve's and nbody's main, with nothing set (no breakpoint, no
// stepping): the debug build's whole cost is its per-instruction test.
// go test -bench DebugBuild -benchtime 20x ./engine/aot/loader
func BenchmarkDebugBuild(b *testing.B) {
	for _, c := range mvpBenchCases {
		for _, debug := range []bool{false, true} {
			name := c.name + "/release"
			if debug {
				name = c.name + "/debug"
			}
			b.Run(name, func(b *testing.B) {
				e := New(nil)
				e.Options.Debug = debug
				defer e.Close()
				benchExample(b, e, c.file, c.fn, c.args...)
			})
		}
	}
}
