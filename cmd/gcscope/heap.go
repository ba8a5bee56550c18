package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/gcscope/gcscope/debugger"
	"github.com/gcscope/gcscope/engine/runtime"
	"github.com/gcscope/gcscope/heapviz/analysis"
	"github.com/gcscope/gcscope/heapviz/capture"
	"github.com/gcscope/gcscope/heapviz/export/chrome"
	"github.com/gcscope/gcscope/heapviz/export/dot"
	"github.com/gcscope/gcscope/heapviz/snapjson"
	"github.com/gcscope/gcscope/heapviz/snapshot"
	"github.com/gcscope/gcscope/tui"
)

// heapSubcommands are the subcommands of `gcscope heap`, in help order.
var heapSubcommands = []struct {
	name, summary string
	run           func(env *cliEnv, args []string) int
}{
	{"snapshot", "run a module and save a snapshot of its heap when the entry returns", heapSnapshotCmd},
	{"stats", "totals, a histogram by type and the largest retainers of a snapshot", heapStatsCmd},
	{"path", "a shortest path from a root to an object", heapPathCmd},
	{"dot", "draw an object's neighbourhood as a Graphviz graph", heapDotCmd},
	{"export", "convert a snapshot to Chrome DevTools' .heapsnapshot", heapExportCmd},
	{"diff", "what grew between two snapshots of one program", heapDiffCmd},
	{"view", "browse a snapshot full-screen: types, their objects, references, paths", heapViewCmd},
}

// heapCmd is `gcscope heap SUBCOMMAND ...`: heap snapshots taken from a
// run and the analyses of saved ones.
func heapCmd(env *cliEnv, args []string) int {
	if len(args) == 0 || args[0] == "help" || helpRequested(args[:1]) {
		w := env.stderr
		if len(args) > 0 {
			w = env.stdout
		}
		fmt.Fprint(w, "Usage: gcscope heap SUBCOMMAND [flags] ARGS...\n\n"+
			"Take heap snapshots of a program and analyse them. Snapshots are gcscope's JSON\n"+
			"(docs/heap-snapshot.md); objects are named by type and id, e.g. $node@0x1a8, and an\n"+
			"OBJECT argument is that id (0x1a8, 424, @0x1a8 or $node@0x1a8).\n\nSubcommands:\n")
		for _, c := range heapSubcommands {
			fmt.Fprintf(w, "  %-9s %s\n", c.name, c.summary)
		}
		fmt.Fprint(w, "\nExamples:\n"+
			"  gcscope heap snapshot -o trees.json examples/binary_trees.wat\n"+
			"  gcscope heap stats --sort retained --top 5 trees.json\n"+
			"  gcscope heap path trees.json 0x1a8\n"+
			"  gcscope heap dot trees.json 0x1a8 --hops 2 -o node.dot\n"+
			"  gcscope heap export --format chrome trees.json -o trees.heapsnapshot\n"+
			"  gcscope heap diff small.json big.json\n"+
			"  gcscope heap view trees.json\n"+
			"\nRun 'gcscope heap SUBCOMMAND --help' for a subcommand's flags.\n")
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	for _, c := range heapSubcommands {
		if c.name == args[0] {
			return c.run(env, args[1:])
		}
	}
	fmt.Fprintf(env.stderr, "gcscope heap: unknown subcommand %q (want one of snapshot, stats, path, dot, export, diff, view)\n", args[0])
	return 2
}

// parseInterleaved parses flags that may come before, between or after
// the positional arguments (`heap dot FILE OBJECT -o out.dot`) and checks
// their number. It returns the positional arguments, or the exit status.
func parseInterleaved(env *cliEnv, fs *flag.FlagSet, args []string, minPos, maxPos int) ([]string, int, bool) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, 0, false
			}
			return nil, 2, false
		}
		if fs.NArg() == 0 {
			break
		}
		if used := len(args) - fs.NArg(); used > 0 && args[used-1] == "--" {
			pos = append(pos, fs.Args()...) // after --, no more flags
			break
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
	if len(pos) < minPos || len(pos) > maxPos {
		fmt.Fprintf(env.stderr, "gcscope %s: %d arguments given, want %s\n\n", fs.Name(), len(pos), want(minPos, maxPos))
		fs.Usage()
		return nil, 2, false
	}
	return pos, 0, true
}

func want(lo, hi int) string {
	if lo == hi {
		return strconv.Itoa(lo)
	}
	return fmt.Sprintf("%d to %d", lo, hi)
}

