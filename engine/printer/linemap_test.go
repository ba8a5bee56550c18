package printer

import (
	"strings"
	"testing"

	"github.com/gcscope/gcscope/engine/wasm"
)

// checkLineMap verifies, for every instruction of every function, that the
// line the map names holds that instruction's text, and that the reverse
// lookups agree.
func checkLineMap(t *testing.T, m *wasm.Module, text string, lm *LineMap, folded bool) {
	t.Helper()
	lines := strings.Split(strings.TrimSuffix(text, "\n"), "\n")
	if lm.Lines() != len(lines) {
		t.Fatalf("Lines() = %d, printed %d", lm.Lines(), len(lines))
	}
	imp := uint32(m.NumImported(wasm.ExternFunc))
	for d := range m.Funcs {
		fi := imp + uint32(d)
		first, last, ok := lm.FuncLines(fi)
		if !ok || !strings.HasPrefix(strings.TrimSpace(lines[first-1]), "(func") {
			t.Fatalf("func %d: FuncLines = %d, %d, %v", fi, first, last, ok)
		}
		if got, ok := lm.FuncAt(first); !ok || got != fi {
			t.Errorf("FuncAt(%d) = %d, %v; want %d", first, got, ok, fi)
		}
		body := m.Funcs[d].Body
		for i := range body {
			in := &body[i]
			line, ok := lm.InstrLine(fi, i)
			if !ok || line < first || line > last {
				t.Fatalf("func %d instr %d (%s): line %d, %v; function spans %d-%d", fi, i, in.Op, line, ok, first, last)
			}
			text := strings.TrimSpace(lines[line-1])
			name := wasm.Lookup(in.Op).Name
			switch {
			case in.Op == wasm.OpEnd && (folded || i == len(body)-1):
				if !strings.HasSuffix(text, ")") {
					t.Errorf("func %d end %d on line %d %q, which closes nothing", fi, i, line, text)
				}
			case folded:
				if !strings.HasPrefix(text, "("+name) {
					t.Errorf("func %d instr %d: line %d is %q, want (%s", fi, i, line, text, name)
				}
			default:
				if !strings.HasPrefix(text, name) {
					t.Errorf("func %d instr %d: line %d is %q, want %s", fi, i, line, text, name)
				}
			}
			if f, j, ok := lm.At(line); !ok || f != fi {
				t.Errorf("At(%d) = %d, %d, %v; want func %d", line, f, j, ok, fi)
			} else if l2, _ := lm.InstrLine(f, j); l2 != line {
				t.Errorf("At(%d) names instr %d, which is on line %d", line, j, l2)
			}
		}
	}
}

func TestLineMapSamples(t *testing.T) {
	for _, m := range []*wasm.Module{gcModule(), mvpModule()} {
		for _, folded := range []bool{false, true} {
			text, lm := printString(t, m, Options{Folded: folded})
			checkLineMap(t, m, text, lm, folded)
		}
	}
}

// TestLineMapExact pins the lines of one small function, so an off-by-one
// that shifts every line alike still fails.
func TestLineMapExact(t *testing.T) {
	m := gcModule()
	// Give the instructions offsets as a decoder would: main's start at
	// 100 and are 2 bytes each.
	for d := range m.Funcs {
		body := m.Funcs[d].Body
		for i := range body {
			body[i].Offset = uint32(100*d + 2*i)
		}
	}
	m.Funcs[0].Body[0].Offset = 10
	text, lm := printString(t, m, Options{})
	lines := strings.Split(text, "\n")
	first, last, _ := lm.FuncLines(1)
	if lines[first-1] != "  (func $main (;1;) (type 5) (result i32)" || first != 19 || last != 30 {
		t.Fatalf("main spans %d-%d, starting %q", first, last, lines[first-1])
	}
	want := []int{21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 30} // the final end closes the function on line 30
	for i, w := range want {
		if got, _ := lm.InstrLine(1, i); got != w {
			t.Errorf("instr %d on line %d, want %d", i, got, w)
		}
	}
	if f, i, ok := lm.At(20); ok {
		t.Errorf("the locals line maps to instr %d of %d", i, f)
	}
	if f, i, ok := lm.At(24); !ok || f != 1 || i != 3 {
		t.Errorf("At(24) = %d, %d, %v; want 1, 3", f, i, ok)
	}
	for _, c := range []struct {
		off  uint32
		line int
		ok   bool
	}{{100, 21, true}, {101, 21, true}, {106, 24, true}, {120, 30, true}, {99, 0, false}, {121, 0, false}} {
		line, ok := lm.OffsetLine(c.off)
		if line != c.line || ok != c.ok {
			t.Errorf("OffsetLine(%d) = %d, %v; want %d, %v", c.off, line, ok, c.line, c.ok)
		}
	}
	if _, ok := lm.InstrLine(0, 99); ok {
		t.Error("InstrLine accepts an index past the body")
	}
	if _, ok := lm.InstrLine(7, 0); ok {
		t.Error("InstrLine accepts a function past the module")
	}
	if _, ok := lm.FuncAt(3); ok {
		t.Error("FuncAt names a function on a type line")
	}
}
