package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// catchWat throws from one function and catches in its caller: the
// exception must come back to main's handler whether the native code is
// run from a module (run --aot) or from an .aot file alone, whose module
// has no function bodies to find the handler in (the file's catches
// flag says it).
const catchWat = `(module
  (tag $e (param i32))
  (func $thrower (param i32) (throw $e (local.get 0)))
  (func (export "main") (result i32)
    (block $h (result i32)
      (try_table (catch $e $h)
        (call $thrower (i32.const 42)))
      (i32.const -1))))`

func TestRunAOTFileCatches(t *testing.T) {
	dir := t.TempDir()
	wat := filepath.Join(dir, "catch.wat")
	aot := filepath.Join(dir, "catch.aot")
	if err := os.WriteFile(wat, []byte(catchWat), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, errOut := runCLI("compile", "--opt-level", "0", "-o", aot, wat); code != 0 {
		t.Fatalf("compile: exit %d: %s", code, errOut)
	}
	t.Setenv("XDG_CACHE_HOME", t.TempDir()) // run --aot's compiled-file cache
	for _, args := range [][]string{{"run", aot}, {"run", "--aot", wat}} {
		code, out, errOut := runCLI(args...)
		if code != 0 || strings.TrimSpace(out) != "42" {
			t.Errorf("%s: exit %d, output %q, want 42 (stderr %q)", strings.Join(args, " "), code, out, errOut)
		}
	}
}
