package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/gcscope/gcscope/engine/runtime"
	"github.com/gcscope/gcscope/engine/wasi"
	"github.com/gcscope/gcscope/engine/wasm"
)

func runCmd(env *cliEnv, args []string) int {
	fs := newFlags(env, "run", "FILE [ARGS...]",
		"Instantiate a module (.wasm, .wat, or an .aot file from 'gcscope compile') and call its\n"+
			"entry: the export\n"+
			"named by --invoke, else _start, else main; with none of those, instantiating it\n"+
			"(and running its start function) is the whole run. Arguments after the file are\n"+
			"the entry's parameters (integers in decimal or 0x hex, floats, or null); the results\n"+
			"are printed one per line. Modules run in the interpreter; --aot compiles them to\n"+
			"native code first (cached in the user cache directory), falling back to the\n"+
			"interpreter for what the AOT compiler does not support yet. WASI preview 1\n"+
			"programs get the file name and ARGS as arguments when the entry is _start, and see\n"+
			"the directories and variables given by --dir and --env; proc_exit(n) exits with n.",
		"gcscope run examples/fib.wat",
		"gcscope run --invoke fib examples/fib.wat 30",
		"gcscope run --gc-stats --heap-size 64MiB examples/binary_trees.wat",
		"gcscope run --gc-stress examples/i31_mix.wat",
		"gcscope run --aot examples/nbody.wat",
		"gcscope run --dir data::/data --env LANG=C prog.wasm input.txt",
		"gcscope compile examples/fib.wat && gcscope run examples/fib.aot")
	invoke := fs.String("invoke", "", "the exported function to call")
	heapSize := fs.String("heap-size", "", "maximum GC heap size, e.g. 64MiB (default 1GiB)")
	gcStress := fs.Bool("gc-stress", false, "collect garbage at every allocation (shakes out missing roots)")
	gcStats := fs.Bool("gc-stats", false, "print GC statistics to stderr when the run ends")
	aot := fs.Bool("aot", false, "compile to native code (through LLVM) and run that")
	aotDebug := fs.Bool("debug", false, "with --aot: run a debug build (a stop test at every instruction; see gcscope compile --debug)")
	var wasiCfg wasi.Config
	fs.Func("dir", "preopen a host directory for WASI as `HOST[::GUEST]` (GUEST defaults to HOST); repeatable", func(v string) error {
		host, guest, ok := strings.Cut(v, "::")
		if !ok {
			guest = host
		}
		wasiCfg.Preopens = append(wasiCfg.Preopens, wasi.Preopen{Host: host, Guest: guest})
		return nil
	})
	fs.Func("env", "set WASI environment variable `NAME=VALUE` (NAME alone: the host's value); repeatable", func(v string) error {
		if !strings.Contains(v, "=") {
			v += "=" + os.Getenv(v)
		}
		wasiCfg.Env = append(wasiCfg.Env, v)
		return nil
	})
	if !parseFlags(fs, args) {
		return exitForFlags(args)
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return 2
	}
	maxHeap, err := parseSize(*heapSize)
	if err != nil {
		return usageErr(env, "run", "--heap-size: %v", err)
	}
	path, progArgs := fs.Arg(0), fs.Args()[1:]
	if *aotDebug && !*aot {
		fmt.Fprintln(env.stderr, "gcscope run: --debug needs --aot")
		return 2
	}
	m, engine, err := moduleAndEngine(path, *aot, *aotDebug)
	if err != nil {
		fmt.Fprintln(env.stderr, err)
		return 1
	}
	store, err := runtime.NewStore(runtime.Config{
		Engine: engine, HeapMaxBytes: maxHeap, GCStress: *gcStress, Stdout: env.stdout,
	})
	if err != nil {
		fmt.Fprintf(env.stderr, "gcscope run: %v\n", err)
		return 1
	}
	defer store.Close()
	if *gcStats {
		store.Heap.GC.CountInlineObjects(true) // count every inline allocation too
		defer printGCStats(env.stderr, store)
	}
	return runModule(env, store, m, path, *invoke, progArgs, runOptions{wasi: wasiCfg})
}

