package tui

import (
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/gcscope/gcscope/debugger/commands"
)

// maxLines bounds the console's and the output's scrollback.
const maxLines = 5000

// consolePane is the command line with what the commands printed above
// it. Enter runs a line; an empty line repeats step, next, continue and
// the like (as the CLI does); ↑/↓ walk the history, Tab completes,
// PgUp/PgDn scroll.
type consolePane struct {
	lines   []string
	scroll  int // lines scrolled back from the end
	input   []rune
	pos     int
	history []string
	hpos    int
	last    string // the last line run, for repeats
}

// add appends text (one or more lines).
func (p *consolePane) add(text string) {
	text = strings.TrimSuffix(text, "\n")
	for _, l := range strings.Split(text, "\n") {
		p.lines = append(p.lines, expandTabs(l))
	}
	if len(p.lines) > maxLines {
		p.lines = p.lines[len(p.lines)-maxLines:]
	}
	p.scroll = 0
}

// key edits the line; it returns the line to run when enter was pressed.
func (p *consolePane) key(k tea.KeyMsg, complete func(string) []string) (line string, run bool) {
	switch k.Type {
	case tea.KeyEnter:
		line = string(p.input)
		p.input, p.pos = nil, 0
		if strings.TrimSpace(line) == "" {
			if !commands.Repeatable(p.last) {
				return "", false
			}
			line = p.last
		} else {
			p.history = append(p.history, line)
		}
		p.hpos = len(p.history)
		p.last = line
		return line, true
	case tea.KeyBackspace:
		if p.pos > 0 {
			p.input = append(p.input[:p.pos-1], p.input[p.pos:]...)
			p.pos--
		}
	case tea.KeyDelete:
		if p.pos < len(p.input) {
			p.input = append(p.input[:p.pos], p.input[p.pos+1:]...)
		}
	case tea.KeyLeft:
		p.pos = max(0, p.pos-1)
	case tea.KeyRight:
		p.pos = min(len(p.input), p.pos+1)
	case tea.KeyHome, tea.KeyCtrlA:
		p.pos = 0
	case tea.KeyEnd, tea.KeyCtrlE:
		p.pos = len(p.input)
	case tea.KeyCtrlU:
		p.input, p.pos = nil, 0
	case tea.KeyUp:
		if p.hpos > 0 {
			p.hpos--
			p.input = []rune(p.history[p.hpos])
			p.pos = len(p.input)
		}
	case tea.KeyDown:
		if p.hpos < len(p.history)-1 {
			p.hpos++
			p.input = []rune(p.history[p.hpos])
		} else {
			p.hpos, p.input = len(p.history), nil
		}
		p.pos = len(p.input)
	case tea.KeyPgUp:
		p.scroll = min(p.scroll+5, max(0, len(p.lines)-1))
	case tea.KeyPgDown:
		p.scroll = max(0, p.scroll-5)
	case tea.KeyTab:
		c := complete(string(p.input))
		switch {
		case len(c) == 1:
			p.input = []rune(c[0] + " ")
		case len(c) > 1:
			p.input = []rune(commonPrefix(c))
			p.add(strings.Join(c, "  "))
		}
		p.pos = len(p.input)
	case tea.KeySpace:
		p.insert(' ')
	case tea.KeyRunes:
		for _, r := range k.Runes {
			p.insert(r)
		}
	}
	return "", false
}

func (p *consolePane) insert(r rune) {
	p.input = append(p.input[:p.pos], append([]rune{r}, p.input[p.pos:]...)...)
	p.pos++
}

func commonPrefix(ss []string) string {
	pre := ss[0]
	for _, s := range ss[1:] {
		for !strings.HasPrefix(s, pre) {
			pre = pre[:len(pre)-1]
		}
	}
	return pre
}

// view draws the scrollback and, on the last line, the prompt.
func (p *consolePane) view(w, h int, focused bool) []string {
	if h <= 0 {
		return nil
	}
	body := h - 1
	end := len(p.lines) - p.scroll
	start := max(0, end-body)
	out := append([]string(nil), p.lines[start:end]...)
	for len(out) < body {
		out = append([]string{""}, out...)
	}
	in := commands.Prompt + string(p.input[:p.pos])
	if focused {
		rest := string(p.input[p.pos:])
		cur := " "
		if rest != "" {
			cur, rest = string(p.input[p.pos]), string(p.input[p.pos+1:])
		}
		in += stCursor.Render(cur) + rest
		if p.pos == len(p.input) {
			in = commands.Prompt + string(p.input) + "█"
		}
	} else {
		in += string(p.input[p.pos:])
	}
	// Keep the end of a long line in view.
	if n := len([]rune(commands.Prompt)) + len(p.input) + 1; n > w {
		in = "…" + string([]rune(commands.Prompt + string(p.input))[n-w+1:]) + "█"
	}
	return append(out, in)
}

// outputPane is the program's own output.
type outputPane struct {
	lines   []string
	partial bool // the last line has no newline yet
	scroll  int
}

func (p *outputPane) add(text string) {
	for text != "" {
		line, rest, nl := strings.Cut(text, "\n")
		if p.partial && len(p.lines) > 0 {
			p.lines[len(p.lines)-1] += expandTabs(line)
		} else {
			p.lines = append(p.lines, expandTabs(line))
		}
		p.partial = !nl
		text = rest
	}
	if len(p.lines) > maxLines {
		p.lines = p.lines[len(p.lines)-maxLines:]
	}
	p.scroll = 0
}

func (p *outputPane) view(h int) []string {
	if len(p.lines) == 0 {
		return []string{stDim.Render("(no output yet)")}
	}
	end := len(p.lines) - p.scroll
	return p.lines[max(0, end-h):end]
}
