package loader

import (
	"path/filepath"
	"testing"

	"github.com/gcscope/gcscope/engine/interp/wastexec"
	"github.com/gcscope/gcscope/engine/runtime"
	"github.com/gcscope/gcscope/engine/wast"
)

// TestGCSpecScripts runs the GC and typed function reference scripts
// natively, with and without GC stress: every check must run (nothing
// skipped as unsupported) and pass.
func TestGCSpecScripts(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles many modules with llc")
	}
	files, err := filepath.Glob("/work/shared/testsuite/core/gc/*.wast")
	if err != nil || len(files) == 0 {
		t.Fatalf("no GC scripts found: %v", err)
	}
	files = append(files, "/work/shared/testsuite/core/call_ref.wast", "/work/shared/testsuite/core/ref_as_non_null.wast",
		"/work/shared/testsuite/core/br_on_null.wast", "/work/shared/testsuite/core/br_on_non_null.wast")
	for _, stress := range []bool{false, true} {
		for _, f := range files {
			e := New(nil)
			res, err := wast.RunFile(f, wast.Options{Exec: wastexec.New(runtime.Config{Engine: e, GCStress: stress})})
			e.Close()
			if err != nil {
				t.Errorf("%s: %v", f, err)
				continue
			}
			for _, c := range res.Checks {
				if c.Outcome == wast.Failed {
					t.Errorf("%s (stress %v): %v %s: %.300s", filepath.Base(f), stress, c.Pos, c.Command, c.Detail)
				}
			}
			if res.Skipped > 0 || res.Passed == 0 {
				t.Errorf("%s (stress %v): %d passed, %d skipped, want every check run", filepath.Base(f), stress, res.Passed, res.Skipped)
			}
		}
	}
}
