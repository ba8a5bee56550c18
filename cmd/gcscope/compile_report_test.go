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

// TestCompileReportOneLevel checks that --opt-level picks the report's
// only level and that each module gets a progress line on stderr.
func TestCompileReportOneLevel(t *testing.T) {
	dir := t.TempDir()
	wasmPath := filepath.Join(dir, "fib.wasm")
	if code, _, errOut := runCLI("convert", "-o", wasmPath, filepath.Join("..", "..", "examples", "fib.wat")); code != 0 {
		t.Fatalf("convert: exit %d: %s", code, errOut)
	}
	code, out, errOut := runCLI("compile", "--report", "--opt-level", "1", "--workers", "1", dir)
	if code != 0 {
		t.Fatalf("compile --report --opt-level 1: exit %d, %q %q", code, out, errOut)
	}
	if !strings.Contains(out, "-O1: 1 modules: 1 compiled") || strings.Contains(out, "-O0") || strings.Contains(out, "-O2") {
		t.Errorf("report should have -O1 only:\n%s", out)
	}
	if !strings.HasPrefix(errOut, "[1/1] fib.wasm ") || !strings.Contains(errOut, "-O1 ") {
		t.Errorf("progress line missing: %q", errOut)
	}
}
