package tui

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/gcscope/gcscope/heapviz/analysis"
	"github.com/gcscope/gcscope/heapviz/snapshot"
)

// hvSort is the types pane's order.
type hvSort int

const (
	hvByRetained hvSort = iota
	hvByShallow
	hvByCount
	hvByName
	hvNumSorts
)

var hvSortNames = [...]string{"retained", "shallow", "count", "name"}

// hvTypesPane is the histogram by type: count, shallow and retained
// bytes, sorted by one of them or by name (s cycles).
type hvTypesPane struct {
	s      *snapshot.Snapshot
	rows   []analysis.TypeStats
	sortBy hvSort
	nav    listNav
	page   int // rows shown, for PgUp/PgDn
}

func (p *hvTypesPane) init(s *snapshot.Snapshot, hist []analysis.TypeStats) {
	p.s, p.rows = s, hist
	p.nav.n = len(hist)
	p.sort()
}

func (p *hvTypesPane) typeName(t analysis.TypeStats) string {
	return p.s.Types()[t.Type].DisplayName()
}

// sort orders the rows, largest first, ties by name; the selection stays
// on its type.
func (p *hvTypesPane) sort() {
	sel, hasSel := p.selected()
	slices.SortStableFunc(p.rows, func(a, b analysis.TypeStats) int {
		var c int
		switch p.sortBy {
		case hvByRetained:
			c = cmp.Compare(b.Retained, a.Retained)
		case hvByShallow:
			c = cmp.Compare(b.Shallow, a.Shallow)
		case hvByCount:
			c = cmp.Compare(b.Count, a.Count)
		}
		if c != 0 {
			return c
		}
		return strings.Compare(p.typeName(a), p.typeName(b))
	})
	if hasSel {
		p.nav.sel = slices.IndexFunc(p.rows, func(t analysis.TypeStats) bool { return t.Type == sel.Type })
	}
}

// cycle moves to the next order.
func (p *hvTypesPane) cycle() {
	p.sortBy = (p.sortBy + 1) % hvNumSorts
	p.sort()
}

func (p *hvTypesPane) selected() (analysis.TypeStats, bool) {
	if p.nav.sel < 0 || p.nav.sel >= len(p.rows) {
		return analysis.TypeStats{}, false
	}
	return p.rows[p.nav.sel], true
}

// find returns the row of the type named q, else the first whose name
// holds q, ignoring case; -1 if none.
func (p *hvTypesPane) find(q string) int {
	q = strings.ToLower(q)
	if i := slices.IndexFunc(p.rows, func(t analysis.TypeStats) bool { return strings.ToLower(p.typeName(t)) == q }); i >= 0 {
		return i
	}
	return slices.IndexFunc(p.rows, func(t analysis.TypeStats) bool {
		return strings.Contains(strings.ToLower(p.typeName(t)), q)
	})
}

func (p *hvTypesPane) title() string { return "Types by " + hvSortNames[p.sortBy] }

func (p *hvTypesPane) view(w, h int, focused bool) []string {
	if len(p.rows) == 0 {
		return []string{stDim.Render("(no objects)")}
	}
	out := []string{fmt.Sprintf("  %5s %8s %9s %s", "count", "shallow", "retained", "type")}
	p.page = max(1, h-1)
	p.nav.top = scrollTo(p.nav.top, p.nav.sel, p.page, len(p.rows))
	for i := p.nav.top; i < len(p.rows) && len(out) < h; i++ {
		t := p.rows[i]
		out = append(out, hvMark(i == p.nav.sel, focused)+fmt.Sprintf("%5d %8d %9d %s", t.Count, t.Shallow, t.Retained, p.typeName(t)))
	}
	return out
}

// hvMark is the selection mark: › on the selected row of the focused
// pane, · on the selected row of another pane.
func hvMark(sel, focused bool) string {
	switch {
	case sel && focused:
		return "› "
	case sel:
		return "· "
	}
	return "  "
}

// hvInstPane lists the objects of one type, the largest retainers first,
// a page at a time.
type hvInstPane struct {
	typ    int      // the type's index, once opened
	nodes  []int    // its objects, largest retained size first, then shallow
	ret    []uint64 // their retained sizes
	nav    listNav
	page   int  // rows shown, for PgUp/PgDn and the title
	opened bool // a type has been opened
}

// open lists the objects of type t.
func (p *hvInstPane) open(s *snapshot.Snapshot, d *analysis.DomTree, t analysis.TypeStats) {
	p.typ, p.opened = t.Type, true
	p.nodes = p.nodes[:0]
	for n := snapshot.FirstObject; n < s.NumNodes(); n++ {
		if s.TypeIndex(n) == t.Type {
			p.nodes = append(p.nodes, n)
		}
	}
	slices.SortStableFunc(p.nodes, func(a, b int) int {
		if c := cmp.Compare(d.Retained(b), d.Retained(a)); c != 0 {
			return c
		}
		return cmp.Compare(s.Size(b), s.Size(a))
	})
	p.ret = make([]uint64, len(p.nodes))
	for i, n := range p.nodes {
		p.ret[i] = d.Retained(n)
	}
	p.nav = listNav{n: len(p.nodes)}
}

func (p *hvInstPane) selected() (int, bool) {
	if !p.opened || p.nav.sel >= len(p.nodes) {
		return 0, false
	}
	return p.nodes[p.nav.sel], true
}

func (p *hvInstPane) title(s *snapshot.Snapshot) string {
	if !p.opened {
		return "Instances"
	}
	name := s.Types()[p.typ].DisplayName()
	if len(p.nodes) == 0 {
		return "Instances of " + name
	}
	last := min(len(p.nodes), p.nav.top+p.page)
	return fmt.Sprintf("%s: %d–%d of %d", name, p.nav.top+1, max(p.nav.top+1, last), len(p.nodes))
}

func (p *hvInstPane) view(s *snapshot.Snapshot, w, h int, focused bool) []string {
	if !p.opened {
		return []string{stDim.Render("(Enter on a type lists its objects)")}
	}
	out := []string{fmt.Sprintf("  %-12s %8s %9s", "object", "shallow", "retained▼")}
	p.page = max(1, h-1)
	p.nav.top = scrollTo(p.nav.top, p.nav.sel, p.page, len(p.nodes))
	for i := p.nav.top; i < len(p.nodes) && len(out) < h; i++ {
		n := p.nodes[i]
		out = append(out, hvMark(i == p.nav.sel, focused)+fmt.Sprintf("%-12s %8d %9d", fmt.Sprintf("@0x%x", s.ID(n)), s.Size(n), p.ret[i]))
	}
	return out
}
