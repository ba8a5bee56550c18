package loader

import (
	"path/filepath"
	"testing"

	"github.com/gcscope/gcscope/engine/interp/wastexec"
	"github.com/gcscope/gcscope/engine/runtime"
	"github.com/gcscope/gcscope/engine/wast"
)

// specRoot is the shared spec testsuite the script tests read.
const specRoot = "/work/shared/testsuite"

// runSpecScript runs the testsuite script f (a path under specRoot) on a
// fresh AOT engine, with cfg's other settings (cfg.Engine is set here). A
// script that cannot be read or run is reported as an error and gives nil.
func runSpecScript(t *testing.T, f string, cfg runtime.Config) *wast.Result {
	t.Helper()
	e := New(nil)
	defer e.Close()
	cfg.Engine = e
	res, err := wast.RunFile(filepath.Join(specRoot, f), wast.Options{Exec: wastexec.New(cfg)})
	if err != nil {
		t.Errorf("%s: %v", f, err)
		return nil
	}
	return res
}

// logFirstChecks logs up to three of res's checks that bad picks, so a
// failing script shows where it went wrong without flooding the log.
func logFirstChecks(t *testing.T, f string, res *wast.Result, bad func(wast.Check) bool) {
	t.Helper()
	shown := 0
	for _, c := range res.Checks {
		if bad(c) && shown < 3 {
			shown++
			t.Logf("%s: %v %s: %.300s", f, c.Pos, c.Command, c.Detail)
		}
	}
}

// requireFullPass runs each script and fails unless every check passed: a
// skipped check (a module the compiler refused) fails as a failed one does,
// and a script with no passing check fails too.
func requireFullPass(t *testing.T, files []string) {
	t.Helper()
	for _, f := range files {
		res := runSpecScript(t, f, runtime.Config{})
		if res == nil {
			continue
		}
		logFirstChecks(t, f, res, func(c wast.Check) bool { return c.Outcome != wast.Passed })
		if res.Failed > 0 || res.Skipped > 0 || res.Passed == 0 {
			t.Errorf("%s: %d passed, %d failed, %d skipped", f, res.Passed, res.Failed, res.Skipped)
		}
	}
}
