package tui

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/gcscope/gcscope/debugger"
)

// driver runs the model the way tea.Program does, but synchronously:
// messages go to Update, the commands it returns run at once, and the
// session's events are read until the program stops.
type driver struct {
	t *testing.T
	s *debugger.Session
	m *Model
}

// newDriver starts a session of path (relative to the package) and waits
// for its entry stop.
func newDriver(t *testing.T, path, invoke string, args ...string) *driver {
	t.Helper()
	return newDriverWith(t, debugger.Options{Path: path, Invoke: invoke, Args: args})
}

// newDriverWith starts a session with opts and waits for its entry stop.
func newDriverWith(t *testing.T, opts debugger.Options) *driver {
	t.Helper()
	s, err := debugger.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	d := &driver{t: t, s: s, m: New(s)}
	d.m.SetSize(100, 30)
	d.wait()
	return d
}

// example is the path of an example program.
func example(name string) string { return filepath.Join("..", "examples", name) }

// send gives the model a message and runs what it returns.
func (d *driver) send(msg tea.Msg) {
	d.t.Helper()
	_, cmd := d.m.Update(msg)
	if _, ok := msg.(eventsMsg); ok {
		return // the command reads the next events: wait does that here
	}
	d.run(cmd)
}

func (d *driver) run(cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	switch msg := cmd().(type) {
	case nil, tea.QuitMsg:
	case tea.BatchMsg:
		for _, c := range msg {
			d.run(c)
		}
	default:
		d.send(msg)
	}
}

// keys sends key presses: names as tea writes them ("f5", "enter",
// "down", "tab", "ctrl+c") or text, sent rune by rune.
func (d *driver) keys(ks ...string) {
	d.t.Helper()
	for _, k := range ks {
		if t, ok := keyTypes[k]; ok {
			d.send(tea.KeyMsg{Type: t})
			continue
		}
		for _, r := range k {
			if r == ' ' {
				d.send(tea.KeyMsg{Type: tea.KeySpace, Runes: []rune{' '}})
			} else {
				d.send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
			}
		}
	}
}

var keyTypes = map[string]tea.KeyType{
	"f5": tea.KeyF5, "f6": tea.KeyF6, "f10": tea.KeyF10, "f11": tea.KeyF11, "enter": tea.KeyEnter,
	"esc": tea.KeyEsc, "tab": tea.KeyTab, "shift+tab": tea.KeyShiftTab, "up": tea.KeyUp, "down": tea.KeyDown,
	"left": tea.KeyLeft, "right": tea.KeyRight, "pgup": tea.KeyPgUp, "pgdown": tea.KeyPgDown,
	"ctrl+c": tea.KeyCtrlC, "backspace": tea.KeyBackspace,
}

// command types a console command and runs it.
func (d *driver) command(line string) {
	d.t.Helper()
	d.keys(":", line, "enter", "esc")
}

// wait reads events until the program stops or exits.
func (d *driver) wait() {
	d.t.Helper()
	timeout := time.After(10 * time.Second)
	for {
		select {
		case ev := <-d.s.Events():
			d.send(eventsMsg{ev})
			switch ev.(type) {
			case *debugger.Stopped, *debugger.Exited:
				return
			}
		case <-timeout:
			d.t.Fatal("the program did not stop within 10s")
		}
	}
}

// screen renders the model at w×h, without escape sequences.
func (d *driver) screen(w, h int) string {
	d.m.SetSize(w, h)
	return ansi.Strip(d.m.View())
}

// contains fails unless the screen holds each of want.
func (d *driver) contains(want ...string) {
	d.t.Helper()
	scr := d.screen(100, 30)
	for _, w := range want {
		if !strings.Contains(scr, w) {
			d.t.Errorf("screen lacks %q:\n%s", w, scr)
		}
	}
}
