package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gcscope/gcscope/heapviz/snapjson"
	"github.com/gcscope/gcscope/heapviz/snapshot"
)

// The -update flag rewrites the golden files under testdata/heap; it is
// registered here unless another test file of the package already did.
func init() {
	if flag.Lookup("update") == nil {
		flag.Bool("update", false, "rewrite golden files under testdata/ with the current output")
	}
}

// checkGolden compares got with testdata/heap/name, or writes it there
// with -update.
func checkGolden(t *testing.T, name string, got string) {
	t.Helper()
	path := filepath.Join("testdata", "heap", name)
	if f := flag.Lookup("update"); f != nil && f.Value.String() == "true" {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run the test with -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("output differs from %s (run with -update to accept it):\n--- got ---\n%s\n--- want ---\n%s", path, got, want)
	}
}

// runHeap runs the heap subcommand directly (the lead wires it into
// commands()); a panic fails the test with the arguments.
func runHeap(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	defer func() {
		if p := recover(); p != nil {
			t.Fatalf("heap %q panicked: %v", args, p)
		}
	}()
	code = heapCmd(&cliEnv{stdout: &out, stderr: &errb}, args)
	return code, out.String(), errb.String()
}

// growSnapshots runs testdata/heap/grow.wat at sizes 3 and 6 and saves
// both snapshots, returning their paths.
func growSnapshots(t *testing.T) (small, big string) {
	t.Helper()
	dir := t.TempDir()
	wat := filepath.Join("testdata", "heap", "grow.wat")
	for _, c := range []struct{ n, path string }{{"3", "small.json"}, {"6", "big.json"}} {
		path := filepath.Join(dir, c.path)
		code, out, errOut := runHeap(t, "snapshot", "--invoke", "grow", "-o", path, wat, c.n)
		if code != 0 || !strings.Contains(out, "struct") || !strings.Contains(errOut, "written to") {
			t.Fatalf("snapshot grow %s: exit %d, stdout %q, stderr %q", c.n, code, out, errOut)
		}
	}
	return filepath.Join(dir, "small.json"), filepath.Join(dir, "big.json")
}

func TestHeapStatsAndDiffGolden(t *testing.T) {
	small, big := growSnapshots(t)
	code, out, errOut := runHeap(t, "stats", big)
	if code != 0 {
		t.Fatalf("stats: exit %d: %s", code, errOut)
	}
	checkGolden(t, "stats.golden", out)
	code, out, errOut = runHeap(t, "stats", "--sort", "count", "--types", "2", big, "--top", "2")
	if code != 0 {
		t.Fatalf("stats --sort count: exit %d: %s", code, errOut)
	}
	checkGolden(t, "stats-count.golden", out)
	if code, out2, _ := runHeap(t, "stats", "--sort", "count", "--types", "2", "--top", "2", "--", big); code != 0 || out2 != out {
		t.Errorf("stats with flags first and --: exit %d, output differs", code)
	}
	code, out, errOut = runHeap(t, "diff", small, big)
	if code != 0 {
		t.Fatalf("diff: exit %d: %s", code, errOut)
	}
	checkGolden(t, "diff.golden", out)
}

// objectWhere returns the id (as $type@0x...) of the first object of a
// saved snapshot whose type is name and array length n.
func objectWhere(t *testing.T, path, name string, n uint32) string {
	t.Helper()
	s, err := readSnapshot(path)
	if err != nil {
		t.Fatal(err)
	}
	for i := snapshot.FirstObject; i < s.NumNodes(); i++ {
		if s.Type(i).DisplayName() == name && s.Len(i) == n {
			return s.NodeName(i)
		}
	}
	t.Fatalf("%s has no %s of length %d", path, name, n)
	return ""
}