// runOptions adjust runModule for the commands that share it.
type runOptions struct {
	// pinResults keeps reference results alive (for a heap snapshot
	// taken after the run).
	pinResults bool
	// failureNote is added to the message of a trap or other failure.
	failureNote string
	// wasi configures wasi_snapshot_preview1 (streams and arguments are
	// set by runModule).
	wasi wasi.Config
}

// runModule instantiates m and calls its entry, printing the results.
func runModule(env *cliEnv, store *runtime.Store, m *wasm.Module, path, invoke string, args []string, opts runOptions) int {
	if spectest, err := store.NewSpectest(); err == nil {
		store.Register("spectest", spectest)
	}
	threads, err := store.NewWasiThreads()
	if err != nil {
		fmt.Fprintf(env.stderr, "%s: %v\n", path, err)
		return 1
	}
	store.Register("wasi", threads.Instance)
	defer threads.Exit() // spawned threads end before the store closes
	w, err := registerWasi(env, store, m, path, opts.wasi)
	if err != nil {
		fmt.Fprintf(env.stderr, "%s: %v\n", path, err)
		return 1
	}
	if w != nil {
		defer w.Close()
	}
	call, status := pickEntry(env, m, path, invoke, args, w != nil)
	if status != 0 {
		return status
	}
	if call.wasiArgs != nil {
		w.SetArgs(call.wasiArgs)
	}
	inst, err := store.Instantiate(m, store)
	if code, ok := wasi.ExitCode(err); ok {
		return int(code) // proc_exit in the start function
	}
	if err != nil {
		fmt.Fprintf(env.stderr, "%s: %v\n", path, err)
		return 1
	}
	if call.name == "" {
		return 0
	}
	entry := call.name
	results, err := inst.ExportedFunc(entry).Call(call.vals) // pickEntry found it
	if terr := threads.Exit(); err == nil {
		err = terr // a spawned thread trapped
	}
	if code, ok := wasi.ExitCode(err); ok {
		return int(code)
	}
	if err != nil {
		var trap *runtime.Trap
		if errors.As(err, &trap) {
			fmt.Fprintf(env.stderr, "%s: trap in %s: %v%s\n", path, entry, trap, opts.failureNote)
		} else {
			fmt.Fprintf(env.stderr, "%s: %s: %v%s\n", path, entry, err, opts.failureNote)
		}
		return 1
	}
	for _, r := range results {
		if opts.pinResults && r.Type.IsRef() {
			store.Pin(runtime.Ref(r.Bits))
		}
		fmt.Fprintln(env.stdout, formatValue(store, r))
	}
	return 0
}

// registerWasi registers wasi_snapshot_preview1 if m imports from it
// (else it returns nil, so other modules' stores hold no WASI functions),
// with ENOSYS stubs for the functions it does not implement.
func registerWasi(env *cliEnv, store *runtime.Store, m *wasm.Module, path string, cfg wasi.Config) (*wasi.WASI, error) {
	if !slices.ContainsFunc(m.Imports, func(imp wasm.Import) bool { return imp.Module == wasi.ModuleName }) {
		return nil, nil
	}
	cfg.Stdin, cfg.Stdout, cfg.Stderr = os.Stdin, env.stdout, env.stderr
	if len(cfg.Args) == 0 {
		cfg.Args = []string{path}
	}
	w, err := wasi.New(store, cfg)
	if err != nil {
		return nil, err
	}
	if err := w.StubMissing(m); err != nil {
		w.Close()
		return nil, err
	}
	store.Register(wasi.ModuleName, w.Instance)
	return w, nil
}

func printGCStats(w io.Writer, store *runtime.Store) {
	st := store.Heap.Stats()
	fmt.Fprintf(w, "gc: %d collections, pause total %v max %v; allocated %d objects (%d bytes); freed %d objects (%d bytes); live %d objects (%d bytes) at the last collection\n",
		st.Collections, st.TotalPause.Round(time.Microsecond), st.MaxPause.Round(time.Microsecond),
		st.AllocatedObjects, st.AllocatedBytes, st.FreedObjects, st.FreedBytes, st.LiveObjects, st.LiveBytes)
}
