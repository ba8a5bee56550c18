package tui

import (
	"fmt"
	"sort"

	"github.com/gcscope/gcscope/debugger"
)

// heapSort is the heap pane's order.
type heapSort int

const (
	sortBytes heapSort = iota
	sortCount
	sortName
	numSorts
)

var sortNames = [...]string{"bytes", "count", "type"}

// heapPane shows the heap's objects by type with counts and bytes,
// sorted by bytes, count or name (S cycles, or click a column).
type heapPane struct {
	info   *debugger.HeapInfo
	sortBy heapSort
	nav    listNav
	err    string
	stale  bool
}

func (p *heapPane) refresh(s *debugger.Session) {
	p.err, p.stale = "", false
	h, err := s.Heap()
	if err != nil {
		p.err = err.Error()
		return
	}
	p.info = h
	p.nav.n = len(h.Types)
	p.sort()
}

func (p *heapPane) sort() {
	if p.info == nil {
		return
	}
	t := p.info.Types
	sort.SliceStable(t, func(i, j int) bool {
		switch p.sortBy {
		case sortCount:
			if t[i].Objects != t[j].Objects {
				return t[i].Objects > t[j].Objects
			}
		case sortName:
			return t[i].Type < t[j].Type
		}
		if t[i].Bytes != t[j].Bytes {
			return t[i].Bytes > t[j].Bytes
		}
		return t[i].Type < t[j].Type
	})
}

// cycle moves to the next order.
func (p *heapPane) cycle() {
	p.sortBy = (p.sortBy + 1) % numSorts
	p.sort()
}

func (p *heapPane) title() string { return "Heap by " + sortNames[p.sortBy] }

func (p *heapPane) view(h int, focused bool) []string {
	if p.err != "" {
		return []string{stDim.Render(p.err)}
	}
	if p.info == nil {
		return []string{stDim.Render("(not read yet)")}
	}
	mark := func(k heapSort, s string) string {
		if p.sortBy == k {
			return s + "▼"
		}
		return s + " "
	}
	out := []string{fmt.Sprintf("  %8s %9s  %s", mark(sortCount, "objects"), mark(sortBytes, "bytes"), mark(sortName, "type"))}
	var items []string
	for _, t := range p.info.Types {
		items = append(items, fmt.Sprintf("%7d  %9d  %s (%s)", t.Objects, t.Bytes, t.Type, t.Kind))
	}
	out = append(out, p.nav.rows(items, h-2, focused)...)
	out = append(out, stDim.Render(fmt.Sprintf("  total %d objects, %d bytes; %d collections", p.info.Objects, p.info.Bytes, p.info.Stats.Collections)))
	return out
}
