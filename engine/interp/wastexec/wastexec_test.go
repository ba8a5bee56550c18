package wastexec

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/gcscope/gcscope/engine/runtime"
	"github.com/gcscope/gcscope/engine/wast"
	"github.com/gcscope/gcscope/internal/shared"
)

// TestScripts runs a few spec scripts through engine/wast with this
// executor (collecting at every allocation) and requires every executed
// assertion to pass.
func TestScripts(t *testing.T) {
	for _, f := range []string{"core/i32.wast", "core/call_indirect.wast", "core/linking.wast",
		"core/gc/ref_cast.wast", "core/gc/extern.wast", "core/exceptions/try_table.wast",
		"core/instance.wast", "core/simd/simd_splat.wast"} {
		res, err := wast.RunFile(filepath.Join(shared.Testsuite(t), f), wast.Options{Exec: New(runtime.Config{GCStress: true})})
		if err != nil {
			t.Errorf("%s: %v", f, err)
			continue
		}
		pass, fail, skip := 0, 0, 0
		for _, c := range res.Checks {
			switch c.Outcome {
			case wast.Passed:
				pass++
			case wast.Failed:
				fail++
				if fail <= 3 {
					t.Logf("%s: %v %s: %s", f, c.Pos, c.Command, c.Detail)
				}
			default:
				skip++
			}
		}
		t.Logf("%-35s pass %4d fail %3d skip %4d", f, pass, fail, skip)
		if fail > 0 {
			t.Errorf("%s: %d failures", f, fail)
		}
	}
}

// TestSuite runs the whole suite when GCSCOPE_SUITE is set, reporting
// counts per folder (GCSCOPE_SUITE=stress collects at every allocation).
func TestSuite(t *testing.T) {
	mode := os.Getenv("GCSCOPE_SUITE")
	if mode == "" {
		t.Skip("set GCSCOPE_SUITE=1 to run the whole suite")
	}
	type count struct{ pass, fail, skip int }
	per := map[string]*count{}
	root := shared.Testsuite(t)
	_ = filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil || !strings.HasSuffix(p, ".wast") {
			return nil
		}
		rel, _ := filepath.Rel(root, p)
		dir := filepath.Dir(rel)
		if per[dir] == nil {
			per[dir] = &count{}
		}
		res, err := wast.RunFile(p, wast.Options{Exec: New(runtime.Config{GCStress: mode == "stress"})})
		if err != nil {
			t.Logf("%s: %v", rel, err)
			return nil
		}
		c := per[dir]
		c.pass += res.Passed
		c.fail += res.Failed
		c.skip += res.Skipped
		if res.Failed > 0 && !strings.Contains(dir, "simd") {
			t.Logf("%-45s pass %5d fail %4d skip %4d", rel, res.Passed, res.Failed, res.Skipped)
			for _, ch := range res.Checks {
				if ch.Outcome == wast.Failed {
					t.Logf("    %v %s: %.200s", ch.Pos, ch.Command, ch.Detail)
					break
				}
			}
		}
		return nil
	})
	dirs := make([]string, 0, len(per))
	for d := range per {
		dirs = append(dirs, d)
	}
	sort.Strings(dirs)
	for _, d := range dirs {
		c := per[d]
		t.Logf("%-30s pass %6d fail %5d skip %5d", d, c.pass, c.fail, c.skip)
	}
}
