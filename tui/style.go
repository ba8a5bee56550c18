package tui

import (
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
)

// Styles. Every mark that matters also has a character of its own (▶ for
// the current line, ● for a breakpoint, › for a selection), so the screen
// reads the same without colours, as in the golden frames.
var (
	stFocusBorder = lipgloss.NewStyle().Foreground(lipgloss.Color("12")).Bold(true)
	stBorder      = lipgloss.NewStyle().Foreground(lipgloss.Color("8"))
	stCurrent     = lipgloss.NewStyle().Background(lipgloss.Color("22")).Foreground(lipgloss.Color("15")).Bold(true)
	stCursor      = lipgloss.NewStyle().Reverse(true)
	stBreak       = lipgloss.NewStyle().Foreground(lipgloss.Color("9")).Bold(true)
	stDim         = lipgloss.NewStyle().Faint(true)
	stStatus      = lipgloss.NewStyle().Reverse(true)
	stKey         = lipgloss.NewStyle().Bold(true)
	stErr         = lipgloss.NewStyle().Foreground(lipgloss.Color("9"))
)

// fit cuts s (which may hold escape sequences) to width w and pads it with
// spaces to exactly w cells.
func fit(s string, w int) string {
	if w <= 0 {
		return ""
	}
	if ansi.StringWidth(s) > w {
		s = ansi.Truncate(s, w, "…")
	}
	if n := w - ansi.StringWidth(s); n > 0 {
		s += strings.Repeat(" ", n)
	}
	return s
}

// expandTabs replaces tabs by spaces to the next multiple of 8.
func expandTabs(s string) string {
	if !strings.Contains(s, "\t") {
		return s
	}
	var b strings.Builder
	col := 0
	for _, r := range s {
		if r == '\t' {
			n := 8 - col%8
			b.WriteString(strings.Repeat(" ", n))
			col += n
			continue
		}
		b.WriteRune(r)
		col++
	}
	return b.String()
}

// box draws a framed pane of w×h cells: the title in the top border, the
// lines inside (cut and padded), a double border when focused.
func box(title string, lines []string, w, h int, focused bool) []string {
	if w < 4 || h < 2 {
		return nil
	}
	tl, tr, bl, br, hz, vt := "┌", "┐", "└", "┘", "─", "│"
	st := stBorder
	if focused {
		tl, tr, bl, br, hz, vt = "╔", "╗", "╚", "╝", "═", "║"
		st = stFocusBorder
	}
	iw := w - 2
	t := ansi.Truncate(" "+title+" ", iw-1, "…")
	top := tl + hz + t + strings.Repeat(hz, max(0, iw-1-ansi.StringWidth(t))) + tr
	out := make([]string, 0, h)
	out = append(out, st.Render(top))
	for i := 0; i < h-2; i++ {
		l := ""
		if i < len(lines) {
			l = lines[i]
		}
		out = append(out, st.Render(vt)+fit(l, iw)+st.Render(vt))
	}
	out = append(out, st.Render(bl+strings.Repeat(hz, iw)+br))
	return out
}

// hjoin puts blocks of lines side by side; every block has the same
// number of lines, each already of its block's width.
func hjoin(blocks ...[]string) []string {
	n := 0
	for _, b := range blocks {
		n = max(n, len(b))
	}
	out := make([]string, n)
	for i := range out {
		var sb strings.Builder
		for _, b := range blocks {
			if i < len(b) {
				sb.WriteString(b[i])
			}
		}
		out[i] = sb.String()
	}
	return out
}

// scrollTo returns the first line to show so that sel is visible in a
// window of h lines starting at top.
func scrollTo(top, sel, h, n int) int {
	if h <= 0 {
		return 0
	}
	if sel < top {
		top = sel
	}
	if sel >= top+h {
		top = sel - h + 1
	}
	top = min(top, max(0, n-h))
	return max(0, top)
}

// tabTitle writes tab names with the active one in brackets.
func tabTitle(names []string, active int) string {
	parts := make([]string, len(names))
	for i, n := range names {
		if i == active {
			parts[i] = "[" + n + "]"
		} else {
			parts[i] = n
		}
	}
	return strings.Join(parts, " ")
}
