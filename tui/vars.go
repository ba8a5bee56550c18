package tui

import (
	"github.com/gcscope/gcscope/debugger"
)

// varsPane shows the selected frame's parameters and locals, then its
// operand stack; enter opens the selected value in the inspector.
type varsPane struct {
	locals, operands []debugger.Var
	nav              listNav
	err              string
}

func (p *varsPane) refresh(s *debugger.Session) {
	p.locals, p.operands, p.err = nil, nil, ""
	var err error
	if p.locals, err = s.Locals(); err != nil {
		p.err = err.Error()
		return
	}
	p.operands, _ = s.Operands()
	p.nav.n = len(p.locals)
}

// selected returns the expression of the selected row ("" for an
// operand, which has no name to evaluate).
func (p *varsPane) selected() string {
	if p.nav.sel < len(p.locals) {
		return p.locals[p.nav.sel].Name
	}
	return ""
}

func (p *varsPane) view(h int, focused bool) []string {
	if p.err != "" {
		return []string{stDim.Render(p.err)}
	}
	var items []string
	for _, v := range p.locals {
		items = append(items, v.Name+": "+v.Type+" = "+v.Text)
	}
	rows := p.nav.rows(items, h-1-min(len(p.operands), 3), focused)
	if len(p.locals) == 0 {
		rows = append(rows, stDim.Render("  (no locals)"))
	}
	rows = append(rows, stDim.Render("operands (top last):"))
	if len(p.operands) == 0 {
		rows = append(rows, "  (empty)")
	}
	for _, v := range p.operands {
		rows = append(rows, "  "+v.Type+" = "+v.Text)
	}
	return rows
}
