package tui

import (
	"fmt"

	"github.com/charmbracelet/x/ansi"

	"github.com/gcscope/gcscope/heapviz/analysis"
	"github.com/gcscope/gcscope/heapviz/snapshot"
)

// hvMaxRows caps the references and the retainers listed for one object,
// so a huge array opens at once.
const hvMaxRows = 500

// hvRow is one line of the object pane: a heading (to == hvHeading), a
// note or a root (to == -1), or an object that Enter follows (to >= 0).
type hvRow struct {
	text  string
	right string // right-aligned: the object's retained bytes
	to    int    // the object to follow, or -1, or hvHeading
}

// hvHeading marks a section's title among the rows.
const hvHeading = -2

// hvObjectPane shows one object: its references (fields, elements), its
// retainers, and a shortest path from a root. Enter follows the selected
// row's object, Backspace goes back.
type hvObjectPane struct {
	node    int  // the object shown
	shown   bool // an object is shown
	rows    []hvRow
	sel     int       // a row with to >= 0, or -1
	top     int       // the first row drawn
	page    int       // rows drawn, for PgUp/PgDn
	history []hvVisit // the objects followed from, the last one on top
}

// hvVisit is an object left by following a reference, and where its
// cursor was.
type hvVisit struct{ node, sel, top int }

// show reads object n into the pane.
func (p *hvObjectPane) show(s *snapshot.Snapshot, d *analysis.DomTree, paths *analysis.PathTree, n int) {
	p.node, p.shown, p.top = n, true, 0
	p.rows = p.rows[:0]
	ref := func(label string, to int) hvRow {
		return hvRow{text: label + " → " + s.NodeName(to), right: fmt.Sprint(d.Retained(to)), to: to}
	}
	lo, hi := s.Edges(n)
	what := "references"
	switch s.Kind(n) {
	case snapshot.KindStruct, snapshot.KindExn:
		what = "fields"
	case snapshot.KindArray:
		what = "elements"
	}
	p.heading(fmt.Sprintf("%s (%d)", what, hi-lo), "retained")
	for e := lo; e < hi && e < lo+hvMaxRows; e++ {
		p.rows = append(p.rows, ref(s.EdgeName(e), s.EdgeTo(e)))
	}
	p.more(hi-lo, hvMaxRows)
	edges, from := s.In(n)
	p.heading(fmt.Sprintf("retainers (%d)", len(edges)), "")
	for i, e := range edges {
		if i == hvMaxRows {
			break
		}
		f := int(from[i])
		if f < snapshot.FirstObject {
			p.rows = append(p.rows, hvRow{text: "root: " + s.EdgeName(int(e)), to: -1})
			continue
		}
		p.rows = append(p.rows, hvRow{text: s.NodeName(f) + hvStep(s, int(e)), right: fmt.Sprint(d.Retained(f)), to: f})
	}
	p.more(len(edges), hvMaxRows)
	p.pathRows(s, paths, n)
	p.sel = -1
	p.move(1)
}

// pathRows adds a shortest path from a root to n.
func (p *hvObjectPane) pathRows(s *snapshot.Snapshot, paths *analysis.PathTree, n int) {
	path, ok := paths.PathTo(n)
	if !ok {
		p.heading("path: unreachable (garbage the next collection frees)", "")
		return
	}
	switch path.Len() {
	case 0:
		p.heading(fmt.Sprintf("path (%s root): held by the root", path.Category), "")
	case 1:
		p.heading(fmt.Sprintf("path (%s root, 1 reference)", path.Category), "")
	default:
		p.heading(fmt.Sprintf("path (%s root, %d references)", path.Category, path.Len()), "")
	}
	for i, st := range path.Steps {
		label := hvStep(s, st.Edge)
		if i == 0 {
			label = st.Label
		}
		to := st.To
		if to == n {
			to = -1
		}
		p.rows = append(p.rows, hvRow{text: label + " → " + s.NodeName(st.To), to: to})
	}
}

// hvStep writes edge e as it follows an object's name: ".left", "[3]".
func hvStep(s *snapshot.Snapshot, e int) string {
	if s.EdgeKind(e) == snapshot.EdgeElement {
		return s.EdgeName(e)
	}
	return "." + s.EdgeName(e)
}

