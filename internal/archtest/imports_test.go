// Package archtest checks the import rules that keep the parts of gcscope
// apart: the engine imports none of the tools, the debugger core no UI, and
// heapviz and aotdump need no debugger session.
package archtest

import (
	"os/exec"
	"strings"
	"testing"
)

const module = "github.com/gcscope/gcscope/"

// deps lists every package (transitively) imported by the packages matching
// pattern, keyed by the importing package.
func deps(t *testing.T, pattern string) map[string][]string {
	t.Helper()
	// A top-level folder with no packages yet matches nothing: no rule to check.
	pkgs, _ := exec.Command("go", "list", "-e", "-f", "{{if not .Error}}{{.ImportPath}}{{end}}", pattern).Output()
	res := map[string][]string{}
	for _, p := range strings.Fields(string(pkgs)) {
		out, err := exec.Command("go", "list", "-deps", "-f", "{{.ImportPath}}", p).CombinedOutput()
		if err != nil {
			t.Fatalf("go list -deps %s: %v\n%s", p, err, out)
		}
		res[p] = strings.Fields(string(out))
	}
	return res
}

func checkNone(t *testing.T, pattern string, forbidden []string) {
	t.Helper()
	for pkg, ds := range deps(t, pattern) {
		for _, d := range ds {
			for _, f := range forbidden {
				if d == f || strings.HasPrefix(d, f+"/") {
					t.Errorf("%s imports %s (forbidden for %s)", pkg, d, pattern)
				}
			}
		}
	}
}

var uiPackages = []string{
	module + "tui",
	"github.com/charmbracelet/bubbletea",
	"github.com/charmbracelet/bubbles",
	"github.com/charmbracelet/lipgloss",
	"github.com/go-delve/liner",
}

func TestEngineImportsNoTools(t *testing.T) {
	if len(deps(t, "./../../engine/...")) == 0 {
		t.Fatal("no engine packages found: the rule would check nothing")
	}
	checkNone(t, "./../../engine/...", []string{
		module + "debugger", module + "tui", module + "aotdump", module + "heapviz", module + "cmd",
	})
}

func TestDebuggerImportsNoUI(t *testing.T) {
	checkNone(t, "./../../debugger/...", append([]string{module + "cmd"}, uiPackages...))
}

func TestHeapvizAndAotdumpNeedNoDebugger(t *testing.T) {
	forbidden := append([]string{module + "debugger", module + "cmd"}, uiPackages...)
	checkNone(t, "./../../heapviz/...", forbidden)
	checkNone(t, "./../../aotdump/...", forbidden)
}
