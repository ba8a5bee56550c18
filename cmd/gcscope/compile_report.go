package main

import (
	"fmt"

	"github.com/gcscope/gcscope/engine/aot/compile"
	"github.com/gcscope/gcscope/engine/aot/compilereport"
)

// compileReport is `gcscope compile --report DIR`: every .wasm under dir
// compiled at -O0 and -O2, one line each (compiled with time and .aot
// size, or refused with the reason), then the totals. It fails (1) when
// a module the compiler accepts fails to compile.
func compileReport(env *cliEnv, dir, llc string) int {
	r, err := compilereport.Run(dir, []int{0, 2}, compile.Tools{LLC: llc})
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
