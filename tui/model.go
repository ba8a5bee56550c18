package tui

import (
	"bytes"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/gcscope/gcscope/debugger"
	"github.com/gcscope/gcscope/debugger/commands"
)

// pane names a focusable part of the screen.
type pane int

const (
	paneCode    pane = iota // the code
	paneUpper               // stack and threads (tabs)
	paneLower               // locals, roots, inspector, heap (tabs)
	paneConsole             // the command line and its output
	paneOutput              // the program's output
	numPanes
)

// Tabs of the upper and lower right panes.
const (
	tabStack = iota
	tabThreads
)

const (
	tabLocals = iota
	tabRoots
	tabInspect
	tabHeap
)

var (
	upperTabs = []string{"Stack", "Threads"}
	lowerTabs = []string{"Locals", "Roots", "Inspect", "Heap"}
)

// Model is the TUI's state: one per session. It implements tea.Model;
// use it as a pointer.
type Model struct {
	s      *debugger.Session
	con    *commands.Console
	conOut *bytes.Buffer // what the console writes, moved to the console pane

	w, h     int
	focus    pane
	upperTab int
	lowerTab int
	showHelp bool

	state  debugger.State
	exited bool
	status string // the last stop or exit, one line

	code    codePane
	stack   stackPane
	threads threadsPane
	vars    varsPane
	roots   rootsPane
	insp    inspector
	heap    heapPane
	secs    sectionsPane // AOT sessions (sections.go)
	console consolePane
	output  outputPane

	// layout records where each pane was drawn, for the mouse.
	layout map[pane]rect
	quit   bool
}

// rect is a pane's place on the screen.
type rect struct{ x, y, w, h int }

func (r rect) has(x, y int) bool { return x >= r.x && x < r.x+r.w && y >= r.y && y < r.y+r.h }

// New returns the TUI over a session. The session must be fresh: its
// first event, the entry stop, is read by the model.
func New(s *debugger.Session) *Model {
	buf := &bytes.Buffer{}
	c := commands.New(s, buf)
	m := &Model{s: s, con: c, conOut: buf, w: 100, h: 30, state: debugger.StateRunning,
		layout: map[pane]rect{}, focus: paneCode}
	m.code.init(s)
	m.heap.sortBy = sortBytes
	return m
}

// SetSize sets the screen size (tests; a running program gets
// tea.WindowSizeMsg).
func (m *Model) SetSize(w, h int) { m.w, m.h = w, h }

// Init starts reading the session's events.
func (m *Model) Init() tea.Cmd { return waitEvents(m.s) }

// Update handles a message: a session event, a key, the mouse, a resize.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.w, m.h = msg.Width, msg.Height
		return m, nil
	case eventsMsg:
		for _, ev := range msg {
			m.handleEvent(ev)
		}
		return m, waitEvents(m.s)
	case errMsg:
		m.console.add(msg.err.Error())
		if st := m.s.State(); st != m.state {
			m.state = st
			m.exited = st == debugger.StateExited
			m.refresh(false)
		}
		return m, nil
	case tea.KeyMsg:
		return m, m.key(msg)
	case tea.MouseMsg:
		return m, m.mouse(msg)
	default:
		if isShiftF11(msg) {
			return m, m.runCommand("finish", true)
		}
	}
	return m, nil
}

// handleEvent shows an event: stops and exits in the console as the CLI
// prints them, output in the output pane, and refreshes the panes.
func (m *Model) handleEvent(ev debugger.Event) {
	switch ev := ev.(type) {
	case *debugger.Output:
		m.output.add(ev.Text)
		return
	case *debugger.Stopped:
		m.state, m.exited = debugger.StateStopped, false
		m.con.Show(ev)
		m.status = stopStatus(ev)
	case *debugger.Exited:
		m.state, m.exited = debugger.StateExited, true
		m.con.Show(ev)
		m.status = "exited"
		if ev.Killed {
			m.status = "killed"
		}
	}
	m.flushConsole()
	m.refresh(true)
}

// flushConsole moves what the console wrote to the console pane.
func (m *Model) flushConsole() {
	if m.conOut.Len() > 0 {
		m.console.add(m.conOut.String())
		m.conOut.Reset()
	}
}

// refresh reads the stopped program into the panes; follow moves the code
// pane to the current line.
func (m *Model) refresh(follow bool) {
	m.code.refresh(m.s, follow)
	if m.state != debugger.StateStopped {
		return
	}
	m.stack.refresh(m.s)
	m.threads.refresh(m.s)
	m.vars.refresh(m.s)
	m.roots.refresh(m.s)
	m.insp.refresh(m.s)
	if m.lowerTab == tabHeap {
		m.heap.refresh(m.s)
	} else {
		m.heap.stale = true
	}
}
