package main

import (
	"errors"
	"flag"
	"fmt"
	"strings"
)

// newFlags makes a flag set whose --help text shows the synopsis, what the
// command does, its flags and examples.
func newFlags(env *cliEnv, name, synopsis, about string, examples ...string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	fs.Usage = func() {
		w := fs.Output()
		fmt.Fprintf(w, "Usage: gcscope %s [flags] %s\n\n%s\n", name, synopsis, about)
		hasFlags := false
		fs.VisitAll(func(*flag.Flag) { hasFlags = true })
		if hasFlags {
			fmt.Fprintln(w, "\nFlags:")
			fs.PrintDefaults()
		}
		if len(examples) > 0 {
			fmt.Fprintln(w, "\nExamples:")
			for _, e := range examples {
				fmt.Fprintln(w, "  "+e)
			}
		}
	}
	return fs
}

// parseFlags parses and reports whether to go on; --help prints the usage
// to stdout-like output and stops.
func parseFlags(fs *flag.FlagSet, args []string) bool {
	err := fs.Parse(args)
	if errors.Is(err, flag.ErrHelp) {
		return false
	}
	return err == nil
}

// helpRequested tells apart "--help" (exit 0) from a bad flag (exit 2).
func helpRequested(args []string) bool {
	for _, a := range args {
		if a == "--" {
			return false
		}
		if a == "-h" || a == "-help" || a == "--help" {
			return true
		}
		if !strings.HasPrefix(a, "-") {
			return false
		}
	}
	return false
}

// exitForFlags is the exit status after parseFlags returned false.
func exitForFlags(args []string) int {
	if helpRequested(args) {
		return 0
	}
	return 2
}

// flagSet reports whether the command line gave flag name, so a default
// can mean "not chosen" (compile --report's levels).
func flagSet(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}
