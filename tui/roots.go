package tui

import (
	"fmt"

	"github.com/gcscope/gcscope/debugger"
)

// rootsPane lists the collector's roots by category; enter inspects a
// root that has a name (a local or a global).
type rootsPane struct {
	roots []debugger.RootInfo
	nav   listNav
	err   string
}

func (p *rootsPane) refresh(s *debugger.Session) {
	p.roots, p.err = nil, ""
	r, err := s.Roots()
	if err != nil {
		p.err = err.Error()
		return
	}
	p.roots = r
	p.nav.n = len(r)
}

// selected returns an expression for the selected root, if it has one:
// a global, or a local of the innermost frame.
func (p *rootsPane) selected() string {
	if p.nav.sel >= len(p.roots) {
		return ""
	}
	r := p.roots[p.nav.sel]
	var name string
	if _, err := fmt.Sscanf(r.Place, "global %s", &name); err == nil {
		return name
	}
	return ""
}

func (p *rootsPane) view(h int, focused bool) []string {
	if p.err != "" {
		return []string{stDim.Render(p.err)}
	}
	if len(p.roots) == 0 {
		return []string{stDim.Render("(no roots hold objects)")}
	}
	items := make([]string, len(p.roots))
	for i, r := range p.roots {
		items[i] = fmt.Sprintf("%-9s %s -> %s", r.Category, r.Place, r.Target)
	}
	return p.nav.rows(items, h, focused)
}
