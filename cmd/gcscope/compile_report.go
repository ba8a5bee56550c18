package main

import (
	"fmt"

	"github.com/gcscope/gcscope/engine/aot/compile"
	"github.com/gcscope/gcscope/engine/aot/compilereport"
)

// compileReport is `gcscope compile --report DIR`: every .wasm under dir
// compiled at each of levels (-O0 and -O2 unless --opt-level says one),
// a progress line per module on stderr, then a table with one line each
// (compiled with time and .aot size, or refused with the reason) and the
// totals. It fails (1) when a module the compiler accepts fails to
// compile.
func compileReport(env *cliEnv, dir, llc string, levels []int, workers int) int {
	r, err := compilereport.Run(dir, compilereport.Config{Levels: levels, Tools: compile.Tools{LLC: llc},
		Workers: workers, Progress: env.stderr})
	if err != nil {
		fmt.Fprintln(env.stderr, err)
		return 1
	}
	if err := r.Write(env.stdout); err != nil {
		fmt.Fprintln(env.stderr, err)
		return 1
	}
	if len(r.Failures()) > 0 {
		return 1
	}
	return 0
}
