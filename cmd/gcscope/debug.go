package main

import (
	"fmt"
	"os"

	"github.com/gcscope/gcscope/debugger"
	dbgcmd "github.com/gcscope/gcscope/debugger/commands"
)

// debugCmd is `gcscope debug`: the debugger on the interpreter, full-screen
// (debug_tui.go) on a terminal, else (or with --cli) the line CLI
// (debug_cli.go), or with --batch a transcript of a command file.
func debugCmd(env *cliEnv, args []string) int {
	fs := newFlags(env, "debug", "TARGET [ARGS...]",
		"Debug a module (.wat or .wasm) on the interpreter, or natively with --aot or an .aot\n"+
			"debug build (gcscope compile --debug). The entry is the export named by\n"+
			"--invoke, else _start, else main, else the start function; ARGS are its parameters.\n"+
			"The program stops before the entry's first instruction. On a terminal the\n"+
			"full-screen debugger opens (docs/tui.md); --cli gives the line debugger. Commands are gdb's and\n"+
			"delve's (break, continue, step, next, finish, bt, print, ...); type help at the\n"+
			"prompt. Ctrl-C pauses a running program. With --batch the commands of FILE run\n"+
			"without a terminal and a transcript (each command after the prompt, then its\n"+
			"output) is printed.",
		"gcscope debug examples/fib.wat",
		"gcscope debug --invoke fib examples/fib.wat 10",
		"gcscope debug --aot --invoke fib examples/fib.wat 10",
		"gcscope debug --batch cmds.txt examples/binary_trees.wat",
		"echo 'break $check\\ncontinue\\nprint $t.left\\nbt' > cmds.txt")
	cli := fs.Bool("cli", false, "use the line-oriented front end (the default when stdin or stdout is not a terminal)")
	invoke := fs.String("invoke", "", "the exported function to debug")
	batch := fs.String("batch", "", "run the commands in FILE and print a transcript")
	fs.StringVar(batch, "x", "", "the same as --batch")
	heapSize := fs.String("heap-size", "", "maximum GC heap size, e.g. 64MiB (default 1GiB)")
	source := fs.String("source", "", "with an .aot target: the module it was compiled from (default: FILE.wasm or FILE.wat beside it)")
	aot := fs.Bool("aot", false, "run the target as an AOT debug build (compiled through LLVM, cached); an .aot target from 'gcscope compile --debug' always runs natively")
	if !parseFlags(fs, args) {
		return exitForFlags(args)
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return 2
	}
	maxHeap, err := parseSize(*heapSize)
	if err != nil {
		return usageErr(env, "debug", "--heap-size: %v", err)
	}
	var script *os.File
	if *batch != "" {
		if script, err = os.Open(*batch); err != nil {
			fmt.Fprintf(env.stderr, "gcscope debug: %v\n", err)
			return 2
		}
		defer script.Close()
	}
	opts := debugger.Options{Path: fs.Arg(0), Invoke: *invoke, Args: fs.Args()[1:], HeapMaxBytes: maxHeap, AOT: *aot, SourcePath: *source}
	if *aot {
		opts.AOTCacheDir = aotCacheDir()
	}
	s, err := debugger.New(opts)
	if err != nil {
		fmt.Fprintf(env.stderr, "gcscope debug: %v\n", err)
		return 1
	}
	defer s.Close()
	if script == nil && !*cli && useTUI(env) {
		return debugTUI(env, s)
	}
	c := dbgcmd.New(s, env.stdout)
	if script != nil {
		if err := c.Batch(script); err != nil {
			fmt.Fprintf(env.stderr, "gcscope debug: %s: %v\n", *batch, err)
			return 1
		}
		return 0
	}
	return debugCLI(env, c)
}
