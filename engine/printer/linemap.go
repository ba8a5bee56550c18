package printer

import (
	"sort"

	"github.com/gcscope/gcscope/engine/wasm"
)

// LineMap records where Print put each function and instruction, so a code
// view can show the text around an instruction and turn a clicked line back
// into an instruction. Lines are 1-based. Functions are numbered in the
// function index space (imports first); instructions by their index in
// Func.Body, the final End included (it sits on the line that closes the
// function). The map refers to the printed module for offset lookups, so
// the module must not change while the map is in use.
type LineMap struct {
	m           *wasm.Module
	lines       int
	numImported uint32
	funcStart   []int32   // by function index; 0 when not printed
	funcEnd     []int32   // last line of the function's text
	instrLines  [][]int32 // by defined function, then instruction index
	byLine      []place   // index line-1: the first instruction printed there
}

// place is an instruction: defined function fn (index space) and index i;
// i < 0 marks a line that holds no instruction.
type place struct {
	fn uint32
	i  int32
}

func newLineMap(m *wasm.Module) *LineMap {
	imp := uint32(m.NumImported(wasm.ExternFunc))
	n := int(imp) + len(m.Funcs)
	lm := &LineMap{m: m, numImported: imp, funcStart: make([]int32, n), funcEnd: make([]int32, n),
		instrLines: make([][]int32, len(m.Funcs))}
	for i := range m.Funcs {
		lm.instrLines[i] = make([]int32, len(m.Funcs[i].Body))
	}
	return lm
}

func (lm *LineMap) setFuncStart(f uint32, line int) {
	if int64(f) < int64(len(lm.funcStart)) {
		lm.funcStart[f] = int32(line)
		lm.funcEnd[f] = int32(line)
	}
}

func (lm *LineMap) setFuncEnd(f uint32, line int) {
	if int64(f) < int64(len(lm.funcEnd)) {
		lm.funcEnd[f] = int32(line)
	}
}

// setInstr records that instruction i of defined function d is on line.
func (lm *LineMap) setInstr(d uint32, i int, line int) {
	lm.instrLines[d][i] = int32(line)
}

// finish builds the reverse map once all lines are known.
func (lm *LineMap) finish(lines int) {
	lm.lines = lines
	lm.byLine = make([]place, lines)
	for i := range lm.byLine {
		lm.byLine[i].i = -1
	}
	for d, ls := range lm.instrLines {
		for i, l := range ls {
			if l > 0 && int(l) <= lines && lm.byLine[l-1].i < 0 {
				lm.byLine[l-1] = place{fn: lm.numImported + uint32(d), i: int32(i)}
			}
		}
	}
}

// Lines returns the number of lines printed.
func (lm *LineMap) Lines() int { return lm.lines }

// FuncLines returns the first and last line of function f's text (for an
// imported function, its import line twice), and false if f was not
// printed.
func (lm *LineMap) FuncLines(f uint32) (first, last int, ok bool) {
	if int64(f) >= int64(len(lm.funcStart)) || lm.funcStart[f] == 0 {
		return 0, 0, false
	}
	return int(lm.funcStart[f]), int(lm.funcEnd[f]), true
}

// InstrLine returns the line holding instruction i of function f.
func (lm *LineMap) InstrLine(f uint32, i int) (int, bool) {
	if f < lm.numImported || int64(f-lm.numImported) >= int64(len(lm.instrLines)) {
		return 0, false
	}
	ls := lm.instrLines[f-lm.numImported]
	if i < 0 || i >= len(ls) || ls[i] == 0 {
		return 0, false
	}
	return int(ls[i]), true
}

// At returns the instruction printed on line (the first one, if several
// share it), and false if the line holds no instruction.
func (lm *LineMap) At(line int) (f uint32, i int, ok bool) {
	if line < 1 || line > len(lm.byLine) || lm.byLine[line-1].i < 0 {
		return 0, 0, false
	}
	pl := lm.byLine[line-1]
	return pl.fn, int(pl.i), true
}

// FuncAt returns the function whose text covers line.
func (lm *LineMap) FuncAt(line int) (uint32, bool) {
	// Functions are printed in index order, so their start lines increase
	// (imports and definitions alike).
	n := len(lm.funcStart)
	k := sort.Search(n, func(j int) bool { return lm.funcStart[j] > int32(line) || lm.funcStart[j] == 0 })
	if k == 0 || lm.funcStart[k-1] == 0 || int32(line) > lm.funcEnd[k-1] {
		return 0, false
	}
	return uint32(k - 1), true
}

// Offset returns the instruction at a bytecode offset: the one starting
// there, or the one whose encoding contains it. It needs the offsets the
// decoder (or the encoder, for a text module) stored in Instr.Offset.
func (lm *LineMap) Offset(off uint32) (f uint32, i int, ok bool) {
	funcs := lm.m.Funcs
	// The code section stores bodies in order, so their offsets increase.
	d := sort.Search(len(funcs), func(j int) bool {
		b := funcs[j].Body
		return len(b) > 0 && b[0].Offset > off
	})
	if d == 0 {
		return 0, 0, false
	}
	body := funcs[d-1].Body
	if len(body) == 0 || body[0].Offset == 0 || off > body[len(body)-1].Offset {
		return 0, 0, false
	}
	i = sort.Search(len(body), func(j int) bool { return body[j].Offset > off }) - 1
	return lm.numImported + uint32(d-1), i, true
}

// OffsetLine returns the line of the instruction at a bytecode offset.
func (lm *LineMap) OffsetLine(off uint32) (int, bool) {
	f, i, ok := lm.Offset(off)
	if !ok {
		return 0, false
	}
	return lm.InstrLine(f, i)
}
