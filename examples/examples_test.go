package examples

import (
	"io/fs"
	"strconv"
	"strings"
	"testing"

	"github.com/gcscope/gcscope/engine/text"
	"github.com/gcscope/gcscope/engine/validate"
	"github.com/gcscope/gcscope/engine/wasm"
)

func TestExamplesParseAndValidate(t *testing.T) {
	files, err := fs.Glob(FS, "*.wat")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < len(MainResults) {
		t.Fatalf("found %d examples, want at least %d", len(files), len(MainResults))
	}
	for _, file := range files {
		t.Run(file, func(t *testing.T) {
			src, err := FS.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			m, err := text.ParseModule(src)
			if err != nil {
				t.Fatalf("parse: %v", err)
			}
			if err := validate.Module(m); err != nil {
				t.Fatalf("validate: %v", err)
			}
			checkMain(t, m)
			want, ok := MainResults[file]
			if !ok {
				t.Fatalf("no expected main result listed for %s", file)
			}
			// The header must state the same number, so the two cannot drift.
			header := headerComment(string(src))
			if !strings.Contains(header, "main()") || !strings.Contains(header, strconv.FormatInt(want, 10)) {
				t.Errorf("header comment does not document main() = %d", want)
			}
		})
	}
}

// checkMain requires an exported function "main" without parameters that
// returns one i32 or i64.
func checkMain(t *testing.T, m *wasm.Module) {
	t.Helper()
	for _, e := range m.Exports {
		if e.Name != "main" || e.Kind != wasm.ExternFunc {
			continue
		}
		ti, ok := m.FuncTypeIndex(e.Index)
		if !ok || int(ti) >= len(m.Types) {
			t.Fatal("main has no type")
		}
		c := m.Types[ti].Comp
		if len(c.Params) != 0 || len(c.Results) != 1 || (c.Results[0] != wasm.I32 && c.Results[0] != wasm.I64) {
			t.Fatalf("main has type %v -> %v, want [] -> [i32] or [i64]", wasm.TypeString(c.Params), wasm.TypeString(c.Results))
		}
		return
	}
	t.Fatal(`no exported function "main"`)
}

// headerComment returns the leading ";;" lines of a file.
func headerComment(src string) string {
	var b strings.Builder
	for _, line := range strings.Split(src, "\n") {
		if !strings.HasPrefix(line, ";;") {
			break
		}
		b.WriteString(line)
		b.WriteByte('\n')
	}
	return b.String()
}
