package crosscheck

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/gcscope/gcscope/engine/text"
	"github.com/gcscope/gcscope/internal/shared"
)

var suiteDir = shared.Path("testsuite")

// suiteModule is a text module of the suite: where it is, its source text
// and what the parser made of it.
type suiteModule struct {
	where string
	src   string
	def   *text.ModuleDef
}

// suiteModules parses every suite script and returns its text modules
// outside assert_malformed, at any nesting of commands.
func suiteModules(t *testing.T) []suiteModule {
	if _, err := os.Stat(suiteDir); err != nil {
		t.Fatal("spec suite not present at " + suiteDir)
	}
	var files []string
	err := filepath.Walk(suiteDir, func(p string, info os.FileInfo, err error) error {
		if err == nil && strings.HasSuffix(p, ".wast") {
			files = append(files, p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(files)
	var mods []suiteModule
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		s, err := text.ParseScript(src, f)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		rel, _ := filepath.Rel(suiteDir, f)
		lineStart := []int{0}
		for i, c := range src {
			if c == '\n' {
				lineStart = append(lineStart, i+1)
			}
		}
		var visit func(cmds []text.Command)
		visit = func(cmds []text.Command) {
			for _, c := range cmds {
				visit(c.Body)
				m := c.Module
				// (module definition ...) is script syntax, not a module's.
				if m == nil || m.Form != text.ModuleText || m.Definition || c.Kind == text.CmdAssertMalformed {
					continue
				}
				start := lineStart[m.Pos.Line-1] + int(m.Pos.Col) - 1
				end := listEnd(src, start)
				if len(s.Commands) == 1 {
					// Perhaps a script that is one module's bare fields:
					// the module is the whole rest of the file.
					end = len(src)
				}
				mods = append(mods, suiteModule{where: rel + ":" + m.Pos.String(),
					src: string(src[start:end]), def: m})
			}
		}
		visit(s.Commands)
	}
	return mods
}

// listEnd returns the offset just past the list opening at start,
// skipping strings and comments.
func listEnd(src []byte, start int) int {
	depth := 0
	for i := start; i < len(src); i++ {
		switch c := src[i]; {
		case c == '"':
			for i++; i < len(src) && src[i] != '"'; i++ {
				if src[i] == '\\' {
					i++
				}
			}
		case c == ';' && i+1 < len(src) && src[i+1] == ';':
			for i < len(src) && src[i] != '\n' {
				i++
			}
		case c == '(' && i+1 < len(src) && src[i+1] == ';':
			nest := 0
			for ; i+1 < len(src); i++ {
				if src[i] == '(' && src[i+1] == ';' {
					nest++
					i++
				} else if src[i] == ';' && src[i+1] == ')' {
					nest--
					i++
					if nest == 0 {
						break
					}
				}
			}
		case c == '(':
			depth++
		case c == ')':
			depth--
			if depth == 0 {
				return i + 1
			}
		}
	}
	return len(src)
}

// TestSuiteModuleSources checks that the extracted source of each module
// parses on its own to the module the script gave.
func TestSuiteModuleSources(t *testing.T) {
	for _, m := range suiteModules(t) {
		alone, err := text.ParseModule([]byte(m.src))
		if (err == nil) != (m.def.Err == nil) {
			t.Errorf("%s: alone %v, in the script %v", m.where, err, m.def.Err)
			continue
		}
		if err != nil {
			continue
		}
		stripSource(alone)
		stripSource(m.def.Module)
		if d := firstDiff(alone, m.def.Module); d != "" {
			t.Errorf("%s: %s", m.where, d)
		}
	}
}
