package commands

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/gcscope/gcscope/debugger"
)

var update = flag.Bool("update", false, "rewrite the golden transcripts in testdata")

// startScript opens the session a script's first line names:
// "# target: PATH [--invoke NAME] [ARGS...]", PATH relative to this package.
func startScript(t *testing.T, script []byte) *debugger.Session {
	t.Helper()
	return startScriptWith(t, script, nil)
}

// startScriptWith is startScript with the options adjusted by opt.
func startScriptWith(t *testing.T, script []byte, opt func(*debugger.Options)) *debugger.Session {
	t.Helper()
	first, _, _ := bytes.Cut(script, []byte("\n"))
	spec, ok := strings.CutPrefix(string(first), "# target: ")
	if !ok {
		t.Fatalf("the script's first line must be # target: PATH [--invoke NAME] [ARGS...]")
	}
	f := strings.Fields(spec)
	opts := debugger.Options{Path: f[0]}
	f = f[1:]
	if len(f) >= 2 && f[0] == "--invoke" {
		opts.Invoke, f = f[1], f[2:]
	}
	opts.Args = f
	if opt != nil {
		opt(&opts)
	}
	s, err := debugger.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestTranscripts runs each testdata/*.cmds in batch mode and compares
// the transcript with testdata/*.golden (go test -update rewrites them).
func TestTranscripts(t *testing.T) {
	scripts, _ := filepath.Glob("testdata/*.cmds")
	if len(scripts) == 0 {
		t.Fatal("no scripts in testdata")
	}
	for _, path := range scripts {
		name := strings.TrimSuffix(filepath.Base(path), ".cmds")
		t.Run(name, func(t *testing.T) {
			script, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			s := startScript(t, script)
			defer s.Close()
			got := runTranscript(t, s, script)
			golden := strings.TrimSuffix(path, ".cmds") + ".golden"
			if *update {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("transcript differs from %s (go test -update rewrites it):\n%s", golden, diff(string(want), string(got)))
			}
		})
	}
}

// diff shows the first differing lines.
func diff(want, got string) string {
	wl, gl := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(wl) || i < len(gl); i++ {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			return "line " + strconv.Itoa(i+1) + ":\n  want: " + w + "\n  got:  " + g
		}
	}
	return ""
}
