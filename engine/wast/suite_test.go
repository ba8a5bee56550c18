package wast_test

import (
	"bufio"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/gcscope/gcscope/engine/interp/wastexec"
	"github.com/gcscope/gcscope/engine/runtime"
	. "github.com/gcscope/gcscope/engine/wast"
	"github.com/gcscope/gcscope/internal/shared"
)

// knownFailures reads a list of known failures: one "file:line:col" per
// line (the file relative to the testsuite folder), then a reason. Each
// entry must still fail, so the list stays true.
func knownFailures(t *testing.T, path string) map[string]string {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	known := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		place, reason, _ := strings.Cut(line, " ")
		known[place] = strings.TrimSpace(reason)
	}
	return known
}

// TestSpecSuiteFrontEnd runs every script of the spec suite with
// --validate-only: every module must load, every assert_malformed module
// must be malformed and every assert_invalid module invalid.
func TestSpecSuiteFrontEnd(t *testing.T) {
	runSuite(t, Options{ValidateOnly: true}, "testdata/known_failures.txt", "front end")
}

// TestSpecSuiteInterpreter runs the whole suite on the interpreter.
func TestSpecSuiteInterpreter(t *testing.T) {
	opts := Options{Exec: wastexec.New(runtime.Config{})}
	runSuite(t, opts, "testdata/known_exec_failures.txt", "interpreter")
}

// TestSpecSuiteInterpreterGCStress runs it again collecting at every
// allocation, so a missing root shows up as a wrong result or a crash.
func TestSpecSuiteInterpreterGCStress(t *testing.T) {
	opts := Options{Exec: wastexec.New(runtime.Config{GCStress: true})}
	runSuite(t, opts, "testdata/known_exec_failures.txt", "interpreter, --gc-stress")
}

// runSuite runs every script and fails on any failed check that is not a
// listed known failure, and on any listed one that passes now.
func runSuite(t *testing.T, opts Options, knownPath, what string) {
	suite := shared.Testsuite(t)
	files, err := Collect([]string{suite})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 200 {
		t.Fatalf("found only %d scripts under %s", len(files), suite)
	}
	known := knownFailures(t, knownPath)
	stillFailing := map[string]bool{}
	var results []*Result
	var total Totals
	for _, file := range files {
		r, err := RunFile(file, opts)
		if err != nil {
			t.Errorf("%v", err)
			continue
		}
		results = append(results, r)
		total.Add(r)
		rel, _ := filepath.Rel(suite, file)
		for _, c := range r.Checks {
			if c.Outcome != Failed {
				continue
			}
			place := rel + ":" + c.Pos.String()
			if _, ok := known[place]; ok {
				stillFailing[place] = true
				continue
			}
			t.Errorf("%s: %s: %s", place, c.Command, c.Detail)
		}
	}
	var fixed []string
	for place := range known {
		if !stillFailing[place] {
			fixed = append(fixed, place)
		}
	}
	sort.Strings(fixed)
	for _, place := range fixed {
		t.Errorf("%s is listed in %s but passes now: remove it", place, knownPath)
	}
	var sb strings.Builder
	WriteFolderSummary(&sb, results)
	t.Logf("%s over the spec suite, per folder:\n%s%s (%d messages differ)", what, sb.String(), total.Line(), total.MessageDiffs)
}
