package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRunTextModuleAsItsBinary: a .wat runs as the .wasm convert writes
// from it: a trap's backtrace names the same offset, and run --aot keeps
// one compiled file in the cache (keyed by the module's bytes, which a
// text module only has once encoded) that a second run reuses.
func TestRunTextModuleAsItsBinary(t *testing.T) {
	dir, cache := t.TempDir(), t.TempDir()
	t.Setenv("XDG_CACHE_HOME", cache)
	wat, wasm := filepath.Join(dir, "t.wat"), filepath.Join(dir, "t.wasm")
	src := `(module (func (export "main") (result i32) (i32.div_s (i32.const 1) (i32.const 0))))`
	if err := os.WriteFile(wat, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, errOut := runCLI("convert", "-o", wasm, wat); code != 0 {
		t.Fatalf("convert: exit %d: %s", code, errOut)
	}
	backtrace := func(args ...string) string {
		t.Helper()
		code, _, errOut := runCLI(args...)
		if code != 1 {
			t.Fatalf("%v: exit %d, want 1 (a trap): %s", args, code, errOut)
		}
		return errOut[len(args[len(args)-1]):] // past the file name
	}
	want := backtrace("run", wasm)
	for _, args := range [][]string{{"run", wat}, {"run", "--aot", wat}, {"run", "--aot", wat}} {
		if got := backtrace(args...); got != want {
			t.Errorf("%v: %q, want the .wasm's %q", args, got, want)
		}
	}
	files, _ := filepath.Glob(filepath.Join(cache, "gcscope", "aot", "*.aot"))
	if len(files) != 1 {
		t.Errorf("the cache holds %d compiled files after two runs of one .wat, want 1: %v", len(files), files)
	}
}

// TestRunAOTChecksEntryFirst: run --aot and heap snapshot --aot report a
// wrong --invoke or argument list before compiling anything.
func TestRunAOTChecksEntryFirst(t *testing.T) {
	cache := t.TempDir()
	t.Setenv("XDG_CACHE_HOME", cache)
	wat := filepath.Join("..", "..", "examples", "binary_trees.wat")
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"run", "--aot", "--invoke", "run", wat}, "run takes 1 arguments [i32], 0 given"},
		{[]string{"run", "--aot", "--invoke", "run", wat, "x"}, "argument 1 of run"},
		{[]string{"run", "--aot", "--invoke", "walk", wat, "1"}, `no exported function "walk"`},
		{[]string{"heap", "snapshot", "--aot", "--invoke", "run", wat}, "run takes 1 arguments [i32], 0 given"},
	} {
		code, _, errOut := runCLI(c.args...)
		if code != 2 || !strings.Contains(errOut, c.want) {
			t.Errorf("%v: exit %d, stderr %q, want 2 and %q", c.args, code, errOut, c.want)
		}
	}
	if files, _ := filepath.Glob(filepath.Join(cache, "gcscope", "aot", "*")); len(files) != 0 {
		t.Errorf("compiled before reporting the usage errors: %v", files)
	}
}
