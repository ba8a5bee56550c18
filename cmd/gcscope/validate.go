package main

import (
	"fmt"
	"time"
)

func validateCmd(env *cliEnv, args []string) int {
	fs := newFlags(env, "validate", "FILE...",
		"Decode (or parse) and validate each module, and say where the first problem is.",
		"gcscope validate program.wasm",
		"gcscope validate --time examples/*.wat")
	timing := fs.Bool("time", false, "print how long each file took")
	if !parseFlags(fs, args) {
		return exitForFlags(args)
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return 2
	}
	status := 0
	for _, path := range fs.Args() {
		start := time.Now()
		_, err := loadModule(path)
		if err != nil {
			fmt.Fprintln(env.stderr, err)
			status = 1
			continue
		}
		if *timing {
			fmt.Fprintf(env.stdout, "%s: valid (%v)\n", path, time.Since(start).Round(time.Microsecond))
		} else {
			fmt.Fprintf(env.stdout, "%s: valid\n", path)
		}
	}
	return status
}
