package text

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/gcscope/gcscope/engine/binary"
	"github.com/gcscope/gcscope/engine/wasm"
)

// TestEncodeSuiteModules encodes every text module of the suite that is
// not meant to be malformed, and decodes the result again: the parser's
// output must be something the binary format can carry.
func TestEncodeSuiteModules(t *testing.T) {
	encoded, failed := 0, 0
	var visit func(file string, cmds []Command)
	visit = func(file string, cmds []Command) {
		for _, cmd := range cmds {
			visit(file, cmd.Body)
			m := cmd.Module
			if m == nil || m.Form != ModuleText || m.Module == nil || cmd.Kind == CmdAssertMalformed {
				continue
			}
			b, err := binary.Encode(m.Module)
			if err == nil {
				var back *wasm.Module
				back, err = binary.Decode(b)
				if err == nil {
					stripSource(m.Module)
					stripSource(back)
					if d := firstDiff(m.Module, back); d != "" {
						t.Errorf("%s:%v: decodes differently: %s", file, cmd.Pos, d)
					}
				}
			}
			if err != nil {
				failed++
				if failed <= 20 {
					t.Errorf("%s:%v: %v", file, cmd.Pos, err)
				}
				continue
			}
			encoded++
		}
	}
	for _, f := range suiteFiles(t) {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		s, err := ParseScript(src, f)
		if err != nil {
			t.Fatal(err)
		}
		rel, _ := filepath.Rel(suiteDir, f)
		visit(rel, s.Commands)
	}
	t.Logf("encoded and decoded %d modules, %d failed", encoded, failed)
}
