package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"

	"github.com/go-delve/liner"

	"github.com/gcscope/gcscope/debugger"
	dbgcmd "github.com/gcscope/gcscope/debugger/commands"
)

// debugCLI is the debugger's line front end: a liner prompt with history
// (in the user's config directory) and tab completion of commands,
// functions, locals, globals and fields. Ctrl-C pauses a running program;
// at the prompt it clears the line, and Ctrl-D or quit leaves.
func debugCLI(env *cliEnv, c *dbgcmd.Console) int {
	ln := liner.NewLiner()
	defer ln.Close()
	ln.SetCtrlCAborts(true)
	ln.SetCompleter(c.Complete)
	hist := historyPath()
	if f, err := os.Open(hist); err == nil {
		ln.ReadHistory(f)
		f.Close()
	}
	defer func() {
		if hist == "" {
			return
		}
		os.MkdirAll(filepath.Dir(hist), 0o755)
		if f, err := os.Create(hist); err == nil {
			ln.WriteHistory(f)
			f.Close()
		}
	}()
	// Ctrl-C while the program runs pauses it (at the prompt liner has the
	// terminal in raw mode and sees the key itself).
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt)
	defer signal.Stop(sig)
	go func() {
		for range sig {
			if c.S.State() == debugger.StateRunning {
				c.S.Pause()
			}
		}
	}()
	c.Wait()
	last := ""
	for {
		line, err := ln.Prompt(dbgcmd.Prompt)
		if errors.Is(err, liner.ErrPromptAborted) {
			continue
		}
		if errors.Is(err, io.EOF) {
			fmt.Fprintln(env.stdout)
			return 0
		}
		if err != nil {
			fmt.Fprintf(env.stderr, "gcscope debug: %v\n", err)
			return 1
		}
		if line == "" {
			// An empty line repeats step, next, x and the like, as in gdb.
			if !dbgcmd.Repeatable(last) {
				continue
			}
			line = last
		} else {
			ln.AppendHistory(line)
		}
		last = line
		if c.Run(line) {
			return 0
		}
	}
}

// historyPath is where the CLI keeps its history, or "" if the user has
// no config directory.
func historyPath() string {
	dir, err := os.UserConfigDir()
	if err != nil {
		return ""
	}
	return filepath.Join(dir, "gcscope", "debug_history")
}