// heading adds a row that is not followed: a section's title.
func (p *hvObjectPane) heading(text, right string) {
	p.rows = append(p.rows, hvRow{text: text, right: right, to: hvHeading})
}

// more adds a row saying how many of n rows were left out.
func (p *hvObjectPane) more(n, shown int) {
	if n > shown {
		p.rows = append(p.rows, hvRow{text: fmt.Sprintf("  (%d more not listed)", n-shown), to: -1})
	}
}

// move moves the cursor by d rows that can be followed.
func (p *hvObjectPane) move(d int) {
	step := 1
	if d < 0 {
		step, d = -1, -d
	}
	for ; d > 0; d-- {
		i := p.sel + step
		for i >= 0 && i < len(p.rows) && p.rows[i].to < 0 {
			i += step
		}
		if i < 0 || i >= len(p.rows) {
			return
		}
		p.sel = i
	}
}

// canMove reports whether a row that can be followed lies in direction
// step (1 or -1) from the cursor.
func (p *hvObjectPane) canMove(step int) bool {
	for i := p.sel + step; i >= 0 && i < len(p.rows); i += step {
		if p.rows[i].to >= 0 {
			return true
		}
	}
	return false
}

// follow shows the selected row's object, remembering this one.
func (p *hvObjectPane) follow(s *snapshot.Snapshot, d *analysis.DomTree, paths *analysis.PathTree) {
	if !p.shown || p.sel < 0 || p.rows[p.sel].to < 0 {
		return
	}
	p.history = append(p.history, hvVisit{p.node, p.sel, p.top})
	p.show(s, d, paths, p.rows[p.sel].to)
}

// back returns to the object followed from; false when there is none.
func (p *hvObjectPane) back(s *snapshot.Snapshot, d *analysis.DomTree, paths *analysis.PathTree) bool {
	if len(p.history) == 0 {
		return false
	}
	v := p.history[len(p.history)-1]
	p.history = p.history[:len(p.history)-1]
	p.show(s, d, paths, v.node)
	p.sel, p.top = v.sel, v.top
	return true
}

func (p *hvObjectPane) title() string {
	if len(p.history) > 0 {
		return fmt.Sprintf("Object (Backspace: back %d)", len(p.history))
	}
	return "Object"
}

func (p *hvObjectPane) view(s *snapshot.Snapshot, d *analysis.DomTree, w, h int, focused bool) []string {
	if !p.shown {
		return []string{stDim.Render("(open a type, then pick an object)")}
	}
	n := p.node
	head := fmt.Sprintf("%s (%s", s.NodeName(n), s.Kind(n))
	if s.Kind(n) == snapshot.KindArray {
		head += fmt.Sprintf(", length %d", s.Len(n))
	}
	out := []string{stKey.Render(ansi.Truncate(head+")", w, "…")), fmt.Sprintf("%d bytes, retains %d bytes", s.Size(n), d.Retained(n))}
	p.page = max(1, h-len(out))
	if p.sel >= 0 {
		p.top = scrollTo(p.top, p.sel, p.page, len(p.rows))
		// At the first or last row that can be followed, show the rows
		// before or after it too (headings, roots, notes).
		if last := len(p.rows) - 1; !p.canMove(1) && last-p.sel < p.page {
			p.top = scrollTo(p.top, last, p.page, len(p.rows))
		}
		if !p.canMove(-1) && p.sel < p.page {
			p.top = 0
		}
	}
	for i := p.top; i < len(p.rows) && len(out) < h; i++ {
		r := p.rows[i]
		text := hvMark(i == p.sel, focused) + r.text
		if r.to == hvHeading {
			text = stDim.Render(r.text)
		}
		out = append(out, hvLeftRight(text, r.right, w))
	}
	return out
}

// hvLeftRight puts right at the end of a w-cell line after left, cutting
// left to make room.
func hvLeftRight(left, right string, w int) string {
	if right == "" {
		return left
	}
	rw := ansi.StringWidth(right)
	return fit(left, max(0, w-rw-1)) + " " + right
}
