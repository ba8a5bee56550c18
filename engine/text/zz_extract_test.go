package text

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

type extracted struct {
	File string
	Idx  int
	Src  string
}

// TestZZExtract writes every top-level text module of the suite, with its
// source text, for the wabt differential check.
func TestZZExtract(t *testing.T) {
	var out []extracted
	for _, f := range suiteFiles(t) {
		src, _ := os.ReadFile(f)
		root, err := parseSexprs(src)
		if err != nil {
			continue
		}
		lines := []int{0}
		for i, c := range src {
			if c == '\n' {
				lines = append(lines, i+1)
			}
		}
		off := func(line, col int32) int { return lines[line-1] + int(col) - 1 }
		rel, _ := filepath.Rel(suiteDir, f)
		for i, k := range root.kids {
			if !k.is("module") {
				continue
			}
			c := newCursor(k, 1)
			c.optID()
			if c.peek().isKeyword("binary") || c.peek().isKeyword("quote") || c.peek().isKeyword("definition") || c.peek().isKeyword("instance") {
				continue
			}
			a := off(k.tok.pos.Line, k.tok.pos.Col)
			b := off(k.end.Line, k.end.Col) + 1
			out = append(out, extracted{rel, i, string(src[a:b])})
		}
	}
	data, _ := json.Marshal(out)
	os.WriteFile("/tmp/wabtjs/modules.json", data, 0o644)
	t.Logf("%d modules", len(out))
}
