package printer

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/gcscope/gcscope/engine/binary"
	"github.com/gcscope/gcscope/engine/text"
	"github.com/gcscope/gcscope/engine/wasm"
	"github.com/gcscope/gcscope/internal/shared"
)

var programsDir = shared.Path("programs")

// roundTripPrograms are small and medium real modules whose printed text
// must read back to the same module.
var roundTripPrograms = []string{
	"moonbit_jam2025/*.wasm",
	"wasmnizer_ts/*.wasm",
	"binaryen_fuzz/*.wasm",
	"hoot_shmupwars/*.wasm",
}

func programFiles(t *testing.T, patterns ...string) []string {
	t.Helper()
	if _, err := os.Stat(programsDir); err != nil {
		t.Fatalf("no test programs: %v", err)
	}
	var files []string
	for _, pat := range patterns {
		fs, err := filepath.Glob(filepath.Join(programsDir, pat))
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, fs...)
	}
	return files
}

// encodeComparable encodes m without what text carries differently: the
// name section (the text keeps names as identifiers, which need not be the
// same bytes) and the data count section (a text module gets one only if
// the parser decides it needs it).
func encodeComparable(t *testing.T, m *wasm.Module, dataCount *uint32) []byte {
	t.Helper()
	c := *m
	c.Names = nil
	c.DataCount = dataCount
	b, err := binary.Encode(&c)
	if err != nil {
		t.Fatalf("encode: %v", err)
	}
	return b
}

// TestRoundTrip decodes real modules, prints them flat and folded, parses
// the text, and checks that both encode to the same bytes. It also checks
// the line map against the printed text. PRINTER_ROUNDTRIP_ALL=1 takes every
// program, the 3.6 MB ones included (slow).
func TestRoundTrip(t *testing.T) {
	patterns := roundTripPrograms
	if os.Getenv("PRINTER_ROUNDTRIP_ALL") != "" {
		patterns = []string{"*/*.wasm", "*/*/*.wasm"}
	}
	for _, file := range programFiles(t, patterns...) {
		name, _ := filepath.Rel(programsDir, file)
		t.Run(name, func(t *testing.T) {
			raw, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			m, err := binary.Decode(raw)
			if err != nil {
				t.Skipf("decoder rejects it: %v", err)
			}
			want := encodeComparable(t, m, m.DataCount)
			for _, v := range []struct {
				folded, labels bool
			}{{false, false}, {true, false}, {false, true}, {true, true}} {
				folded := v.folded
				if v.labels {
					nameLabels(m)
				}
				out, lm := printString(t, m, Options{Folded: folded})
				checkLineMap(t, m, out, lm, folded)
				back, err := text.ParseModule([]byte(out))
				if err != nil {
					t.Fatalf("%+v: printed text does not parse: %v", v, err)
				}
				got := encodeComparable(t, back, m.DataCount)
				if !bytes.Equal(got, want) {
					t.Errorf("%+v: text reads back as a different module (%d bytes, want %d)%s",
						v, len(got), len(want), firstDiff(t, m, back))
				}
			}
		})
	}
}

// nameLabels gives every block-like instruction a label name, from only
// three names so that inner labels often shadow outer ones and branches
// must fall back to depths.
func nameLabels(m *wasm.Module) {
	if m.Names == nil {
		m.Names = &wasm.Names{}
	}
	m.Names.Labels = wasm.IndirectNameMap{}
	imp := uint32(m.NumImported(wasm.ExternFunc))
	for d := range m.Funcs {
		names := wasm.NameMap{}
		n := uint32(0)
		for i := range m.Funcs[d].Body {
			if isBlock(m.Funcs[d].Body[i].Op) {
				names[n] = "l" + strconv.Itoa(int(n%3))
				n++
			}
		}
		m.Names.Labels[imp+uint32(d)] = names
	}
}

// TestPrintAllPrograms prints every real module, the largest included, and
// reports how long each took.
func TestPrintAllPrograms(t *testing.T) {
	if testing.Short() {
		t.Skip("prints every program under " + programsDir)
	}
	for _, file := range programFiles(t, "*/*.wasm", "*/*/*.wasm") {
		raw, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		m, err := binary.Decode(raw)
		if err != nil {
			t.Logf("%s: decoder rejects it: %v", file, err)
			continue
		}
		var buf countingWriter
		start := time.Now()
		lm, err := Print(&buf, m, Options{})
		if err != nil {
			t.Errorf("%s: %v", file, err)
			continue
		}
		if len(raw) > 1<<20 {
			t.Logf("%s: %d bytes of wasm -> %d lines, %d bytes of text in %v",
				filepath.Base(file), len(raw), lm.Lines(), buf.n, time.Since(start).Round(time.Millisecond))
		}
	}
}

type countingWriter struct{ n int }

func (w *countingWriter) Write(b []byte) (int, error) {
	w.n += len(b)
	return len(b), nil
}
