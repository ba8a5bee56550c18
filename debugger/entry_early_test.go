package debugger

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestEntryCheckedBeforeCompiling: a wrong --invoke name or argument list
// is an error from New before an AOT session compiles anything (a real
// program's debug build takes seconds to minutes), with the message the
// interpreter's session gives.
func TestEntryCheckedBeforeCompiling(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ops.wat")
	if err := os.WriteFile(path, []byte(opsWat), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		invoke string
		args   []string
		want   string
	}{
		{"main", nil, "main takes 1 arguments [i32], 0 given"},
		{"main", []string{"x"}, "argument 1 of main"},
		{"mian", []string{"1"}, `no exported function "mian" (exports: [main])`},
	} {
		for _, aot := range []bool{false, true} {
			cache := t.TempDir()
			_, err := New(Options{Path: path, Invoke: c.invoke, Args: c.args, AOT: aot, AOTCacheDir: cache})
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("aot=%v --invoke %s %v: %v, want an error saying %q", aot, c.invoke, c.args, err, c.want)
			}
			if files, _ := os.ReadDir(cache); len(files) != 0 {
				t.Errorf("aot=%v --invoke %s %v: %d files compiled before the error", aot, c.invoke, c.args, len(files))
			}
		}
	}
}
