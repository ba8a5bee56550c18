// Package shared finds the project's shared data folder (the spec test
// suite and real compiler output), which sits beside the repository as
// ../shared, for tests and benchmarks.
package shared

import (
	"os"
	"path/filepath"
	"testing"
)

// Dir returns the shared folder: $GCSCOPE_SHARED if set, else ../shared
// next to the repository root (the folder holding go.mod). A test that
// needs it fails, rather than skips, when it is missing: CI always has it.
func Dir(tb testing.TB) string {
	tb.Helper()
	if d := os.Getenv("GCSCOPE_SHARED"); d != "" {
		return d
	}
	dir, err := os.Getwd()
	if err != nil {
		tb.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			d := filepath.Join(filepath.Dir(dir), "shared")
			if _, err := os.Stat(d); err != nil {
				tb.Fatalf("shared data folder %s is missing (set GCSCOPE_SHARED): %v", d, err)
			}
			return d
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			tb.Fatal("no go.mod above the working directory")
		}
		dir = parent
	}
}

// Testsuite returns the spec test suite folder.
func Testsuite(tb testing.TB) string { return filepath.Join(Dir(tb), "testsuite") }

// Programs returns the folder of real compiler output.
func Programs(tb testing.TB) string { return filepath.Join(Dir(tb), "programs") }

// Path returns a file or folder inside the shared data folder, for
// package-level paths; tests then check that it exists (and fail, not
// skip, when it does not). It resolves as Dir does.
func Path(name string) string {
	if d := os.Getenv("GCSCOPE_SHARED"); d != "" {
		return filepath.Join(d, name)
	}
	dir, err := os.Getwd()
	if err != nil {
		return filepath.Join("..", "shared", name)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return filepath.Join(filepath.Dir(dir), "shared", name)
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return filepath.Join("..", "shared", name)
		}
		dir = parent
	}
}
