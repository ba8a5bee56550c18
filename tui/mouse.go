package tui

import (
	tea "github.com/charmbracelet/bubbletea"
)

// mouse handles clicks (focus a pane, choose a tab, select a row, toggle
// a breakpoint in the code gutter) and the wheel (scroll).
func (m *Model) mouse(msg tea.MouseMsg) tea.Cmd {
	ev := tea.MouseEvent(msg)
	var p pane = -1
	var r rect
	for q, qr := range m.layout {
		if qr.has(ev.X, ev.Y) {
			p, r = q, qr
		}
	}
	if p < 0 || m.showHelp {
		return nil
	}
	row := ev.Y - r.y - 1 // row inside the frame
	switch ev.Button {
	case tea.MouseButtonWheelUp, tea.MouseButtonWheelDown:
		d := 3
		if ev.Button == tea.MouseButtonWheelUp {
			d = -3
		}
		switch p {
		case paneCode:
			m.code.top = max(0, min(m.code.top+d, len(m.code.lines)-1))
			m.code.cursor = min(max(m.code.cursor, m.code.top+1), m.code.top+m.code.h)
		case paneConsole:
			m.console.scroll = max(0, min(m.console.scroll-d, len(m.console.lines)-1))
		case paneOutput:
			m.output.scroll = max(0, min(m.output.scroll-d, len(m.output.lines)-1))
		}
		return nil
	}
	if ev.Action != tea.MouseActionPress || ev.Button != tea.MouseButtonLeft {
		return nil
	}
	m.focus = p
	if row < 0 {
		// The title: a tab.
		x := ev.X - r.x - 3
		switch p {
		case paneUpper:
			if t := tabAt(upperTabs, m.upperTab, x); t >= 0 {
				m.upperTab = t
			}
		case paneLower:
			if t := tabAt(m.lowerTabNames(), m.lowerTab, x); t >= 0 {
				m.setLowerTab(t)
			}
		}
		return nil
	}
	switch p {
	case paneCode:
		line := m.code.top + row + 1
		if line > len(m.code.lines) {
			return nil
		}
		m.code.cursor = line
		if ev.X-r.x <= 1 {
			return m.toggleBreakpoint(line)
		}
	case paneUpper:
		if m.upperTab == tabStack {
			m.stack.nav.sel = m.stack.nav.top + row - 1
			m.upperKey("down")
		} else {
			m.threads.nav.sel = m.threads.nav.top + row
		}
	case paneLower:
		switch m.lowerTab {
		case tabLocals:
			m.vars.nav.sel = min(m.vars.nav.top+row, max(0, m.vars.nav.n-1))
		case tabRoots:
			m.roots.nav.sel = min(m.roots.nav.top+row, max(0, m.roots.nav.n-1))
		case tabInspect:
			sel := m.insp.nav.top + row
			if sel < len(m.insp.rows) {
				if sel == m.insp.nav.sel {
					m.insp.toggle(m.s)
				}
				m.insp.nav.sel = sel
			}
		case tabHeap:
			if row == 0 {
				m.heap.cycle()
			}
		}
	}
	return nil
}

// tabAt finds the tab under column x of a tabTitle.
func tabAt(names []string, active, x int) int {
	pos := 0
	for i, n := range names {
		w := len([]rune(n))
		if i == active {
			w += 2
		}
		if x >= pos && x < pos+w {
			return i
		}
		pos += w + 1
	}
	return -1
}
