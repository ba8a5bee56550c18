package main

import (
	"fmt"

	"github.com/gcscope/gcscope/engine/aot/loader"
	"github.com/gcscope/gcscope/engine/interp/wastexec"
	"github.com/gcscope/gcscope/engine/runtime"
	"github.com/gcscope/gcscope/engine/wast"
)

func wastCmd(env *cliEnv, args []string) int {
	fs := newFlags(env, "wast", "FILE|DIR...",
		"Run WebAssembly spec test scripts. Directories are searched for .wast files.\n"+
			"Prints a line per file, a summary per folder, and ends with\n"+
			"'N passed, N failed' (and ', N skipped' when some checks were not run).",
		"gcscope wast ../shared/testsuite/core/i32.wast",
		"gcscope wast --validate-only ../shared/testsuite/core",
		"gcscope wast --failures --messages ../shared/testsuite/core/gc",
		"gcscope wast --engine=aot ../shared/testsuite/core/i32.wast")
	validateOnly := fs.Bool("validate-only", false, "run only the module, assert_malformed and assert_invalid checks")
	failures := fs.Bool("failures", true, "list each failed check with its place")
	messages := fs.Bool("messages", false, "also list expected failures whose message differs from the script's")
	quiet := fs.Bool("q", false, "print only the folder summary and the closing line")
	gcStress := fs.Bool("gc-stress", false, "collect garbage at every allocation (shakes out missing roots)")
	heapSize := fs.String("heap-size", "", "maximum GC heap size per script, e.g. 64MiB (default: the runtime's)")
	debug := fs.Bool("debug", false, "with --engine=aot: compile debug builds (a stop test before every instruction)")
	slotsWork := fs.Int("debug-slots-work", 0, "with --debug: keep the locals of functions whose locals x instructions exceed N in their frame slots (0: the compiler's default; -1: every function, to test that path)")
	operandsWork := fs.Int("debug-operands-work", 0, "with --debug: store the operands of functions whose deepest operand stack x instructions exceed N in their frame slots as they are pushed (0: the compiler's default; -1: every function, to test that path)")
	engineName := fs.String("engine", "interp", "the tier that executes: interp, or aot (native code through LLVM; modules it cannot compile yet are skipped)")
	if !parseFlags(fs, args) {
		return exitForFlags(args)
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return 2
	}
	files, err := wast.Collect(fs.Args())
	if err != nil {
		fmt.Fprintln(env.stderr, err)
		return 1
	}
	maxHeap, err := parseSize(*heapSize)
	if err != nil {
		return usageErr(env, "wast", "--heap-size: %v", err)
	}
	opts := wast.Options{ValidateOnly: *validateOnly}
	if !*validateOnly {
		cfg := runtime.Config{GCStress: *gcStress, HeapMaxBytes: maxHeap}
		switch *engineName {
		case "interp":
		case "aot":
			// No fallback: what the compiler refuses counts as skipped,
			// so the counts say what native code passed.
			e := loader.New(nil)
			e.Options.Debug = *debug
			e.Options.DebugSlotsWork = *slotsWork
			e.Options.DebugOperandsWork = *operandsWork
			cfg.Engine = e
		default:
			fmt.Fprintf(env.stderr, "gcscope wast: --engine %q: want interp or aot\n", *engineName)
			return 2
		}
		opts.Exec = wastexec.New(cfg)
	}
	var results []*wast.Result
	var total wast.Totals
	status := 0
	for _, f := range files {
		r, err := wast.RunFile(f, opts)
		if err != nil {
			fmt.Fprintln(env.stderr, err)
			status = 1
			total.Failed++
			continue
		}
		results = append(results, r)
		total.Add(r)
		if !*quiet {
			var t wast.Totals
			t.Add(r)
			fmt.Fprintf(env.stdout, "%s: %s\n", f, t.Line())
			if *failures || *messages {
				wast.WriteFailures(env.stdout, r, *messages)
			}
		}
	}
	if len(files) > 1 {
		fmt.Fprintln(env.stdout)
		wast.WriteFolderSummary(env.stdout, results)
	}
	if total.MessageDiffs > 0 {
		fmt.Fprintf(env.stdout, "(%d expected failures had a message other than the script's; --messages lists them)\n", total.MessageDiffs)
	}
	fmt.Fprintln(env.stdout, total.Line())
	if total.Failed > 0 {
		status = 1
	}
	return status
}
