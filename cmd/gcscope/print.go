package main

import (
	"bufio"
	"fmt"

	"github.com/gcscope/gcscope/engine/printer"
)

func printCmd(env *cliEnv, args []string) int {
	fs := newFlags(env, "print", "FILE",
		"Print a module (.wasm or .wat) as WAT text, with names from its name section.",
		"gcscope print program.wasm",
		"gcscope print --folded program.wasm | less")
	folded := fs.Bool("folded", false, "nest operands inside their instructions")
	if !parseFlags(fs, args) {
		return exitForFlags(args)
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return 2
	}
	m, err := readModule(fs.Arg(0))
	if err != nil {
		fmt.Fprintln(env.stderr, err)
		return 1
	}
	w := bufio.NewWriter(env.stdout)
	if _, err := printer.Print(w, m, printer.Options{Folded: *folded}); err != nil {
		fmt.Fprintf(env.stderr, "%s: %v\n", fs.Arg(0), err)
		return 1
	}
	if err := w.Flush(); err != nil {
		fmt.Fprintln(env.stderr, err)
		return 1
	}
	return 0
}
