package tui

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/gcscope/gcscope/aotdump"
	"github.com/gcscope/gcscope/debugger"
)

// tabSections is the lower pane's tab of an AOT session: the .aot file's
// sections (name, offset, size) and the selected one decoded, as
// `gcscope dump --section NAME` prints it (aotdump reads, its printer
// prints: the pane only lays the text out).
const tabSections = 4

// lowerTabNames are the lower pane's tabs: Sections only when the
// session runs native code.
func (m *Model) lowerTabNames() []string {
	if m.s.Tier() == "aot" {
		return append(append([]string(nil), lowerTabs...), "Sections")
	}
	return lowerTabs
}

// sectionsPane lists the sections of the .aot file and shows the
// selected one's text, scrolled with PgUp/PgDn.
type sectionsPane struct {
	dump   *aotdump.Dump
	err    string
	nav    listNav
	shown  int // the section whose text is in text, -1 before any
	text   []string
	scroll int
}

// load reads the session's .aot file once; its sections never change.
func (p *sectionsPane) load(s *debugger.Session) {
	if p.dump != nil || p.err != "" {
		return
	}
	b, err := s.AOTFile()
	if err != nil {
		p.err = err.Error()
		return
	}
	d, err := aotdump.Read(b)
	if err != nil && d == nil {
		p.err = err.Error()
		return
	}
	p.dump, p.shown = d, -1
}

// decode prints section i with aotdump's text printer, without the
// title line the printer starts with.
func (p *sectionsPane) decode(s *debugger.Session, i int) {
	p.shown, p.scroll = i, 0
	var buf bytes.Buffer
	sec := &p.dump.Sections[i]
	opts := aotdump.Options{Sections: []string{fmt.Sprintf("0x%x", sec.ID)}, NoProblems: true, Source: s.Module()}
	if err := aotdump.WriteText(&buf, p.dump, opts); err != nil {
		p.text = []string{err.Error()}
		return
	}
	lines := strings.Split(strings.TrimRight(buf.String(), "\n"), "\n")
	for len(lines) > 0 && !strings.HasPrefix(lines[0], "Section ") {
		lines = lines[1:]
	}
	p.text = lines
}

// page scrolls the decoded text by d screens' worth of lines.
func (p *sectionsPane) page(d int) {
	p.scroll = min(max(0, p.scroll+d*5), max(0, len(p.text)-1))
}

func (p *sectionsPane) view(s *debugger.Session, w, h int, focused bool) []string {
	p.load(s)
	if p.err != "" {
		return []string{stDim.Render(p.err)}
	}
	secs := p.dump.Sections
	listH := min(len(secs), max(2, (h-2)/3))
	var items []string
	for _, sec := range secs {
		items = append(items, fmt.Sprintf("%-14s 0x%08x %9d", sec.Name, sec.Offset, sec.Size))
	}
	out := []string{stDim.Render(fmt.Sprintf("  %-14s %-10s %9s", "section", "offset", "size"))}
	out = append(out, p.nav.rows(items, listH, focused)...)
	if len(secs) == 0 {
		return out
	}
	if p.nav.sel != p.shown {
		p.decode(s, p.nav.sel)
	}
	out = append(out, stDim.Render(strings.Repeat("─", max(0, w))))
	for _, l := range p.text[min(p.scroll, len(p.text)):] {
		if len(out) >= h {
			break
		}
		out = append(out, l)
	}
	return out
}