// usageErr reports a bad argument of subcommand name and returns 2.
func usageErr(env *cliEnv, name, format string, a ...any) int {
	fmt.Fprintf(env.stderr, "gcscope %s: %s\n", name, fmt.Sprintf(format, a...))
	return 2
}

func heapSnapshotCmd(env *cliEnv, args []string) int {
	const name = "heap snapshot"
	fs := newFlags(env, name, "TARGET [ARGS...]",
		"Run a module (.wasm or .wat) as `gcscope run` does, in the interpreter or natively (--aot,\n"+
			"or an .aot file), and when its entry returns, collect garbage and save a snapshot of the\n"+
			"heap: every live object, the references between them and the roots holding them. The\n"+
			"entry's reference results are pinned first, so they count as roots (category handle).\n"+
			"Results are printed as by run. With --at PLACE it runs under the debugger instead and\n"+
			"takes the snapshot the --hit'th time the program reaches PLACE (the debugger's break\n"+
			"syntax: $fib, fib, $fib+0x12, a WAT line 14 or fib.wat:14, *0x4c), the stopped frames of\n"+
			"every thread as roots; natively that runs a debug build (an .aot target must be one).",
		"gcscope heap snapshot -o trees.json examples/binary_trees.wat",
		"gcscope heap snapshot --keep-garbage --invoke run -o garbage.json examples/binary_trees.wat 6",
		"gcscope heap snapshot --format chrome -o trees.heapsnapshot examples/binary_trees.wat",
		"gcscope heap snapshot --at '$check' --hit 10 --invoke run -o check.json examples/binary_trees.wat 4",
		"gcscope heap snapshot --aot --invoke run -o trees.json examples/binary_trees.wat 6")
	invoke := fs.String("invoke", "", "the exported function to call (default _start, else main)")
	at := fs.String("at", "exit", "when to take the snapshot: exit (when the entry returns), or a breakpoint place")
	hit := fs.Int("hit", 1, "with --at PLACE: the hit of PLACE to stop at (1 is the first)")
	out := fs.String("o", "", "the file to write, - for standard output (default heap.json, or heap.heapsnapshot for chrome)")
	format := fs.String("format", "json", "json (gcscope's, for the other heap subcommands) or chrome (.heapsnapshot)")
	heapSize := fs.String("heap-size", "", "maximum GC heap size, e.g. 64MiB (default 1GiB)")
	keep := fs.Bool("keep-garbage", false, "skip the collection before the snapshot, keeping dead objects")
	i31 := fs.Bool("i31", false, "show i31 values held by objects and roots as nodes")
	aot := fs.Bool("aot", false, "run native code compiled through LLVM (cached), a debug build with --at")
	source := fs.String("source", "", "with --at and an .aot target: the module it was compiled from (default: FILE.wasm or FILE.wat beside it)")
	if !parseFlags(fs, args) {
		return exitForFlags(args)
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return 2
	}
	if *hit < 1 {
		return usageErr(env, name, "--hit %d: want 1 or more", *hit)
	}
	if *at == "exit" && *hit != 1 {
		return usageErr(env, name, "--hit needs --at PLACE (exit happens once)")
	}
	if *format != "json" && *format != "chrome" {
		return usageErr(env, name, "--format %q: want json or chrome", *format)
	}
	maxHeap, err := parseSize(*heapSize)
	if err != nil {
		return usageErr(env, name, "--heap-size: %v", err)
	}
	if *out == "" {
		*out = map[string]string{"json": "heap.json", "chrome": "heap.heapsnapshot"}[*format]
	}
	path := fs.Arg(0)
	results := env.stdout
	if *out == "-" {
		results = env.stderr
	}
	var snap *snapshot.Snapshot
	var st snapshot.CaptureStats
	status := 0
	if *at != "exit" {
		opts := debugger.Options{Path: path, Invoke: *invoke, Args: fs.Args()[1:], HeapMaxBytes: maxHeap, AOT: *aot, SourcePath: *source}
		if *aot {
			opts.AOTCacheDir = aotCacheDir()
		}
		if snap, st, status, err = snapshotAt(results, opts, *at, *hit, *keep, *i31); err != nil {
			fmt.Fprintf(env.stderr, "gcscope %s: %v\n", name, err)
			return status
		}
	} else if snap, st, status = snapshotAtExit(env, results, name, path, *aot, *invoke, fs.Args()[1:], maxHeap, *keep, *i31); snap == nil {
		return status
	}
	if st.Dangling > 0 {
		fmt.Fprintf(env.stderr, "gcscope %s: warning: %d references to no object left out (a runtime bug)\n", name, st.Dangling)
	}
	write := snapjson.Write
	if *format == "chrome" {
		write = chrome.Write
	}
	if err := writeOutput(env, *out, func(w io.Writer) error { return write(w, snap) }); err != nil {
		fmt.Fprintf(env.stderr, "gcscope %s: %v\n", name, err)
		return 1
	}
	var bytes uint64
	for n := snapshot.FirstObject; n < snap.NumNodes(); n++ {
		bytes += uint64(snap.Size(n))
	}
	if *out != "-" {
		fmt.Fprintf(env.stderr, "heap snapshot: %d objects, %d bytes, %d roots written to %s\n", snap.NumObjects(), bytes, len(snap.Roots()), *out)
	}
	return status
}

