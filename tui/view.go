package tui

import (
	"fmt"
	"strings"

	"github.com/gcscope/gcscope/debugger"
)

// Smallest screen drawn in full; below it the panes are squeezed.
const minW, minH = 40, 12

// View draws the screen: status line, code and the right-hand panes,
// console and output, and the help bar.
func (m *Model) View() string {
	if m.quit {
		return ""
	}
	w, h := max(m.w, minW), max(m.h, minH)
	rem := h - 2
	bottomH := max(4, rem*2/5)
	topH := rem - bottomH
	leftW := w * 3 / 5
	rightW := w - leftW
	upperH := max(3, topH*2/5)
	lowerH := topH - upperH

	m.layout = map[pane]rect{
		paneCode:    {0, 1, leftW, topH},
		paneUpper:   {leftW, 1, rightW, upperH},
		paneLower:   {leftW, 1 + upperH, rightW, lowerH},
		paneConsole: {0, 1 + topH, leftW, bottomH},
		paneOutput:  {leftW, 1 + topH, rightW, bottomH},
	}
	var body []string
	if m.showHelp {
		body = box("Help (any key closes)", helpLines(rem-2), w, rem, true)
	} else {
		code := box(m.code.title(), m.code.view(leftW-2, topH-2, m.focus == paneCode), leftW, topH, m.focus == paneCode)
		upper := box(tabTitle(upperTabs, m.upperTab), m.upperView(upperH-2), rightW, upperH, m.focus == paneUpper)
		lower := box(m.lowerTitle(), m.lowerView(rightW-2, lowerH-2), rightW, lowerH, m.focus == paneLower)
		console := box("Console", m.console.view(leftW-2, bottomH-2, m.focus == paneConsole), leftW, bottomH, m.focus == paneConsole)
		output := box("Output", m.output.view(bottomH-2), rightW, bottomH, m.focus == paneOutput)
		body = append(hjoin(code, append(upper, lower...)), hjoin(console, output)...)
	}
	lines := append([]string{stStatus.Render(fit(m.statusLine(), w))}, body...)
	lines = append(lines, fit(m.helpBar(w), w))
	return strings.Join(lines, "\n")
}

// statusLine is the top line: target, state, where, thread.
func (m *Model) statusLine() string {
	st := string(m.state)
	if m.status != "" && m.state != debugger.StateRunning {
		st = m.status
	}
	if m.state == debugger.StateRunning {
		st = "running (Ctrl-C pauses)"
	}
	return fmt.Sprintf(" gcscope debug %s │ %s │ thread %d", m.s.Name(), st, m.threads.current())
}

// notStopped says why there is nothing to read ("" when stopped).
func (m *Model) notStopped() string {
	switch m.state {
	case debugger.StateRunning:
		return "(the program is running)"
	case debugger.StateExited:
		return "(ended: restart runs it again)"
	}
	return ""
}

func (m *Model) upperView(h int) []string {
	if msg := m.notStopped(); msg != "" && m.upperTab == tabStack {
		return []string{stDim.Render(msg)}
	}
	if m.upperTab == tabThreads {
		return m.threads.view(h, m.focus == paneUpper)
	}
	return m.stack.view(h, m.focus == paneUpper)
}

func (m *Model) lowerTitle() string {
	names := append([]string(nil), m.lowerTabNames()...)
	switch m.lowerTab {
	case tabInspect:
		names[tabInspect] = m.insp.title()
	case tabHeap:
		names[tabHeap] = m.heap.title()
	}
	return tabTitle(names, m.lowerTab)
}

func (m *Model) lowerView(w, h int) []string {
	f := m.focus == paneLower
	if m.lowerTab == tabSections {
		return m.secs.view(m.s, w, h, f) // the file, readable in any state
	}
	if msg := m.notStopped(); msg != "" {
		return []string{stDim.Render(msg)}
	}
	switch m.lowerTab {
	case tabRoots:
		return m.roots.view(h, f)
	case tabInspect:
		return m.insp.view(h, f)
	case tabHeap:
		if m.heap.stale && m.state == debugger.StateStopped {
			m.heap.refresh(m.s)
		}
		return m.heap.view(h, f)
	}
	return m.vars.view(h, f)
}
