package main

import (
	"fmt"
	"os"

	"github.com/charmbracelet/x/term"

	"github.com/gcscope/gcscope/debugger"
	"github.com/gcscope/gcscope/tui"
)

// useTUI reports whether the full-screen debugger can run: stdin and
// stdout are terminals (and stdout is the process's own).
func useTUI(env *cliEnv) bool {
	return env.stdout == os.Stdout && term.IsTerminal(os.Stdin.Fd()) && term.IsTerminal(os.Stdout.Fd())
}

// debugTUI runs the full-screen debugger (package tui) over a fresh
// session until the user quits.
func debugTUI(env *cliEnv, s *debugger.Session) int {
	if err := tui.Run(s, os.Stdin, os.Stdout); err != nil {
		fmt.Fprintf(env.stderr, "gcscope debug: %v\n", err)
		return 1
	}
	return 0
}
