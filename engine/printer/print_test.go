package printer

import (
	"bytes"
	"flag"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/gcscope/gcscope/engine/binary"

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

// BenchmarkPrint prints the largest module at hand, or the sample modules.
func BenchmarkPrint(b *testing.B) {
	m := mvpModule()
	if raw, err := os.ReadFile(programsDir + "/dart2wasm_mkustermann/size-benchmarks-out/wonderous.opt.wasm"); err == nil {
		if dm, err := binary.Decode(raw); err == nil {
			m = dm
		}
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := Print(io.Discard, m, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
