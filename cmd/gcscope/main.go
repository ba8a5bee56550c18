// Command gcscope runs, compiles, debugs and inspects WebAssembly GC
// programs. Each subcommand lives in its own file; this one dispatches.
//
// Usage: gcscope SUBCOMMAND [flags] FILE [program args]
package main

import (
	"fmt"
	"io"
	"os"
)

// command is one subcommand. Flags come before the file, as wasmtime reads
// them, so the program's own arguments can follow the file untouched.
type command struct {
	name    string
	summary string
	run     func(env *cliEnv, args []string) int
}

// cliEnv carries the streams a command writes to, so tests can capture them.
type cliEnv struct {
	stdout, stderr io.Writer
}

func commands() []command {
	return []command{
		{"run", "run a module (interpreter, or AOT code with --aot or an .aot file)", runCmd},
		{"compile", "compile a module ahead of time into an .aot file", compileCmd},
		{"debug", "debug a module, interpreted or native (full-screen TUI, line CLI, batch mode)", debugCmd},
		{"dump", "show every section of an .aot or .wasm file", dumpCmd},
		{"heap", "take and analyse heap snapshots", heapCmd},
		{"wast", "run WebAssembly spec test scripts", wastCmd},
		{"validate", "check that modules decode and validate", validateCmd},
		{"convert", "convert between .wat and .wasm", convertCmd},
		{"print", "print a module as WAT text", printCmd},
		{"version", "print gcscope's version", versionCmd},
	}
}

func main() {
	os.Exit(dispatch(&cliEnv{stdout: os.Stdout, stderr: os.Stderr}, os.Args[1:]))
}

func dispatch(env *cliEnv, args []string) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		if len(args) > 1 {
			return dispatch(env, []string{args[1], "--help"})
		}
		usage(env.stdout)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	for _, c := range commands() {
		if c.name == args[0] {
			return c.run(env, args[1:])
		}
	}
	fmt.Fprintf(env.stderr, "gcscope: unknown subcommand %q\n\n", args[0])
	usage(env.stderr)
	return 2
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "gcscope: run, compile, debug and inspect WebAssembly GC programs")
	fmt.Fprintln(w, "\nUsage: gcscope SUBCOMMAND [flags] FILE [program args]")
	fmt.Fprintln(w, "\nSubcommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-10s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun 'gcscope SUBCOMMAND --help' for a subcommand's flags and examples.")
}

// version is set at build time by the Makefile (-ldflags -X main.version=...).
var version = "dev"

func versionCmd(env *cliEnv, args []string) int {
	fs := newFlags(env, "version", "", "Print gcscope's version.", "gcscope version")
	if !parseFlags(fs, args) {
		return exitForFlags(args)
	}
	fmt.Fprintln(env.stdout, "gcscope", version)
	return 0
}
