package debugger

import (
	"sort"

	"github.com/gcscope/gcscope/engine/wasm"
)

// codeIndex maps bytecode offsets to instructions and text lines to
// offsets, for places, stepping by line and line breakpoints.
type codeIndex struct {
	m      *wasm.Module
	nImp   uint32
	byLine map[int32][]loc // text line → instructions on it, in offset order
}

// loc is one instruction: function (index space), index in its body.
type loc struct {
	fn uint32
	i  int
}

func newCodeIndex(m *wasm.Module) *codeIndex {
	c := &codeIndex{m: m, nImp: uint32(m.NumImported(wasm.ExternFunc)), byLine: map[int32][]loc{}}
	for d := range m.Funcs {
		for i, in := range m.Funcs[d].Body {
			if in.Pos.IsValid() {
				c.byLine[in.Pos.Line] = append(c.byLine[in.Pos.Line], loc{c.nImp + uint32(d), i})
			}
		}
	}
	return c
}

// body returns the instructions of function fn (nil for an import).
func (c *codeIndex) body(fn uint32) []wasm.Instr {
	if fn < c.nImp || int64(fn-c.nImp) >= int64(len(c.m.Funcs)) {
		return nil
	}
	return c.m.Funcs[fn-c.nImp].Body
}

// instrAt returns the index in fn's body of the instruction at offset (or
// the last one starting before it).
func (c *codeIndex) instrAt(fn uint32, off uint32) (int, bool) {
	b := c.body(fn)
	if len(b) == 0 || off < b[0].Offset {
		return 0, false
	}
	i := sort.Search(len(b), func(j int) bool { return b[j].Offset > off }) - 1
	return i, i >= 0
}

// pos returns the text position of the instruction at offset in fn.
func (c *codeIndex) pos(fn uint32, off uint32) wasm.Pos {
	if i, ok := c.instrAt(fn, off); ok {
		return c.body(fn)[i].Pos
	}
	return wasm.Pos{}
}

// lineKey is what "the same line" means for stepping: the text line when
// the module came from text, else the instruction itself.
func (c *codeIndex) lineKey(fn uint32, off uint32) int64 {
	if p := c.pos(fn, off); p.IsValid() {
		return int64(p.Line)
	}
	return -1 - int64(off)
}

// funcOfOffset finds the function whose body holds a bytecode offset.
func (c *codeIndex) funcOfOffset(off uint32) (uint32, bool) {
	for d := range c.m.Funcs {
		b := c.m.Funcs[d].Body
		if len(b) > 0 && off >= b[0].Offset && off <= b[len(b)-1].Offset {
			return c.nImp + uint32(d), true
		}
	}
	return 0, false
}

// atLine returns the first instruction on text line, or on the next line
// that has one (up to 20 lines on), as gdb does for blank lines.
func (c *codeIndex) atLine(line int32) (loc, int32, bool) {
	for l := line; l < line+20; l++ {
		if ls := c.byLine[l]; len(ls) > 0 {
			best := ls[0]
			for _, x := range ls[1:] {
				if c.body(x.fn)[x.i].Offset < c.body(best.fn)[best.i].Offset {
					best = x
				}
			}
			return best, l, true
		}
	}
	return loc{}, 0, false
}