func TestHeapPathDotExport(t *testing.T) {
	_, big := growSnapshots(t)
	// Cell 5, the last consed, is first in $list; its array has 40 bytes.
	obj := objectWhere(t, big, "$bytes", 40)
	code, out, errOut := runHeap(t, "path", big, obj)
	if code != 0 || !strings.Contains(out, obj+" is 1 reference from a global root") ||
		!strings.Contains(out, "global grow.$list") || !strings.Contains(out, "data") {
		t.Errorf("path: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	id := obj[strings.LastIndex(obj, "@")+1:]
	dotPath := filepath.Join(t.TempDir(), "x.dot")
	if code, _, errOut := runHeap(t, "dot", big, id, "--hops", "2", "-o", dotPath); code != 0 {
		t.Fatalf("dot: exit %d: %s", code, errOut)
	}
	if data, err := os.ReadFile(dotPath); err != nil || !bytes.HasPrefix(data, []byte("digraph heap {")) ||
		!bytes.Contains(data, []byte("neighbourhood of "+obj)) || !bytes.Contains(data, []byte(`label="data"`)) {
		t.Errorf("dot output: %v\n%s", err, data)
	}
	code, out, errOut = runHeap(t, "export", "--format", "chrome", big)
	var v struct {
		Snapshot struct {
			NodeCount int `json:"node_count"`
		} `json:"snapshot"`
	}
	if err := json.Unmarshal([]byte(out), &v); code != 0 || err != nil || v.Snapshot.NodeCount < 21 {
		t.Errorf("export: exit %d, %v, %d nodes, stderr %q", code, err, v.Snapshot.NodeCount, errOut)
	}
}

// TestHeapSnapshotExample snapshots binary_trees at exit: main's trees
// are all dead then, so only the functions' funcrefs are left.
func TestHeapSnapshotExample(t *testing.T) {
	dir := t.TempDir()
	for _, format := range []string{"json", "chrome"} {
		out := filepath.Join(dir, "trees."+format)
		code, stdout, errOut := runHeap(t, "snapshot", "--at", "exit", "--format", format, "-o", out,
			filepath.Join("..", "..", "examples", "binary_trees.wat"))
		if code != 0 || strings.TrimSpace(stdout) != "135854" {
			t.Fatalf("snapshot --format %s: exit %d, stdout %q, stderr %q", format, code, stdout, errOut)
		}
	}
	code, stdout, errOut := runHeap(t, "stats", filepath.Join(dir, "trees.json"))
	if code != 0 || strings.Contains(stdout, "  $node\n") || !strings.Contains(stdout, "funcref [i32] -> [(ref $node)]") {
		t.Errorf("stats: exit %d, stdout %q, stderr %q", code, stdout, errOut)
	}
}

func TestHeapHelp(t *testing.T) {
	if code, out, _ := runHeap(t, "--help"); code != 0 || !strings.Contains(out, "Usage: gcscope heap") || !strings.Contains(out, "Examples:") {
		t.Errorf("heap --help: exit %d, %q", code, out)
	}
	for _, c := range heapSubcommands {
		cases := [][]string{{c.name, "--help"}}
		if c.name != "snapshot" { // after its TARGET come the program's arguments
			cases = append(cases, []string{c.name, "x.json", "--help"})
		}
		for _, args := range cases {
			code, out, errOut := runHeap(t, args...)
			if code != 0 || !strings.Contains(out+errOut, "Usage: gcscope heap "+c.name) || !strings.Contains(out+errOut, "Examples:") {
				t.Errorf("heap %q: exit %d, %q", args, code, out+errOut)
			}
		}
	}
}

// TestHeapBadArguments: every mistake exits 2 with a message naming it.
func TestHeapBadArguments(t *testing.T) {
	small, big := growSnapshots(t)
	wat := filepath.Join("testdata", "heap", "grow.wat")
	for _, c := range []struct {
		args []string
		msg  string
	}{
		{nil, "Usage: gcscope heap"},
		{[]string{"view", big}, "comes with the TUI"},
		{[]string{"frob"}, "unknown subcommand"},
		{[]string{"snapshot"}, "Usage: gcscope heap snapshot"},
		{[]string{"snapshot", "--bogus", wat}, "bogus"},
		{[]string{"snapshot", "--at", "$nosuch", "--invoke", "grow", wat, "3"}, "no function"},
		{[]string{"snapshot", "--at", "grow.wat:999", "--invoke", "grow", wat, "3"}, "--at grow.wat:999"},
		{[]string{"snapshot", "--hit", "2", wat}, "--hit needs --at"},
		{[]string{"snapshot", "--at", "grow", "--hit", "0", wat}, "--hit 0"},
		{[]string{"snapshot", "--format", "xml", wat}, "--format"},
		{[]string{"snapshot", "--heap-size", "lots", wat}, "heap-size"},
		{[]string{"snapshot", "--invoke", "nosuch", wat}, "no exported function"},
		{[]string{"snapshot", "--invoke", "grow", wat}, "takes 1 arguments"},
		{[]string{"snapshot", "--invoke", "grow", wat, "many"}, "not an i32"},
		{[]string{"stats"}, "0 arguments given"},
		{[]string{"stats", small, big}, "2 arguments given"},
		{[]string{"stats", "--sort", "size", big}, "--sort"},
		{[]string{"stats", big, "--top", "-1"}, "negative"},
		{[]string{"path", big}, "1 arguments given"},
		{[]string{"path", big, "node"}, "not an object id"},
		{[]string{"path", big, "0x4"}, "no object 0x4"},
		{[]string{"path", big, "0x100000000"}, "not an object id"},
		{[]string{"dot", big, "0x4", "--hops", "0"}, "--hops"},
		{[]string{"dot", big}, "1 arguments given"},
		{[]string{"export", "--format", "dot", big}, "--format"},
		{[]string{"export"}, "0 arguments given"},
		{[]string{"diff", small}, "1 arguments given"},
		{[]string{"diff", "--top", "-2", small, big}, "negative"},
	} {
		code, _, errOut := runHeap(t, c.args...)
		if code != 2 || !strings.Contains(errOut, c.msg) {
			t.Errorf("heap %q: exit %d (want 2), stderr %q (want %q)", c.args, code, errOut, c.msg)
		}
	}
}

// TestHeapBadFiles: a missing or damaged snapshot exits 1 naming the file
// and, for a damaged one, the place.
func TestHeapBadFiles(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.json")
	if err := os.WriteFile(bad, []byte(`{"format":"gcscope-heap-snapshot","version":1,"nodes":[8,0,x]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(dir, "missing.json")
	for _, args := range [][]string{{"stats", missing}, {"stats", bad}, {"path", bad, "8"}, {"dot", missing, "8"},
		{"export", bad}, {"diff", bad, missing}, {"snapshot", filepath.Join(dir, "missing.wat")}} {
		code, _, errOut := runHeap(t, args...)
		if code != 1 || !strings.Contains(errOut, dir) {
			t.Errorf("heap %q: exit %d (want 1), stderr %q", args, code, errOut)
		}
		if strings.Contains(args[1], "bad") && !strings.Contains(errOut, "byte offset") {
			t.Errorf("heap %q: the error does not say where: %q", args, errOut)
		}
	}
}

// TestHeapSnapshotToStdoutAndAfterTrap: with -o - the snapshot goes to
// stdout and the results to stderr; a program that traps still gets its
// snapshot (exit 1), showing what it left in its globals.
func TestHeapSnapshotToStdoutAndAfterTrap(t *testing.T) {
	code, out, errOut := runHeap(t, "snapshot", "--invoke", "grow", "-o", "-", filepath.Join("testdata", "heap", "grow.wat"), "2")
	if code != 0 || !strings.Contains(errOut, "struct") {
		t.Fatalf("snapshot -o -: exit %d, stderr %q", code, errOut)
	}
	if s, err := snapjson.Read(strings.NewReader(out)); err != nil || len(s.Roots()) == 0 {
		t.Errorf("stdout is no snapshot: %v", err)
	}
	dir := t.TempDir()
	wat := filepath.Join(dir, "trap.wat")
	src := `(module (type $t (struct (field i32)))
	  (global $g (mut (ref null $t)) (ref.null $t))
	  (func (export "main")
	    (global.set $g (struct.new $t (i32.const 1)))
	    (unreachable)))`
	if err := os.WriteFile(wat, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "trap.json")
	code, _, errOut = runHeap(t, "snapshot", "-o", path, wat)
	if code != 1 || !strings.Contains(errOut, "unreachable") {
		t.Fatalf("snapshot of a trapping program: exit %d, stderr %q", code, errOut)
	}
	code, out, errOut = runHeap(t, "stats", path)
	if code != 0 || !strings.Contains(out, "  $t\n") || !strings.Contains(out, "global $g") {
		t.Errorf("stats after the trap: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
}

// TestHeapSnapshotAtPlace: --at takes the debugger's places, and --hit
// the hit to stop at. grow.wat's line 20 runs once per cell, after the
// cell is on the list, so the snapshot at its k-th hit holds k cells
// (the garbage arrays are collected); at the function's entry, none (its
// first instruction starts the loop, so its next hits are rounds).
func TestHeapSnapshotAtPlace(t *testing.T) {
	dir := t.TempDir()
	wat := filepath.Join("testdata", "heap", "grow.wat")
	cells := func(path string) string {
		t.Helper()
		code, out, errOut := runHeap(t, "stats", path)
		if code != 0 {
			t.Fatalf("stats %s: exit %d: %s", path, code, errOut)
		}
		for _, line := range strings.Split(out, "\n") {
			if f := strings.Fields(line); len(f) == 4 && f[3] == "$cell" {
				return f[0]
			}
		}
		return "0"
	}
	for _, c := range []struct {
		at, hit, want string
	}{
		{"grow.wat:20", "1", "1"},
		{"20", "4", "4"},
		{"$grow", "1", "0"},     // the entry: the first instruction of the loop
		{"grow", "2", "1"},      // the loop's next round
		{"grow+0x1a", "3", "3"}, // line 20's first instruction
		{"*0x5b", "2", "2"},     // the same, by its bytecode offset
	} {
		out := filepath.Join(dir, "at.json")
		code, stdout, errOut := runHeap(t, "snapshot", "--at", c.at, "--hit", c.hit, "--invoke", "grow", "-o", out, wat, "6")
		if code != 0 || !strings.Contains(errOut, "written to") {
			t.Fatalf("--at %s --hit %s: exit %d, stdout %q, stderr %q", c.at, c.hit, code, stdout, errOut)
		}
		if got := cells(out); got != c.want {
			t.Errorf("--at %s --hit %s: %s cells, want %s", c.at, c.hit, got, c.want)
		}
	}
	code, _, errOut := runHeap(t, "snapshot", "--at", "20", "--hit", "10", "--invoke", "grow", "-o", filepath.Join(dir, "x.json"), wat, "3")
	if code != 1 || !strings.Contains(errOut, "after 3 of 10 hits") {
		t.Errorf("--hit past the end: exit %d, stderr %q", code, errOut)
	}
}

// TestHeapSnapshotAOT: snapshots of native runs (--aot, an .aot file,
// and --aot with --at, which runs a debug build) hold what the
// interpreter's hold, object for object: the same stats report. At exit
// grow.wat's cells are held by a global and by the returned box; at
// binary_trees' tenth $check by the frames of the walk.
func TestHeapSnapshotAOT(t *testing.T) {
	dir, cache := t.TempDir(), t.TempDir()
	t.Setenv("XDG_CACHE_HOME", cache) // --aot's compiled-file cache
	// compiled counts the files in the cache: --aot did compile.
	compiled := func() int {
		files, _ := filepath.Glob(filepath.Join(cache, "gcscope", "aot", "*"))
		return len(files)
	}
	stats := func(args ...string) string {
		t.Helper()
		out := filepath.Join(dir, "snap.json")
		args = append([]string{"snapshot", "-o", out}, args...)
		if code, stdout, errOut := runHeap(t, args...); code != 0 || !strings.Contains(errOut, "written to") {
			t.Fatalf("heap %s: exit %d, stdout %q, stderr %q", strings.Join(args, " "), code, stdout, errOut)
		}
		code, report, errOut := runHeap(t, "stats", out)
		if code != 0 {
			t.Fatalf("stats: exit %d: %s", code, errOut)
		}
		return report
	}
	for _, c := range []struct {
		wat, at, hit, invoke, arg, holds string
	}{
		{filepath.Join("testdata", "heap", "grow.wat"), "exit", "1", "grow", "5", "$cell"},
		{filepath.Join("..", "..", "examples", "binary_trees.wat"), "$check", "10", "run", "6", "$node"},
	} {
		aotFile := filepath.Join(dir, "release.aot")
		if code, _, errOut := runCLI("compile", "-o", aotFile, c.wat); code != 0 {
			t.Fatalf("compile %s: exit %d: %s", c.wat, code, errOut)
		}
		want := stats("--at", c.at, "--hit", c.hit, "--invoke", c.invoke, c.wat, c.arg)
		if !strings.Contains(want, c.holds) {
			t.Fatalf("%s --at %s: the interpreter's snapshot holds no %s:\n%s", c.wat, c.at, c.holds, want)
		}
		before := compiled()
		if got := stats("--aot", "--at", c.at, "--hit", c.hit, "--invoke", c.invoke, c.wat, c.arg); got != want {
			t.Errorf("%s --aot --at %s: stats differ from the interpreter's:\n%s\nwant:\n%s", c.wat, c.at, got, want)
		}
		if compiled() == before {
			t.Errorf("%s --aot --at %s: nothing compiled into the cache", c.wat, c.at)
		}
		if c.at == "exit" {
			if got := stats("--invoke", c.invoke, aotFile, c.arg); got != want {
				t.Errorf("%s as an .aot file: stats differ from the interpreter's:\n%s\nwant:\n%s", c.wat, got, want)
			}
			continue
		}
		code, _, errOut := runHeap(t, "snapshot", "--at", c.at, "--invoke", c.invoke, "-o", filepath.Join(dir, "x.json"), aotFile, c.arg)
		if code != 1 || !strings.Contains(errOut, "not a debug build") || strings.Count(errOut, aotFile) != 1 {
			t.Errorf("--at on a release .aot: exit %d, stderr %q, want one error naming the file once", code, errOut)
		}
	}
}
