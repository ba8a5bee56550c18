package tui

import (
	"fmt"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/gcscope/gcscope/debugger"
)

// key handles a key press.
func (m *Model) key(k tea.KeyMsg) tea.Cmd {
	ks := k.String()
	if m.showHelp {
		m.showHelp = false
		return nil
	}
	if m.code.typing {
		return m.searchKey(k)
	}
	// Keys that work everywhere, the console included.
	switch ks {
	case "f5":
		return m.runCommand("continue", true)
	case "f10":
		return m.runCommand("next", true)
	case "f11":
		return m.runCommand("step", true)
	case "f6":
		return m.pause()
	case "ctrl+c":
		if m.state == debugger.StateRunning {
			return m.pause()
		}
		if m.focus == paneConsole {
			m.console.input, m.console.pos = nil, 0
		}
		return nil
	case "shift+tab":
		m.focus = (m.focus + numPanes - 1) % numPanes
		return nil
	}
	if m.focus != paneConsole && k.Type == tea.KeyRunes && len(k.Runes) > 1 && k.Runes[0] == ':' {
		// ":cmd" typed faster than keys are read (or pasted).
		m.focus = paneConsole
		k.Runes = k.Runes[1:]
	}
	if m.focus == paneConsole {
		switch ks {
		case "esc":
			m.focus = paneCode
			return nil
		}
		if line, run := m.console.key(k, m.con.Complete); run {
			return m.runCommand(line, true)
		}
		return nil
	}
	switch ks {
	case "tab":
		m.focus = (m.focus + 1) % numPanes
		return nil
	case "?":
		m.showHelp = true
		return nil
	case "q", "ctrl+d":
		m.quit = true
		return tea.Quit
	case "c":
		return m.runCommand("continue", true)
	case "n":
		return m.runCommand("next", true)
	case "s":
		return m.runCommand("step", true)
	case "o":
		return m.runCommand("finish", true)
	case "p":
		return m.pause()
	case ":":
		m.focus = paneConsole
		return nil
	case "/":
		m.focus = paneCode
		m.code.typing, m.code.search, m.code.message = true, "", ""
		return nil
	case "b":
		return m.toggleBreakpoint(m.code.cursor)
	case "a":
		return m.runCommand(fmt.Sprintf("advance %d", m.code.cursor), true)
	case "[", "]":
		d := 1
		if ks == "[" {
			d = -1
		}
		if m.focus == paneUpper {
			m.upperTab = (m.upperTab + len(upperTabs) + d) % len(upperTabs)
		} else {
			n := len(m.lowerTabNames())
			m.setLowerTab((m.lowerTab + n + d) % n)
		}
		return nil
	case "K", "T":
		m.focus, m.upperTab = paneUpper, map[string]int{"K": tabStack, "T": tabThreads}[ks]
		return nil
	case "L", "R", "I", "H":
		m.focus = paneLower
		m.setLowerTab(map[string]int{"L": tabLocals, "R": tabRoots, "I": tabInspect, "H": tabHeap}[ks])
		return nil
	case "F":
		if len(m.lowerTabNames()) > tabSections {
			m.focus = paneLower
			m.setLowerTab(tabSections)
		}
		return nil
	}
	switch m.focus {
	case paneCode:
		m.codeKey(ks)
	case paneUpper:
		m.upperKey(ks)
	case paneLower:
		m.lowerKey(ks)
	case paneOutput:
		switch ks {
		case "up", "k":
			m.output.scroll = min(m.output.scroll+1, max(0, len(m.output.lines)-1))
		case "down", "j":
			m.output.scroll = max(0, m.output.scroll-1)
		case "pgup":
			m.output.scroll = min(m.output.scroll+10, max(0, len(m.output.lines)-1))
		case "pgdown":
			m.output.scroll = max(0, m.output.scroll-10)
		}
	}
	return nil
}

// setLowerTab switches the lower pane's tab, reading the heap when it
// is shown.
func (m *Model) setLowerTab(t int) {
	m.lowerTab = t
	if t == tabHeap && m.state == debugger.StateStopped {
		m.heap.refresh(m.s)
	}
}

// pause stops the running program (all threads).
func (m *Model) pause() tea.Cmd {
	if m.state != debugger.StateRunning {
		return nil
	}
	s := m.s
	return func() tea.Msg {
		if err := s.Pause(); err != nil {
			return errMsg{err}
		}
		return nil
	}
}

