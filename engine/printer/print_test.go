package printer

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/gcscope/gcscope/engine/wasm"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

func printString(t *testing.T, m *wasm.Module, opts Options) (string, *LineMap) {
	t.Helper()
	var buf bytes.Buffer
	lm, err := Print(&buf, m, opts)
	if err != nil {
		t.Fatal(err)
	}
	return buf.String(), lm
}

// TestGolden compares printed modules with testdata/*.wat.golden; run with
// -update after checking a change by eye.
func TestGolden(t *testing.T) {
	cases := []struct {
		name string
		m    *wasm.Module
		opts Options
	}{
		{"gc", gcModule(), Options{}},
		{"gc_folded", gcModule(), Options{Folded: true}},
		{"gc_nonames", gcModule(), Options{NoNames: true}},
		{"mvp", mvpModule(), Options{}},
		{"mvp_folded", mvpModule(), Options{Folded: true, Indent: "    "}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, _ := printString(t, c.m, c.opts)
			path := filepath.Join("testdata", c.name+".wat.golden")
			if *update {
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if got != string(want) {
				t.Errorf("output differs from %s (run go test -update if the change is right):\n%s", path, got)
			}
		})
	}
}
