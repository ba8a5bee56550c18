package analysis

import (
	"slices"

	"github.com/gcscope/gcscope/heapviz/snapshot"
)

// TypeStats sums the objects of one type.
type TypeStats struct {
	Type    int    // index into the snapshot's Types()
	Count   int    // objects
	Shallow uint64 // their shallow sizes
	// Retained is what freeing every object of the type would free: the
	// retained sizes of those objects that no other object of the type
	// dominates (adding all of them would count nested ones twice, e.g.
	// every node of a list). Unreachable objects add nothing.
	Retained uint64
}

// Histogram sums the objects of s by type, largest shallow size first
// (ties by type index). d may be nil, leaving Retained 0; otherwise it must
// be the dominator tree of s. Synthetic nodes are left out, and so are
// types with no objects.
func Histogram(s *snapshot.Snapshot, d *DomTree) []TypeStats {
	byType := make([]TypeStats, len(s.Types()))
	for i := range byType {
		byType[i].Type = i
	}
	for n := snapshot.FirstObject; n < s.NumNodes(); n++ {
		t := &byType[s.TypeIndex(n)]
		t.Count++
		t.Shallow += uint64(s.Size(n))
	}
	if d != nil {
		retainedByType(s, d, byType)
	}
	out := slices.DeleteFunc(byType, func(t TypeStats) bool { return t.Count == 0 })
	slices.SortStableFunc(out, func(a, b TypeStats) int {
		switch {
		case a.Shallow > b.Shallow:
			return -1
		case a.Shallow < b.Shallow:
			return 1
		}
		return a.Type - b.Type
	})
	return out
}

// retainedByType walks the dominator tree depth first, counting for each
// type how many of the current node's dominators have it: a node adds its
// retained size only when that count is zero.
func retainedByType(s *snapshot.Snapshot, d *DomTree, byType []TypeStats) {
	active := make([]int32, len(byType))
	type frame struct {
		node int
		next int // position in the node's children
	}
	stack := []frame{{snapshot.SuperRoot, 0}}
	for len(stack) > 0 {
		top := &stack[len(stack)-1]
		kids := d.Children(top.node)
		if top.next == len(kids) {
			if top.node >= snapshot.FirstObject {
				active[s.TypeIndex(top.node)]--
			}
			stack = stack[:len(stack)-1]
			continue
		}
		c := int(kids[top.next])
		top.next++
		if c >= snapshot.FirstObject {
			t := s.TypeIndex(c)
			if active[t] == 0 {
				byType[t].Retained += d.Retained(c)
			}
			active[t]++
		}
		stack = append(stack, frame{c, 0})
	}
}