// toggleBreakpoint deletes the breakpoints on a line of the code pane, or
// sets one there, through the console's break and delete commands.
func (m *Model) toggleBreakpoint(line int) tea.Cmd {
	if line <= 0 {
		return nil
	}
	var ids string
	for _, bp := range m.s.Breakpoints() {
		if bpLine(m.s, bp) == line {
			ids += fmt.Sprintf(" %d", bp.ID)
		}
	}
	if ids != "" {
		return m.runCommand("delete"+ids, true)
	}
	return m.runCommand(fmt.Sprintf("break %d", line), true)
}

func (m *Model) searchKey(k tea.KeyMsg) tea.Cmd {
	c := &m.code
	switch k.Type {
	case tea.KeyEsc:
		c.typing = false
	case tea.KeyEnter:
		c.typing = false
		c.find(c.search)
	case tea.KeyBackspace:
		if r := []rune(c.search); len(r) > 0 {
			c.search = string(r[:len(r)-1])
		}
	case tea.KeySpace:
		c.search += " "
	case tea.KeyRunes:
		c.search += string(k.Runes)
	}
	return nil
}

func (m *Model) codeKey(ks string) {
	c := &m.code
	page := max(1, c.h-1)
	switch ks {
	case "up", "k":
		c.move(-1)
	case "down", "j":
		c.move(1)
	case "pgup":
		c.move(-page)
	case "pgdown":
		c.move(page)
	case "home", "g":
		c.move(-len(c.lines))
	case "end", "G":
		c.move(len(c.lines))
	case "left", "h":
		c.left = max(0, c.left-8)
	case "right", "l":
		c.left += 8
	case ".":
		c.left = 0
		if c.cur > 0 {
			c.cursor = c.cur
			c.center()
		}
	case "enter":
		c.find("")
	}
}

func (m *Model) upperKey(ks string) {
	if m.upperTab == tabThreads {
		switch ks {
		case "up", "k":
			m.threads.nav.move(-1)
		case "down", "j":
			m.threads.nav.move(1)
		case "enter":
			if i := m.threads.nav.sel; i < len(m.threads.threads) {
				if err := m.s.SelectThread(m.threads.threads[i].ID); err != nil {
					m.console.add(err.Error())
				}
				m.refresh(true)
			}
		}
		return
	}
	d := map[string]int{"up": -1, "k": -1, "down": 1, "j": 1, "pgup": -5, "pgdown": 5}[ks]
	if d == 0 || len(m.stack.frames) == 0 {
		return
	}
	m.stack.nav.move(d)
	if _, err := m.s.SelectFrame(m.stack.frames[m.stack.nav.sel].Index); err != nil {
		m.console.add(err.Error())
	}
	m.refresh(true)
}

func (m *Model) lowerKey(ks string) {
	var nav *listNav
	switch m.lowerTab {
	case tabLocals:
		nav = &m.vars.nav
		if ks == "enter" {
			if e := m.vars.selected(); e != "" {
				m.insp.show(m.s, e)
				m.lowerTab = tabInspect
			}
		}
	case tabRoots:
		nav = &m.roots.nav
		if ks == "enter" {
			if e := m.roots.selected(); e != "" {
				m.insp.show(m.s, e)
				m.lowerTab = tabInspect
			}
		}
	case tabInspect:
		nav = &m.insp.nav
		switch ks {
		case "enter", " ":
			m.insp.toggle(m.s)
		case "right", "l":
			m.insp.follow(m.s)
		case "left", "h", "backspace":
			m.insp.back(m.s)
		case "pgdown":
			m.insp.pageBy(m.s, 1)
			return
		case "pgup":
			m.insp.pageBy(m.s, -1)
			return
		}
	case tabHeap:
		nav = &m.heap.nav
		if ks == "S" {
			m.heap.cycle()
		}
	case tabSections:
		nav = &m.secs.nav
		switch ks {
		case "pgdown", "pgup":
			m.secs.page(map[string]int{"pgdown": 1, "pgup": -1}[ks])
			return
		}
	}
	switch ks {
	case "up", "k":
		nav.move(-1)
	case "down", "j":
		nav.move(1)
	case "pgup":
		nav.move(-5)
	case "pgdown":
		nav.move(5)
	case "home":
		nav.move(-nav.n)
	case "end":
		nav.move(nav.n)
	}
}
