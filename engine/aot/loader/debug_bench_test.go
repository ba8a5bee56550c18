package loader

import (
	"testing"
)

// gcBenchCases are the bench/ GC programs, each through its main export.
var gcBenchCases = []benchCase{
	{"binary_trees", "binary_trees.wat", "main", nil},
	{"i31_mix", "i31_mix.wat", "main", nil},
	{"linked_list", "linked_list.wat", "main", nil},
	{"shapes", "shapes.wat", "main", nil},
}

// BenchmarkDebugBuild compares release and debug builds of every bench/
// program (fib(30), the sieve's, nbody's and the GC programs' main), with
// nothing set (no breakpoint, no stepping): what the debug build costs
// more is its per-instruction tests and commits.
// go test -run '^$' -bench DebugBuild -benchtime 200x ./engine/aot/loader
func BenchmarkDebugBuild(b *testing.B) {
	cases := append(mvpBenchCases[:len(mvpBenchCases):len(mvpBenchCases)], gcBenchCases...)
	for _, c := range cases {
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
