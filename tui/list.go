package tui

// listNav is a selection in a list of rows, scrolled to stay visible.
type listNav struct {
	sel, top int
	n        int // rows
}

func (l *listNav) move(d int) { l.sel = min(max(0, l.sel+d), max(0, l.n-1)) }

// rows returns the rows to draw in h lines, the selected one marked with
// › when the pane has the focus (and ' ' otherwise).
func (l *listNav) rows(items []string, h int, focused bool) []string {
	l.n = len(items)
	l.sel = min(l.sel, max(0, l.n-1))
	l.top = scrollTo(l.top, l.sel, h, l.n)
	var out []string
	for i := l.top; i < len(items) && len(out) < h; i++ {
		mark := "  "
		if i == l.sel && focused {
			mark = "› "
		}
		out = append(out, mark+items[i])
	}
	return out
}
