package tui

import (
	"errors"
	"fmt"
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/gcscope/gcscope/debugger"
	"github.com/gcscope/gcscope/debugger/commands"
)

// eventsMsg carries session events to Update, in order.
type eventsMsg []debugger.Event

// errMsg is an error of a call made off the UI goroutine.
type errMsg struct{ err error }

// maxBatch bounds how many queued events one message carries.
const maxBatch = 256

// waitEvents reads the next events of the session: it blocks (in its own
// goroutine, as every tea.Cmd) until one comes, then takes those queued
// behind it.
func waitEvents(s *debugger.Session) tea.Cmd {
	return func() tea.Msg {
		ev, ok := <-s.Events()
		if !ok {
			return nil
		}
		evs := eventsMsg{ev}
		for len(evs) < maxBatch {
			select {
			case ev, ok := <-s.Events():
				if !ok {
					return evs
				}
				evs = append(evs, ev)
			default:
				return evs
			}
		}
		return evs
	}
}

// stopStatus is the status line's account of a stop.
func stopStatus(ev *debugger.Stopped) string {
	where := ev.Place.Name
	if ev.Place.Pos.IsValid() {
		where += fmt.Sprintf(" at %s:%d", ev.Place.File, ev.Place.Pos.Line)
	} else if !ev.Place.Host {
		where += fmt.Sprintf("+0x%x", ev.Place.Rel)
	}
	switch ev.Reason {
	case debugger.ReasonBreakpoint:
		if ev.Breakpoint != 0 {
			return fmt.Sprintf("breakpoint %d, %s", ev.Breakpoint, where)
		}
	case debugger.ReasonTrap:
		return "trapped in " + where
	}
	return fmt.Sprintf("stopped (%s), %s", ev.Reason, where)
}

// isShiftF11 recognizes Shift-F11 (xterm's CSI 23;2~), which bubbletea v1
// passes on as an unknown sequence.
func isShiftF11(msg tea.Msg) bool {
	s, ok := msg.(fmt.Stringer)
	return ok && strings.HasPrefix(s.String(), "?CSI") && strings.HasSuffix(s.String(), "[50 51 59 50 126]?")
}

// runCommand runs a console line, echoed after the prompt as in a batch
// transcript. Commands that let the program run are started from a
// tea.Cmd and their stop arrives as an event, so the UI never waits for
// the program; every other command runs through commands.Console at once
// (while the program runs they refuse quickly with ErrRunning).
func (m *Model) runCommand(line string, echo bool) tea.Cmd {
	line = strings.TrimSpace(line)
	if echo {
		m.console.add(commands.Prompt + line)
	}
	name, rest := splitCommand(line)
	if cmd := commands.Lookup(name); cmd != nil && cmd.Group == "running" {
		f, err := m.runFunc(cmd, rest, strings.HasPrefix(rest, "/"))
		if err != nil {
			m.console.add(err.Error())
			return nil
		}
		if cmd.Name != "pause" && cmd.Name != "kill" {
			m.state = debugger.StateRunning
			m.status = "running"
		}
		return func() tea.Msg {
			if err := f(); err != nil {
				return errMsg{err}
			}
			return nil
		}
	}
	err := m.con.Exec(line)
	m.flushConsole()
	if errors.Is(err, commands.ErrQuit) {
		m.quit = true
		return tea.Quit
	}
	if err != nil {
		m.console.add(err.Error())
	}
	if first, arg := splitCommand(line); arg != "" && (first == "inspect" || first == "explore") && err == nil {
		m.insp.show(m.s, arg)
		m.lowerTab = tabInspect
	}
	m.refresh(false)
	return nil
}

// splitCommand separates the command word from its arguments (a /FORMAT
// stays with the arguments).
func splitCommand(line string) (name, rest string) {
	end := strings.IndexAny(line, " \t/")
	if end < 0 {
		return line, ""
	}
	return line[:end], strings.TrimSpace(line[end:])
}

// runFunc is the session call of a running command, checked as
// commands.Console checks it.
func (m *Model) runFunc(cmd *commands.Command, args string, format bool) (func() error, error) {
	if format {
		return nil, fmt.Errorf("%s takes no /FORMAT (usage: %s)", cmd.Name, cmd.Usage)
	}
	if args != "" && cmd.Usage == cmd.Name {
		return nil, fmt.Errorf("%s takes no arguments (usage: %s)", cmd.Name, cmd.Usage)
	}
	s := m.s
	switch cmd.Name {
	case "continue":
		return s.Continue, nil
	case "step":
		return s.Step, nil
	case "next":
		return s.Next, nil
	case "stepi":
		return s.StepInstruction, nil
	case "finish":
		return s.Finish, nil
	case "until":
		if args == "" {
			return s.Until, nil
		}
		return func() error { return s.RunTo(args) }, nil
	case "advance":
		if args == "" {
			return nil, fmt.Errorf("usage: advance PLACE")
		}
		return func() error { return s.RunTo(args) }, nil
	case "pause":
		return s.Pause, nil
	case "kill":
		if m.exited {
			return nil, fmt.Errorf("the program is not running")
		}
		return s.Kill, nil
	case "restart":
		return s.Restart, nil
	}
	return nil, fmt.Errorf("%s: not available in the TUI", cmd.Name)
}
