package tui

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/gcscope/gcscope/debugger"
)

// inspector is the object inspector: a tree of a value's fields and
// elements, read through the debugger's paths ($t.0.1, $arr[3]). Enter
// expands or collapses, → follows a reference (it becomes the root), ←
// goes back, PgDn/PgUp page through a long array.
type inspector struct {
	root     string   // the expression at the root
	history  []string // roots followed from, for back
	expanded map[string]bool
	page     map[string]int // first element shown, per array path
	rows     []irow
	nav      listNav
	err      string
}

// irow is one line of the flattened tree.
type irow struct {
	path   string
	depth  int
	label  string
	text   string
	kind   byte // 's' struct, 'a' array, 0 scalar
	length int  // array length
	open   bool
}

// pageSize is how many array elements a page shows.
const pageSize = 16

// open makes expr the root (following from the current root).
func (p *inspector) show(s *debugger.Session, expr string) {
	if p.root != "" && p.root != expr {
		p.history = append(p.history, p.root)
	}
	p.root = expr
	p.expanded = map[string]bool{expr: true}
	p.page = map[string]int{}
	p.nav = listNav{}
	p.refresh(s)
}

// back returns to the previous root.
func (p *inspector) back(s *debugger.Session) {
	if len(p.history) == 0 {
		return
	}
	p.root = p.history[len(p.history)-1]
	p.history = p.history[:len(p.history)-1]
	p.expanded = map[string]bool{p.root: true}
	p.nav = listNav{}
	p.refresh(s)
}

// refresh evaluates the tree again (after a stop or a change).
func (p *inspector) refresh(s *debugger.Session) {
	p.rows, p.err = nil, ""
	if p.root == "" {
		return
	}
	if err := p.add(s, p.root, p.root, 0); err != nil {
		p.err = err.Error()
	}
	p.nav.n = len(p.rows)
}

// add appends the row of path and, if open, its children.
func (p *inspector) add(s *debugger.Session, path, label string, depth int) error {
	r, err := s.Eval(path, 0)
	if err != nil {
		if depth == 0 {
			return err
		}
		p.rows = append(p.rows, irow{path: path, depth: depth, label: label, text: "<" + err.Error() + ">"})
		return nil
	}
	row := irow{path: path, depth: depth, label: label, text: r.Text, open: p.expanded[path]}
	if r.Type != "" && depth == 0 {
		row.text = r.Type + " = " + r.Text
	}
	if i := strings.Index(r.Text, "(length "); i >= 0 && strings.Contains(r.Text, "@0x") {
		row.kind = 'a'
		row.length, _ = strconv.Atoi(strings.TrimSuffix(strings.Fields(r.Text[i+8:])[0], ")"))
	} else if len(r.Lines) > 0 {
		row.kind = 's'
	}
	if row.kind == 0 {
		row.open = false
	}
	p.rows = append(p.rows, row)
	if !row.open {
		return nil
	}
	switch row.kind {
	case 's':
		for i, line := range r.Lines {
			name, _, _ := strings.Cut(line, ":")
			if err := p.add(s, path+"."+fieldRef(name, i), name, depth+1); err != nil {
				return err
			}
		}
	case 'a':
		first := p.page[path]
		for i := first; i < row.length && i < first+pageSize; i++ {
			if err := p.add(s, fmt.Sprintf("%s[%d]", path, i), fmt.Sprintf("[%d]", i), depth+1); err != nil {
				return err
			}
		}
		if row.length > pageSize {
			p.rows = append(p.rows, irow{path: path, depth: depth + 1, kind: 'p',
				text: fmt.Sprintf("elements %d-%d of %d (PgDn/PgUp)", first, min(first+pageSize, row.length)-1, row.length)})
		}
	}
	return nil
}

// toggle expands or collapses the selected row.
func (p *inspector) toggle(s *debugger.Session) {
	if p.nav.sel >= len(p.rows) {
		return
	}
	r := p.rows[p.nav.sel]
	if r.kind != 's' && r.kind != 'a' {
		return
	}
	p.expanded[r.path] = !p.expanded[r.path]
	p.refresh(s)
}

// follow makes the selected reference the root.
func (p *inspector) follow(s *debugger.Session) {
	if p.nav.sel >= len(p.rows) || p.nav.sel == 0 {
		return
	}
	if r := p.rows[p.nav.sel]; r.kind == 's' || r.kind == 'a' {
		p.show(s, r.path)
	}
}

// pageBy moves the page of the array the selection is in by d pages.
func (p *inspector) pageBy(s *debugger.Session, d int) {
	if p.nav.sel >= len(p.rows) {
		return
	}
	r := p.rows[p.nav.sel]
	arr := r.path
	if r.kind != 'a' && r.kind != 'p' {
		// An element: its array is the path before the last [.
		i := strings.LastIndexByte(arr, '[')
		if i < 0 {
			return
		}
		arr = arr[:i]
	}
	length := -1
	for _, x := range p.rows {
		if x.path == arr && x.kind == 'a' {
			length = x.length
		}
	}
	if length < 0 {
		return
	}
	first := min(max(0, p.page[arr]+d*pageSize), max(0, (length-1)/pageSize*pageSize))
	p.page[arr] = first
	p.expanded[arr] = true
	p.refresh(s)
}

func (p *inspector) title() string {
	if p.root == "" {
		return "Inspect"
	}
	return "Inspect " + p.root
}

func (p *inspector) view(h int, focused bool) []string {
	if p.root == "" {
		return []string{stDim.Render("Enter on a local (Locals tab) or `inspect EXPR`"), stDim.Render("in the console opens a value here.")}
	}
	if p.err != "" {
		return []string{stErr.Render(p.err)}
	}
	items := make([]string, len(p.rows))
	for i, r := range p.rows {
		icon := "  "
		switch {
		case r.kind == 'p':
			icon = "… "
		case (r.kind == 's' || r.kind == 'a') && r.open:
			icon = "▾ "
		case r.kind == 's' || r.kind == 'a':
			icon = "▸ "
		}
		line := strings.Repeat("  ", r.depth) + icon
		if r.kind == 'p' {
			line += r.text
		} else if r.depth == 0 {
			line += r.label + ": " + r.text
		} else {
			line += r.label + " = " + r.text
		}
		items[i] = line
	}
	rows := p.nav.rows(items, h, focused)
	if len(p.history) > 0 && len(rows) < h {
		rows = append(rows, stDim.Render(fmt.Sprintf("  (← back to %s)", p.history[len(p.history)-1])))
	}
	return rows
}

// fieldRef is how a path names field i: by its name when that reads as a
// path word, else by number ("a.0.1" would read as a float).
func fieldRef(name string, i int) string {
	ok := name != ""
	for _, r := range name {
		if !(r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			ok = false
		}
	}
	if ok && (name[0] < '0' || name[0] > '9') {
		return name
	}
	return strconv.Itoa(i)
}
