package debugger

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/gcscope/gcscope/engine/printer"
)

// printed is the module printed as WAT, with the printer's line map.
type printed struct {
	lines []string
	lm    *printer.LineMap
}

// disasm prints the module once (flat WAT, one instruction a line).
func (s *Session) disasm() *printed {
	s.printMu.Lock()
	defer s.printMu.Unlock()
	if s.printed == nil {
		var b bytes.Buffer
		lm, _ := printer.Print(&b, s.module, printer.Options{})
		s.printed = &printed{lines: strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n"), lm: lm}
	}
	return s.printed
}

// CodeLine is one line of a code listing.
type CodeLine struct {
	Line       int
	Text       string
	Current    bool // the selected frame's instruction is here
	Breakpoint bool // an enabled breakpoint is here
}

// Listing is a window of code: the disassembly or the WAT source.
type Listing struct {
	File  string // the source file, or "" for the disassembly
	Lines []CodeLine
}

// Disassemble shows the printed WAT around a place ("" for the selected
// frame's instruction), radius lines either side, the current instruction
// and breakpoints marked.
func (s *Session) Disassemble(spec string, radius int) (*Listing, error) {
	p := s.disasm()
	s.mu.Lock()
	defer s.mu.Unlock()
	center, cur, err := s.centerLocked(spec, p.lm.OffsetLine)
	if err != nil {
		return nil, err
	}
	bps := map[int]bool{}
	for _, bp := range s.bps {
		if l, ok := p.lm.OffsetLine(bp.Offset); ok && bp.Enabled {
			bps[l] = true
		}
	}
	return window(p.lines, center, radius, cur, bps, ""), nil
}

// List shows the WAT source around a place ("" for the selected frame's
// instruction); for a binary module it is the disassembly.
func (s *Session) List(spec string, radius int) (*Listing, error) {
	if s.src == nil {
		return s.Disassemble(spec, radius)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	lineOf := func(off uint32) (int, bool) {
		fn, ok := s.code.funcOfOffset(off)
		if !ok {
			return 0, false
		}
		p := s.code.pos(fn, off)
		return int(p.Line), p.IsValid()
	}
	center, cur, err := s.centerLocked(spec, lineOf)
	if err != nil {
		return nil, err
	}
	bps := map[int]bool{}
	for _, bp := range s.bps {
		if l, ok := lineOf(bp.Offset); ok && bp.Enabled {
			bps[l] = true
		}
	}
	lines := make([]string, len(s.lines))
	for i, l := range s.lines {
		lines[i] = strings.TrimRight(string(l), "\r")
	}
	return window(lines, center, radius, cur, bps, s.Name()), nil
}

// centerLocked finds the line to show around and the current line.
func (s *Session) centerLocked(spec string, lineOf func(uint32) (int, bool)) (center, cur int, err error) {
	if fr, ok := s.frameLocked(s.cur); ok && s.state == StateStopped && fr.Func != nil {
		cur, _ = lineOf(fr.Offset)
	}
	if spec == "" {
		if cur == 0 {
			return 0, 0, fmt.Errorf("no current instruction: give a place (%s)", locationHelp)
		}
		return cur, cur, nil
	}
	loc, err := s.resolve(spec, s.curFuncLocked())
	if err != nil {
		return 0, 0, err
	}
	center, ok := lineOf(loc.off)
	if !ok {
		return 0, 0, fmt.Errorf("no line for offset 0x%x", loc.off)
	}
	return center, cur, nil
}

func window(lines []string, center, radius, cur int, bps map[int]bool, file string) *Listing {
	out := &Listing{File: file}
	for l := max(1, center-radius); l <= center+radius && l <= len(lines); l++ {
		out.Lines = append(out.Lines, CodeLine{Line: l, Text: lines[l-1], Current: l == cur, Breakpoint: bps[l]})
	}
	return out
}
