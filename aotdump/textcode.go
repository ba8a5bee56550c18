package aotdump

import (
	"bytes"
	"strconv"
	"strings"

	"github.com/gcscope/gcscope/engine/printer"
	"github.com/gcscope/gcscope/engine/wasm"
)

// watBodies prints m as WAT and returns each defined function's text
// (by defined index), dedented, or nil if printing failed.
func watBodies(m *wasm.Module) [][]string {
	var buf bytes.Buffer
	lm, err := safePrint(&buf, m)
	if err != nil {
		return nil
	}
	lines := strings.Split(buf.String(), "\n")
	base := importedCount(m, wasm.ExternFunc)
	out := make([][]string, len(m.Funcs))
	for i := range m.Funcs {
		first, last, ok := lm.FuncLines(base + uint32(i))
		if !ok || first < 1 || last > len(lines) || first > last {
			continue
		}
		body := make([]string, 0, last-first+1)
		for _, l := range lines[first-1 : last] {
			body = append(body, strings.TrimPrefix(l, "  "))
		}
		if last == lm.Lines() && strings.HasSuffix(body[len(body)-1], "))") {
			// The module's closing parenthesis shares the last line.
			body[len(body)-1] = strings.TrimSuffix(body[len(body)-1], ")")
		}
		out[i] = body
	}
	return out
}

// safePrint runs printer.Print, turning a panic into an error.
func safePrint(buf *bytes.Buffer, m *wasm.Module) (lm *printer.LineMap, err error) {
	defer func() {
		if r := recover(); r != nil {
			lm, err = nil, errPrinter
		}
	}()
	return printer.Print(buf, m, printer.Options{})
}

type printerError struct{}

func (printerError) Error() string { return "internal error in the WAT printer" }

var errPrinter error = printerError{}

// code prints every defined function of a .wasm file with its body as WAT.
func (t *textWriter) code() {
	m := t.d.Module
	bodies := watBodies(m)
	base := importedCount(m, wasm.ExternFunc)
	for i := range m.Funcs {
		f := &m.Funcs[i]
		fi := base + uint32(i)
		t.line("  %s: type %d (%s), body at 0x%x, %d bytes, %d locals",
			named("func "+strconv.Itoa(int(fi)), m.FuncName(fi)), f.TypeIndex, funcTypeString(m, f.TypeIndex),
			f.Offset, bodySize(m.Binary, f), len(f.Locals))
		if i < len(bodies) {
			for _, l := range bodies[i] {
				t.line("    %s", l)
			}
		}
	}
}
