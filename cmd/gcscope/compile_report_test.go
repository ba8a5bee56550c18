package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestCompileReport runs `compile --report` over a folder with one
// module: it compiles at -O0 and -O2 and names it the largest compiled.
func TestCompileReport(t *testing.T) {
	dir := t.TempDir()
	wasmPath := filepath.Join(dir, "fib.wasm")
	if code, _, errOut := runCLI("convert", "-o", wasmPath, filepath.Join("..", "..", "examples", "fib.wat")); code != 0 {
		t.Fatalf("convert: exit %d: %s", code, errOut)
	}
	code, out, errOut := runCLI("compile", "--report", dir)
	if code != 0 {
		t.Fatalf("compile --report: exit %d, %q %q", code, out, errOut)
	}
	for _, want := range []string{"fib.wasm", "-O0: 1 modules: 1 compiled", "-O2: 1 modules: 1 compiled", "largest compiled: fib.wasm"} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
}