// writeOutput writes to the file path, or to standard output for "-".
func writeOutput(env *cliEnv, path string, write func(io.Writer) error) error {
	if path == "-" {
		return write(env.stdout)
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := write(f); err != nil {
		f.Close()
		return fmt.Errorf("%s: %w", path, err)
	}
	return f.Close()
}

// readSnapshot loads a saved snapshot; errors name the file and the place.
func readSnapshot(path string) (*snapshot.Snapshot, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	s, err := snapjson.Read(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return s, nil
}

// parseObject reads an OBJECT argument ("0x1a8", "424", "@0x1a8",
// "$node@0x1a8") and finds its node.
func parseObject(s *snapshot.Snapshot, arg string) (int, error) {
	v := arg[strings.LastIndex(arg, "@")+1:]
	id, err := strconv.ParseUint(v, 0, 32)
	if err != nil {
		return 0, fmt.Errorf("%q is not an object id (0x1a8, 424 or $node@0x1a8)", arg)
	}
	n, ok := s.Find(uint32(id))
	if !ok {
		return 0, fmt.Errorf("no object 0x%x in the snapshot", id)
	}
	return n, nil
}

// loadObject reads a snapshot and finds an object in it, reporting errors:
// 1 for a file that cannot be read, 2 for a bad object.
func loadObject(env *cliEnv, name, path, arg string) (*snapshot.Snapshot, int, int) {
	s, err := readSnapshot(path)
	if err != nil {
		fmt.Fprintf(env.stderr, "gcscope %s: %v\n", name, err)
		return nil, 0, 1
	}
	n, err := parseObject(s, arg)
	if err != nil {
		return nil, 0, usageErr(env, name, "%s: %v", path, err)
	}
	return s, n, 0
}

// pathText writes a shortest path from a root to node n as
// "global $keep → left → [3]".
func pathText(paths *analysis.PathTree, n int) string {
	p, ok := paths.PathTo(n)
	if !ok {
		return "(unreachable)"
	}
	parts := make([]string, len(p.Steps))
	for i, st := range p.Steps {
		parts[i] = st.Label
	}
	return strings.Join(parts, " → ")
}

func heapPathCmd(env *cliEnv, args []string) int {
	const name = "heap path"
	fs := newFlags(env, name, "FILE OBJECT",
		"Print a shortest path from a root to an object of a saved snapshot: the root's place,\n"+
			"then each reference followed (field name or [element]). Frame roots are preferred.",
		"gcscope heap path trees.json 0x1a8", "gcscope heap path trees.json '$node@0x1a8'")
	pos, code, ok := parseInterleaved(env, fs, args, 2, 2)
	if !ok {
		return code
	}
	s, n, code := loadObject(env, name, pos[0], pos[1])
	if code != 0 {
		return code
	}
	p, ok := analysis.ShortestPaths(s).PathTo(n)
	if !ok {
		fmt.Fprintf(env.stdout, "%s is not reachable from any root (garbage the next collection frees)\n", s.NodeName(n))
		return 0
	}
	refs := "references"
	if p.Len() == 1 {
		refs = "reference"
	}
	fmt.Fprintf(env.stdout, "%s is %d %s from a %s root:\n", s.NodeName(n), p.Len(), refs, p.Category)
	for _, st := range p.Steps {
		fmt.Fprintf(env.stdout, "  %-40s %s\n", st.Label, s.NodeName(st.To))
	}
	return 0
}

func heapDotCmd(env *cliEnv, args []string) int {
	const name = "heap dot"
	fs := newFlags(env, name, "FILE OBJECT",
		"Draw the objects within --hops references of an object (either direction) as a Graphviz\n"+
			"DOT graph, with retained sizes; render it with `dot -Tsvg`.",
		"gcscope heap dot trees.json 0x1a8 -o node.dot", "gcscope heap dot --hops 3 --max 100 trees.json 0x1a8 -o node.dot")
	hops := fs.Int("hops", 1, "how many references away to go")
	maxNodes := fs.Int("max", 60, "the most objects to draw, nearest first")
	out := fs.String("o", "-", "the file to write, - for standard output")
	pos, code, ok := parseInterleaved(env, fs, args, 2, 2)
	if !ok {
		return code
	}
	if *hops < 1 || *maxNodes < 1 {
		return usageErr(env, name, "--hops and --max must be at least 1")
	}
	s, n, code := loadObject(env, name, pos[0], pos[1])
	if code != 0 {
		return code
	}
	opts := dot.Options{Hops: *hops, MaxNodes: *maxNodes, Dom: analysis.Dominators(s)}
	if err := writeOutput(env, *out, func(w io.Writer) error { return dot.Write(w, s, n, opts) }); err != nil {
		fmt.Fprintf(env.stderr, "gcscope %s: %v\n", name, err)
		return 1
	}
	return 0
}

func heapExportCmd(env *cliEnv, args []string) int {
	const name = "heap export"
	fs := newFlags(env, name, "FILE",
		"Convert a saved snapshot to Chrome DevTools' .heapsnapshot format: open it with the Load\n"+
			"button of the Memory tab.",
		"gcscope heap export --format chrome trees.json -o trees.heapsnapshot")
	format := fs.String("format", "chrome", "the format to write: chrome")
	out := fs.String("o", "-", "the file to write, - for standard output")
	pos, code, ok := parseInterleaved(env, fs, args, 1, 1)
	if !ok {
		return code
	}
	if *format != "chrome" {
		return usageErr(env, name, "--format %q: want chrome", *format)
	}
	s, err := readSnapshot(pos[0])
	if err != nil {
		fmt.Fprintf(env.stderr, "gcscope %s: %v\n", name, err)
		return 1
	}
	if err := writeOutput(env, *out, func(w io.Writer) error { return chrome.Write(w, s) }); err != nil {
		fmt.Fprintf(env.stderr, "gcscope %s: %v\n", name, err)
		return 1
	}
	return 0
}

// heapStatsSorts orders histogram rows for --sort; ties go by type name.
var heapStatsSorts = map[string]func(a, b analysis.TypeStats) int{
	"retained": func(a, b analysis.TypeStats) int { return cmpDesc(a.Retained, b.Retained) },
	"shallow":  func(a, b analysis.TypeStats) int { return cmpDesc(a.Shallow, b.Shallow) },
	"count":    func(a, b analysis.TypeStats) int { return cmpDesc(a.Count, b.Count) },
	"name":     func(a, b analysis.TypeStats) int { return 0 },
}

func cmpDesc[T int | uint64](a, b T) int {
	switch {
	case a > b:
		return -1
	case a < b:
		return 1
	}
	return 0
}

func heapStatsCmd(env *cliEnv, args []string) int {
	const name = "heap stats"
	fs := newFlags(env, name, "FILE",
		"Summarize a saved snapshot: totals, roots by category, a histogram by type (objects,\n"+
			"shallow bytes, and retained bytes: what freeing every object of the type would free),\n"+
			"and the objects retaining the most, each with a shortest path from a root.",
		"gcscope heap stats trees.json", "gcscope heap stats --sort count --types 10 --top 3 trees.json")
	sortBy := fs.String("sort", "retained", "histogram order: retained, shallow, count or name")
	top := fs.Int("top", 10, "how many of the largest retainers to list")
	types := fs.Int("types", 0, "show only the first N types of the histogram (0: all)")
	pos, code, ok := parseInterleaved(env, fs, args, 1, 1)
	if !ok {
		return code
	}
	order, known := heapStatsSorts[*sortBy]
	if !known {
		return usageErr(env, name, "--sort %q: want retained, shallow, count or name", *sortBy)
	}
	if *top < 0 || *types < 0 {
		return usageErr(env, name, "--top and --types must not be negative")
	}
	s, err := readSnapshot(pos[0])
	if err != nil {
		fmt.Fprintf(env.stderr, "gcscope %s: %v\n", name, err)
		return 1
	}
	d := analysis.Dominators(s)
	hist := analysis.Histogram(s, d)
	slices.SortStableFunc(hist, func(a, b analysis.TypeStats) int {
		if c := order(a, b); c != 0 {
			return c
		}
		return strings.Compare(s.Types()[a.Type].DisplayName(), s.Types()[b.Type].DisplayName())
	})
	w := env.stdout
	var bytes uint64
	for n := snapshot.FirstObject; n < s.NumNodes(); n++ {
		bytes += uint64(s.Size(n))
	}
	live := d.Retained(snapshot.SuperRoot)
	reach := d.NumReachable() - snapshot.FirstObject
	fmt.Fprintf(w, "%d objects, %d bytes, %d types, %d references, %d roots\n",
		s.NumObjects(), bytes, len(hist), s.NumEdges()-len(s.Roots())-int(snapshot.NumRootCategories), len(s.Roots()))
	fmt.Fprintf(w, "reachable from the roots: %d objects, %d bytes", reach, live)
	if reach < s.NumObjects() {
		fmt.Fprintf(w, " (%d unreachable objects, %d bytes: garbage)", s.NumObjects()-reach, bytes-live)
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "roots:%s\n", rootCounts(s))
	fmt.Fprintf(w, "\n%8s %10s %10s  %s\n", "count", "shallow", "retained", "type")
	for i, t := range hist {
		if *types > 0 && i == *types {
			fmt.Fprintf(w, "%8s %10s %10s  (%d more types)\n", "...", "", "", len(hist)-i)
			break
		}
		fmt.Fprintf(w, "%8d %10d %10d  %s\n", t.Count, t.Shallow, t.Retained, s.Types()[t.Type].DisplayName())
	}
	if largest := analysis.Largest(d, *top); len(largest) > 0 {
		paths := analysis.ShortestPaths(s)
		fmt.Fprintf(w, "\nlargest retainers:\n%10s %8s  %-24s %s\n", "retained", "shallow", "object", "path from a root")
		for _, n := range largest {
			fmt.Fprintf(w, "%10d %8d  %-24s %s\n", d.Retained(n), s.Size(n), s.NodeName(n), pathText(paths, n))
		}
	}
	return 0
}

// rootCounts lists how many roots each category has: " frame 3, global 1".
func rootCounts(s *snapshot.Snapshot) string {
	var counts [snapshot.NumRootCategories]int
	for _, r := range s.Roots() {
		if r.Category < snapshot.NumRootCategories {
			counts[r.Category]++
		}
	}
	var parts []string
	for c, k := range counts {
		if k > 0 {
			parts = append(parts, fmt.Sprintf("%s %d", snapshot.RootCategory(c), k))
		}
	}
	if len(parts) == 0 {
		return " none"
	}
	return " " + strings.Join(parts, ", ")
}

func heapDiffCmd(env *cliEnv, args []string) int {
	const name = "heap diff"
	fs := newFlags(env, name, "A B",
		"Compare two snapshots of one program (A taken before B, or a smaller run before a bigger\n"+
			"one): per type, objects and bytes in each and the objects added and removed, largest\n"+
			"growth first; then the new objects of B retaining the most.",
		"gcscope heap diff before.json after.json", "gcscope heap diff --top 20 small.json big.json")
	top := fs.Int("top", 10, "how many new objects to list")
	pos, code, ok := parseInterleaved(env, fs, args, 2, 2)
	if !ok {
		return code
	}
	if *top < 0 {
		return usageErr(env, name, "--top must not be negative")
	}
	var snaps [2]*snapshot.Snapshot
	for i, p := range pos {
		s, err := readSnapshot(p)
		if err != nil {
			fmt.Fprintf(env.stderr, "gcscope %s: %v\n", name, err)
			return 1
		}
		snaps[i] = s
	}
	a, b := snaps[0], snaps[1]
	diff := analysis.Diff(a, b)
	w := env.stdout
	var countA, countB int
	var bytesA, bytesB uint64
	for _, t := range diff.Types {
		countA, countB, bytesA, bytesB = countA+t.CountA, countB+t.CountB, bytesA+t.BytesA, bytesB+t.BytesB
	}
	fmt.Fprintf(w, "A: %d objects, %d bytes; B: %d objects, %d bytes; %+d objects, %+d bytes\n",
		countA, bytesA, countB, bytesB, countB-countA, int64(bytesB)-int64(bytesA))
	fmt.Fprintf(w, "%d objects added (only in B), %d removed (only in A)\n\n", len(diff.Added), len(diff.Removed))
	fmt.Fprintf(w, "%8s %8s %8s %10s %10s %10s %8s %8s  %s\n", "count A", "count B", "delta", "bytes A", "bytes B", "delta", "added", "removed", "type")
	for _, t := range diff.Types {
		fmt.Fprintf(w, "%8d %8d %+8d %10d %10d %+10d %8d %8d  %s\n", t.CountA, t.CountB, t.CountDelta(),
			t.BytesA, t.BytesB, t.BytesDelta(), t.Added, t.Removed, t.Type.DisplayName())
	}
	if *top == 0 || len(diff.Added) == 0 {
		return 0
	}
	d := analysis.Dominators(b)
	added := slices.Clone(diff.Added)
	slices.SortStableFunc(added, func(x, y int) int { return cmpDesc(d.Retained(x), d.Retained(y)) })
	paths := analysis.ShortestPaths(b)
	fmt.Fprintf(w, "\nnew objects retaining the most (of %d):\n%10s %8s  %-24s %s\n", len(added), "retained", "shallow", "object", "path from a root")
	for _, n := range added[:min(*top, len(added))] {
		fmt.Fprintf(w, "%10d %8d  %-24s %s\n", d.Retained(n), b.Size(n), b.NodeName(n), pathText(paths, n))
	}
	return 0
}

// heapViewCmd is `gcscope heap view FILE`: the heap browser of package tui
// over a saved snapshot. The file is read first, so a bad one exits 1
// naming the place even without a terminal; no terminal exits 2.
func heapViewCmd(env *cliEnv, args []string) int {
	const name = "heap view"
	fs := newFlags(env, name, "FILE",
		"Browse a saved snapshot full-screen: the types with their counts, shallow and retained\n"+
			"bytes (s sorts, / finds a type by name); Enter lists a type's objects, largest retained\n"+
			"first; an object shows its references (Enter follows one, Backspace goes back), its\n"+
			"retainers and a shortest path from a root. Tab moves between the panes, q quits.\n"+
			"It needs a terminal; stats, path and dot print the same facts as text.",
		"gcscope heap view trees.json",
		"gcscope heap snapshot -o trees.json examples/binary_trees.wat && gcscope heap view trees.json")
	pos, code, ok := parseInterleaved(env, fs, args, 1, 1)
	if !ok {
		return code
	}
	s, err := readSnapshot(pos[0])
	if err != nil {
		fmt.Fprintf(env.stderr, "gcscope %s: %v\n", name, err)
		return 1
	}
	if !useTUI(env) {
		return usageErr(env, name, "the heap browser comes with the TUI and needs a terminal on stdin and stdout; use stats, path and dot otherwise")
	}
	if err := tui.RunHeapView(s, pos[0], os.Stdin, os.Stdout); err != nil {
		fmt.Fprintf(env.stderr, "gcscope %s: %v\n", name, err)
		return 1
	}
	return 0
}

// snapshotAtExit runs the target as run does (natively with aot, or when
// it is an .aot file) and captures the heap when its entry returns (the
// reference results pinned). A nil snapshot comes with the exit status to
// return.
func snapshotAtExit(env *cliEnv, results io.Writer, name, path string, aot bool, invoke string, args []string, maxHeap int64, keep, i31 bool) (*snapshot.Snapshot, snapshot.CaptureStats, int) {
	m, engine, err := moduleAndEngine(path, aot, false)
	if err != nil {
		fmt.Fprintln(env.stderr, err)
		return nil, snapshot.CaptureStats{}, 1
	}
	store, err := runtime.NewStore(runtime.Config{Engine: engine, HeapMaxBytes: maxHeap, Stdout: results})
	if err != nil {
		fmt.Fprintf(env.stderr, "gcscope %s: %v\n", name, err)
		return nil, snapshot.CaptureStats{}, 1
	}
	defer store.Close()
	status := runModule(&cliEnv{stdout: results, stderr: env.stderr}, store, m, path, invoke, args, runOptions{pinResults: true, failureNote: " (the snapshot shows the heap after it)"})
	if status == 2 {
		return nil, snapshot.CaptureStats{}, 2
	}
	snap, st, err := capture.Capture(store, capture.Options{KeepGarbage: keep, BoxI31: i31})
	if err != nil {
		fmt.Fprintf(env.stderr, "gcscope %s: %s: %v\n", name, path, err)
		return nil, snapshot.CaptureStats{}, 1
	}
	return snap, st, status
}
