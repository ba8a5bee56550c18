package printer

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gcscope/gcscope/engine/binary"
	"github.com/gcscope/gcscope/engine/text"
	"github.com/gcscope/gcscope/engine/wasm"
	"github.com/gcscope/gcscope/internal/shared"
)

var testsuiteDir = shared.Path("testsuite")

// TestSpecModulesRoundTrip prints every text module of the spec test suite
// that the parser accepts and encodes, with its names, and checks that the
// text reads back to the same binary. The suite has every instruction form
// and every odd corner of the number syntax.
func TestSpecModulesRoundTrip(t *testing.T) {
	if _, err := os.Stat(testsuiteDir); err != nil {
		t.Fatalf("no test suite: %v", err)
	}
	var files []string
	filepath.WalkDir(testsuiteDir, func(path string, d fs.DirEntry, err error) error {
		if err == nil && strings.HasSuffix(path, ".wast") {
			files = append(files, path)
		}
		return nil
	})
	checked := 0
	for _, file := range files {
		src, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		script, err := text.ParseScript(src, file)
		if err != nil {
			continue // the parser's own tests report this
		}
		rel, _ := filepath.Rel(testsuiteDir, file)
		for _, cmd := range script.Commands {
			if cmd.Kind != text.CmdModule || cmd.Module == nil || cmd.Module.Module == nil {
				continue
			}
			m := cmd.Module.Module
			want, err := binary.Encode(stripped(m, m.DataCount))
			if err != nil {
				continue
			}
			for _, folded := range []bool{false, true} {
				var buf bytes.Buffer
				if _, err := Print(&buf, m, Options{Folded: folded}); err != nil {
					t.Fatal(err)
				}
				back, err := text.ParseModule(buf.Bytes())
				if err != nil {
					t.Errorf("%s:%v folded=%v: printed text does not parse: %v\n%s", rel, cmd.Pos, folded, err, excerpt(buf.String(), err))
					continue
				}
				got, err := binary.Encode(stripped(back, m.DataCount))
				if err != nil || !bytes.Equal(got, want) {
					t.Errorf("%s:%v folded=%v: reads back differently (%v)%s", rel, cmd.Pos, folded, err, firstDiff(t, m, back))
				}
			}
			checked++
		}
	}
	t.Logf("%d modules round-tripped", checked)
}

func stripped(m *wasm.Module, dataCount *uint32) *wasm.Module {
	c := *m
	c.Names, c.DataCount = nil, dataCount
	return &c
}

// excerpt returns the lines around the position an error names, if any.
func excerpt(src string, err error) string {
	var e *wasm.Error
	if !asError(err, &e) || !e.Pos.IsValid() {
		return ""
	}
	lines := strings.Split(src, "\n")
	lo, hi := max(int(e.Pos.Line)-3, 0), min(int(e.Pos.Line)+2, len(lines))
	return strings.Join(lines[lo:hi], "\n")
}
