package analysis

import (
	"container/heap"
	"slices"

	"github.com/gcscope/gcscope/heapviz/snapshot"
)

// Largest returns the k objects with the largest retained sizes, largest
// first (ties by node number): the usual first question about a heap. It
// keeps a k-element heap rather than sorting every object.
func Largest(d *DomTree, k int) []int {
	if k <= 0 {
		return nil
	}
	h := &byRetained{d: d}
	for n := snapshot.FirstObject; n < len(d.retained); n++ {
		if !d.Reachable(n) {
			continue
		}
		if h.Len() < k {
			heap.Push(h, n)
		} else if h.less(h.nodes[0], n) {
			h.nodes[0] = n
			heap.Fix(h, 0)
		}
	}
	out := h.nodes
	slices.SortFunc(out, func(a, b int) int {
		if h.less(b, a) {
			return -1
		}
		if h.less(a, b) {
			return 1
		}
		return 0
	})
	return out
}

// byRetained is a min-heap on (retained size, then larger node number
// first), so its top is the first object to drop.
type byRetained struct {
	d     *DomTree
	nodes []int
}

func (h *byRetained) less(a, b int) bool {
	ra, rb := h.d.retained[a], h.d.retained[b]
	if ra != rb {
		return ra < rb
	}
	return a > b
}

func (h *byRetained) Len() int           { return len(h.nodes) }
func (h *byRetained) Less(i, j int) bool { return h.less(h.nodes[i], h.nodes[j]) }
func (h *byRetained) Swap(i, j int)      { h.nodes[i], h.nodes[j] = h.nodes[j], h.nodes[i] }
func (h *byRetained) Push(x any)         { h.nodes = append(h.nodes, x.(int)) }
func (h *byRetained) Pop() any {
	n := h.nodes[len(h.nodes)-1]
	h.nodes = h.nodes[:len(h.nodes)-1]
	return n
}
