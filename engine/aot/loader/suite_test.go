package loader

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gcscope/gcscope/engine/interp/wastexec"
	"github.com/gcscope/gcscope/engine/runtime"
	"github.com/gcscope/gcscope/engine/wast"
)

// TestSuiteFiles runs the core scripts named in GCSCOPE_AOT_SUITE (comma
// separated, relative to the testsuite's core/) natively and logs counts;
// "all" runs every script in core/ (slow: every module goes through llc).
func TestSuiteFiles(t *testing.T) {
	list := os.Getenv("GCSCOPE_AOT_SUITE")
	if list == "" {
		t.Skip("set GCSCOPE_AOT_SUITE")
	}
	root := "/work/shared/testsuite/core"
	var files []string
	if list == "all" {
		ents, _ := os.ReadDir(root)
		for _, e := range ents {
			if strings.HasSuffix(e.Name(), ".wast") {
				files = append(files, e.Name())
			}
		}
	} else {
		files = strings.Split(list, ",")
	}
	var tp, tf, ts int
	for _, f := range files {
		e := New(nil)
		res, err := wast.RunFile(filepath.Join(root, f), wast.Options{Exec: wastexec.New(runtime.Config{Engine: e})})
		e.Close()
		if err != nil {
			t.Logf("%s: %v", f, err)
			continue
		}
		tp, tf, ts = tp+res.Passed, tf+res.Failed, ts+res.Skipped
		t.Logf("%-28s pass %4d fail %3d skip %4d", f, res.Passed, res.Failed, res.Skipped)
		shown := 0
		for _, c := range res.Checks {
			if c.Outcome == wast.Failed && shown < 2 {
				shown++
				t.Logf("    %v %s: %.300s", c.Pos, c.Command, c.Detail)
			}
		}
	}
	t.Logf("total pass %d fail %d skip %d", tp, tf, ts)
}
