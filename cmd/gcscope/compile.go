package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/gcscope/gcscope/engine/aot/compile"
)

func compileCmd(env *cliEnv, args []string) int {
	fs := newFlags(env, "compile", "FILE",
		"Compile a module (.wasm or .wat) ahead of time through LLVM 14 into an .aot file of\n"+
			"native code for this machine. Run it with 'gcscope run FILE.aot', or let\n"+
			"'gcscope run --aot FILE.wasm' compile and cache it.",
		"gcscope compile examples/fib.wat                 # writes examples/fib.aot",
		"gcscope compile -o nbody.aot --opt-level 3 examples/nbody.wat",
		"gcscope compile --emit-llvm fib.ll examples/fib.wat",
		"gcscope compile --debug -o fib-debug.aot examples/fib.wat && gcscope debug fib-debug.aot",
		"gcscope dump --disasm=fib examples/fib.aot",
		"gcscope compile --report ../shared/programs       # -O0 and -O2 of every .wasm, a table",
		"gcscope compile --report --opt-level 0 --workers 1 ../shared/programs   # one level, one llc at a time")
	out := fs.String("o", "", "output `file` (default: FILE with the .aot extension)")
	optLevel := fs.Int("opt-level", 2, "LLVM optimization level, 0 to 3")
	emitLLVM := fs.String("emit-llvm", "", "also write the LLVM IR to `file`")
	llc := fs.String("llc", "", "the llc program to use (default: llc-14 or llc on PATH)")
	debug := fs.Bool("debug", false, "debug build: the interrupt word at every instruction, every value committed")
	workers := fs.Int("workers", 0, "opt+llc runs at once on a large module's chunks (0: one per core; 1: no chunks)")
	chunkInstrs := fs.Int("chunk-instrs", 0, "Wasm instructions per chunk of a large module (0: the default)")
	report := fs.Bool("report", false, "FILE is a folder: compile every .wasm under it at -O0 and -O2 (or at --opt-level if given) and print a table")
	if !parseFlags(fs, args) {
		return exitForFlags(args)
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return 2
	}
	if *report {
		levels := []int{0, 2}
		if flagSet(fs, "opt-level") {
			levels = []int{*optLevel}
		}
		return compileReport(env, fs.Arg(0), *llc, levels, *workers)
	}
	in := fs.Arg(0)
	m, err := loadModule(in)
	if err != nil {
		fmt.Fprintln(env.stderr, err)
		return 1
	}
	if *emitLLVM != "" {
		ir, err := compile.GenerateIRFor(m, compile.Options{OptLevel: *optLevel, Debug: *debug})
		if err != nil {
			fmt.Fprintf(env.stderr, "%s: %v\n", in, err)
			return 1
		}
		if err := os.WriteFile(*emitLLVM, []byte(ir.String()), 0o644); err != nil {
			fmt.Fprintln(env.stderr, err)
			return 1
		}
	}
	start := time.Now()
	data, err := compile.Compile(m, compile.Options{OptLevel: *optLevel, Tools: compile.Tools{LLC: *llc},
		Workers: *workers, ChunkInstrs: *chunkInstrs, Debug: *debug})
	if err != nil {
		fmt.Fprintf(env.stderr, "%s: %v\n", in, err)
		return 1
	}
	dst := *out
	if dst == "" {
		dst = strings.TrimSuffix(in, filepath.Ext(in)) + ".aot"
	}
	if err := os.WriteFile(dst, data, 0o644); err != nil {
		fmt.Fprintln(env.stderr, err)
		return 1
	}
	kind := ""
	if *debug {
		kind = ", debug build"
	}
	fmt.Fprintf(env.stdout, "wrote %s (%d bytes, -O%d%s, %v)\n", dst, len(data), *optLevel, kind, time.Since(start).Round(time.Millisecond))
	return 0
}
