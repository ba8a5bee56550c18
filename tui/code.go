package tui

import (
	"fmt"
	"strings"

	"github.com/gcscope/gcscope/debugger"
)

// codePane shows the WAT source (or, for a binary module, the module
// printed as WAT, whose lines the debugger's places use too) with a
// breakpoint gutter, the current line marked and a cursor that b uses.
type codePane struct {
	file    string   // the source's name, "" for the printed WAT
	lines   []string // the whole text, tabs expanded
	cur     int      // the selected frame's line (1-based), 0 for none
	bps     map[int]bool
	off     map[int]bool // disabled breakpoints
	cursor  int          // 1-based
	left    int          // columns scrolled off to the left
	top     int          // first line shown, 0-based
	h       int          // lines shown at the last draw
	search  string       // the search being typed, when searching
	typing  bool
	last    string // the last search
	message string // "not found"
}

// wholeFile is a radius that takes in every line.
const wholeFile = 1 << 30

func (c *codePane) init(s *debugger.Session) {
	c.bps, c.off = map[int]bool{}, map[int]bool{}
}

// load reads the text once (it needs a stopped program, for a place to
// center on).
func (c *codePane) load(s *debugger.Session) {
	if c.lines != nil {
		return
	}
	l, err := s.List("", wholeFile)
	if err != nil {
		return
	}
	c.file = l.File
	c.lines = make([]string, 0, len(l.Lines))
	for _, cl := range l.Lines {
		c.lines = append(c.lines, expandTabs(cl.Text))
	}
}

// refresh finds the current line and the breakpoints' lines; follow moves
// the cursor to the current line.
func (c *codePane) refresh(s *debugger.Session, follow bool) {
	c.load(s)
	c.cur = 0
	if l, err := s.List("", 0); err == nil && len(l.Lines) > 0 {
		for _, cl := range l.Lines {
			if cl.Current {
				c.cur = cl.Line
			}
		}
	}
	c.bps, c.off = map[int]bool{}, map[int]bool{}
	for _, bp := range s.Breakpoints() {
		if line := bpLine(s, bp); line > 0 {
			if bp.Enabled {
				c.bps[line] = true
			} else {
				c.off[line] = true
			}
		}
	}
	if follow && c.cur > 0 {
		c.cursor = c.cur
		c.center()
	}
	if c.cursor == 0 {
		c.cursor = 1
	}
}

// bpLine is the line a breakpoint is on, in the pane's text.
func bpLine(s *debugger.Session, bp debugger.BreakpointInfo) int {
	l, err := s.List(fmt.Sprintf("*0x%x", bp.Offset), 0)
	if err != nil || len(l.Lines) == 0 {
		return 0
	}
	return l.Lines[0].Line
}

// center scrolls so that the cursor is in the middle third.
func (c *codePane) center() {
	if c.h <= 0 {
		c.h = 10
	}
	if c.cursor-1 < c.top+c.h/3 || c.cursor-1 >= c.top+c.h*2/3 {
		c.top = max(0, c.cursor-1-c.h/2)
	}
}

// move moves the cursor by d lines.
func (c *codePane) move(d int) {
	c.cursor = min(max(1, c.cursor+d), max(1, len(c.lines)))
	c.message = ""
}

// find searches for text after the cursor, wrapping, case-insensitively.
func (c *codePane) find(text string) {
	if text == "" {
		text = c.last
	}
	if text == "" {
		return
	}
	c.last = text
	t := strings.ToLower(text)
	n := len(c.lines)
	for i := 1; i <= n; i++ {
		l := (c.cursor-1+i)%n + 1
		if strings.Contains(strings.ToLower(c.lines[l-1]), t) {
			c.cursor = l
			c.message = ""
			c.center()
			return
		}
	}
	c.message = fmt.Sprintf("%q not found", text)
}

// title names the pane.
func (c *codePane) title() string {
	if c.file != "" {
		return "Code: " + c.file
	}
	return "Code: printed WAT"
}

// view draws h lines of width w.
func (c *codePane) view(w, h int, focused bool) []string {
	if h <= 0 {
		return nil
	}
	body := h
	if c.typing || c.message != "" {
		body--
	}
	c.h = body
	c.top = scrollTo(c.top, c.cursor-1, body, len(c.lines))
	digits := len(fmt.Sprint(len(c.lines)))
	var out []string
	for i := c.top; i < len(c.lines) && len(out) < body; i++ {
		n := i + 1
		gutter := " "
		switch {
		case c.bps[n]:
			gutter = stBreak.Render("●")
		case c.off[n]:
			gutter = "○"
		}
		mark := " "
		if n == c.cur {
			mark = "▶"
		}
		sel := " "
		if n == c.cursor {
			sel = "›"
		}
		line := c.lines[i]
		if r := []rune(line); c.left > 0 {
			line = string(r[min(c.left, len(r)):])
		}
		text := fmt.Sprintf("%*d %s", digits, n, line)
		switch {
		case n == c.cur:
			text = stCurrent.Render(fit(text, w-3))
		case n == c.cursor && focused:
			text = stCursor.Render(fit(text, w-3))
		}
		out = append(out, gutter+mark+sel+text)
	}
	if len(c.lines) == 0 {
		out = append(out, stDim.Render("(no code yet: the program has not stopped)"))
	}
	for len(out) < body {
		out = append(out, "")
	}
	if c.typing {
		out = append(out, "/"+c.search+"█")
	} else if c.message != "" {
		out = append(out, stErr.Render(c.message))
	}
	return out
}
