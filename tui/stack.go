package tui

import (
	"fmt"
	"strings"

	"github.com/gcscope/gcscope/debugger"
)

// stackPane is the selected thread's call stack; moving the selection
// selects the frame (locals, code and print follow it).
type stackPane struct {
	frames []debugger.FrameInfo
	cur    int // the selected frame
	nav    listNav
	err    string
}

func (p *stackPane) refresh(s *debugger.Session) {
	p.frames, p.err = nil, ""
	bt, err := s.Backtrace()
	if err != nil {
		p.err = err.Error()
		return
	}
	p.frames = bt
	p.nav.n = len(bt)
	if f, err := s.CurrentFrame(); err == nil {
		p.cur = f.Index
		p.nav.sel = f.Index
	}
}

// frameLine is one frame: "#1 $fib ($n=5) +0xf fib.wat:18".
func frameLine(f debugger.FrameInfo) string {
	var args []string
	for _, a := range f.Args {
		args = append(args, a.Name+"="+a.Text)
	}
	s := fmt.Sprintf("#%-2d %s (%s)", f.Index, f.Place.Name, strings.Join(args, ", "))
	if f.Place.Host {
		return s + " <host>"
	}
	s += fmt.Sprintf(" +0x%x", f.Place.Rel)
	if f.Place.Pos.IsValid() {
		s += fmt.Sprintf(" %s:%d", f.Place.File, f.Place.Pos.Line)
	}
	return s
}

func (p *stackPane) view(h int, focused bool) []string {
	if p.err != "" {
		return []string{stDim.Render(p.err)}
	}
	items := make([]string, len(p.frames))
	for i, f := range p.frames {
		items[i] = frameLine(f)
		if f.Index == p.cur {
			items[i] = "*" + items[i]
		} else {
			items[i] = " " + items[i]
		}
	}
	return p.nav.rows(items, h, focused)
}

// threadsPane lists the threads; enter makes the selected one current.
type threadsPane struct {
	threads []debugger.ThreadInfo
	nav     listNav
}

func (p *threadsPane) refresh(s *debugger.Session) {
	p.threads = s.Threads()
	p.nav.n = len(p.threads)
	// The cursor starts on the current thread (the one that stopped, or
	// the one just selected).
	for i, t := range p.threads {
		if t.Current {
			p.nav.sel = i
		}
	}
}

// current returns the current thread's number (1 when there is none).
func (p *threadsPane) current() int {
	for _, t := range p.threads {
		if t.Current {
			return t.ID
		}
	}
	return 1
}

func (p *threadsPane) view(h int, focused bool) []string {
	var items []string
	for _, t := range p.threads {
		cur := " "
		if t.Current {
			cur = "*"
		}
		// Short enough for the pane: the line (or offset), why it
		// stopped, then the function.
		line := fmt.Sprintf("%sthread %d", cur, t.ID)
		if t.HasPlace && t.Place.File != "" {
			line += fmt.Sprintf(" line %d", t.Place.Pos.Line)
		} else if t.HasPlace {
			line += fmt.Sprintf(" @0x%x", t.Place.Offset)
		}
		if t.Note != "" {
			line += " (" + t.Note + ")"
		} else if !t.HasPlace {
			line += " " + string(t.State)
		}
		if t.HasPlace {
			line += " " + t.Place.Name
		}
		items = append(items, line)
	}
	return p.nav.rows(items, h, focused)
}
