package analysis

import (
	"slices"
	"sync"

	"github.com/gcscope/gcscope/heapviz/snapshot"
)

// None is the node number Idom returns when there is no dominator.
const None = -1

// DomTree is the dominator tree of a snapshot, rooted at the super-root:
// node d dominates node n when every path from the super-root to n passes
// through d, so freeing d frees n. Nodes the super-root cannot reach
// (garbage in the snapshot) are not in the tree.
type DomTree struct {
	s        *snapshot.Snapshot
	idom     []uint32 // immediate dominator by node; noNode if none
	retained []uint64
	reached  int

	childOnce  sync.Once
	childStart []uint32
	children   []uint32
}

const noNode = ^uint32(0)

// Dominators computes the dominator tree and retained sizes of s with the
// Lengauer–Tarjan algorithm (the simple version: path compression without
// balancing), O(E log N), and no recursion, so deep lists cannot exhaust
// the stack. The iterative Cooper–Harvey–Kennedy algorithm is simpler but
// can take many passes, each over every edge, on long chains, which heaps
// are full of.
func Dominators(s *snapshot.Snapshot) *DomTree {
	n := s.NumNodes()
	// Everything below works on DFS preorder numbers 1..cnt, so the
	// tables are dense and 0 means "none".
	dfn, vertex, parent := dfsPreorder(s)
	cnt := len(vertex) - 1
	predStart, preds := predecessors(s, dfn, vertex)

	semi := make([]uint32, cnt+1)
	label := make([]uint32, cnt+1)
	ancestor := make([]uint32, cnt+1)
	idom := make([]uint32, cnt+1)
	bucket := make([]uint32, cnt+1) // first vertex whose semidominator is i
	next := make([]uint32, cnt+1)   // the bucket lists' links
	for i := range semi {
		semi[i], label[i] = uint32(i), uint32(i)
	}
	var path []uint32
	// eval returns the vertex of least semidominator on the forest path
	// above v, compressing the path on the way.
	eval := func(v uint32) uint32 {
		if ancestor[v] == 0 {
			return v
		}
		path = path[:0]
		for x := v; ancestor[ancestor[x]] != 0; x = ancestor[x] {
			path = append(path, x)
		}
		for i := len(path) - 1; i >= 0; i-- {
			x := path[i]
			a := ancestor[x]
			if semi[label[a]] < semi[label[x]] {
				label[x] = label[a]
			}
			ancestor[x] = ancestor[a]
		}
		return label[v]
	}
	for w := uint32(cnt); w >= 2; w-- {
		for _, v := range preds[predStart[w]:predStart[w+1]] {
			if u := eval(v); semi[u] < semi[w] {
				semi[w] = semi[u]
			}
		}
		next[w] = bucket[semi[w]]
		bucket[semi[w]] = w
		p := parent[w]
		ancestor[w] = p
		for v := bucket[p]; v != 0; v = next[v] {
			if u := eval(v); semi[u] < semi[v] {
				idom[v] = u
			} else {
				idom[v] = p
			}
		}
		bucket[p] = 0
	}
	for w := uint32(2); w <= uint32(cnt); w++ {
		if idom[w] != semi[w] {
			idom[w] = idom[idom[w]]
		}
	}

	// Retained sizes: children come after their dominator in preorder, so
	// one backward pass sums every subtree.
	ret := make([]uint64, cnt+1)
	for i := 1; i <= cnt; i++ {
		ret[i] = uint64(s.Size(int(vertex[i])))
	}
	for w := cnt; w >= 2; w-- {
		ret[idom[w]] += ret[w]
	}

	d := &DomTree{s: s, idom: make([]uint32, n), retained: make([]uint64, n), reached: cnt}
	for i := range d.idom {
		d.idom[i] = noNode
	}
	for i := 1; i <= cnt; i++ {
		v := vertex[i]
		d.retained[v] = ret[i]
		if i >= 2 {
			d.idom[v] = vertex[idom[i]]
		}
	}
	return d
}

// dfsPreorder numbers the nodes reachable from the super-root in
// depth-first preorder, from 1. It returns each node's number (0 if
// unreached), the node of each number (vertex[0] unused) and each number's
// DFS-tree parent number.
func dfsPreorder(s *snapshot.Snapshot) (dfn, vertex, parent []uint32) {
	n := s.NumNodes()
	dfn = make([]uint32, n)
	vertex = make([]uint32, 1, n+1)
	parent = make([]uint32, 1, n+1)
	// The explicit stack holds each open node and its next edge.
	type frame struct{ node, edge uint32 }
	stack := []frame{{snapshot.SuperRoot, 0}}
	lo, _ := s.Edges(snapshot.SuperRoot)
	stack[0].edge = uint32(lo)
	vertex = append(vertex, snapshot.SuperRoot)
	parent = append(parent, 0)
	dfn[snapshot.SuperRoot] = 1
	for len(stack) > 0 {
		top := &stack[len(stack)-1]
		_, hi := s.Edges(int(top.node))
		if int(top.edge) >= hi {
			stack = stack[:len(stack)-1]
			continue
		}
		w := s.EdgeTo(int(top.edge))
		top.edge++
		if dfn[w] != 0 {
			continue
		}
		dfn[w] = uint32(len(vertex))
		parent = append(parent, dfn[top.node])
		vertex = append(vertex, uint32(w))
		wlo, _ := s.Edges(w)
		stack = append(stack, frame{uint32(w), uint32(wlo)})
	}
	return dfn, vertex, parent
}

// predecessors lists, by preorder number, the numbers of the reached nodes
// with an edge to it, as CSR.
func predecessors(s *snapshot.Snapshot, dfn, vertex []uint32) (start, preds []uint32) {
	cnt := len(vertex) - 1
	start = make([]uint32, cnt+2)
	for i := 1; i <= cnt; i++ {
		lo, hi := s.Edges(int(vertex[i]))
		for e := lo; e < hi; e++ {
			start[dfn[s.EdgeTo(e)]+1]++
		}
	}
	for i := 1; i < len(start); i++ {
		start[i] += start[i-1]
	}
	pos := slices.Clone(start)
	preds = make([]uint32, start[cnt+1])
	for i := 1; i <= cnt; i++ {
		lo, hi := s.Edges(int(vertex[i]))
		for e := lo; e < hi; e++ {
			t := dfn[s.EdgeTo(e)]
			preds[pos[t]] = uint32(i)
			pos[t]++
		}
	}
	return start, preds
}

// Snapshot returns the snapshot d was computed from.
func (d *DomTree) Snapshot() *snapshot.Snapshot { return d.s }

// Idom returns node n's immediate dominator, or None for the super-root
// and for nodes the super-root does not reach.
func (d *DomTree) Idom(n int) int {
	if d.idom[n] == noNode {
		return None
	}
	return int(d.idom[n])
}

// Reachable reports whether the super-root reaches node n.
func (d *DomTree) Reachable(n int) bool {
	return n == snapshot.SuperRoot || d.idom[n] != noNode
}

// NumReachable returns how many nodes the super-root reaches, itself
// included.
func (d *DomTree) NumReachable() int { return d.reached }

// Retained returns node n's retained size: the bytes that would be freed
// with it, its shallow size plus that of every node it dominates. It is 0
// for unreachable nodes, which the dominator tree leaves out.
func (d *DomTree) Retained(n int) uint64 { return d.retained[n] }

// Children returns the nodes node n immediately dominates, largest
// retained size first (ties by node number), the order a heap browser
// shows them in. The slice must not be modified.
func (d *DomTree) Children(n int) []uint32 {
	d.childOnce.Do(d.buildChildren)
	return d.children[d.childStart[n]:d.childStart[n+1]]
}

func (d *DomTree) buildChildren() {
	n := len(d.idom)
	start := make([]uint32, n+1)
	for _, p := range d.idom {
		if p != noNode {
			start[p+1]++
		}
	}
	for i := 1; i <= n; i++ {
		start[i] += start[i-1]
	}
	pos := slices.Clone(start[:n])
	kids := make([]uint32, start[n])
	for v, p := range d.idom {
		if p != noNode {
			kids[pos[p]] = uint32(v)
			pos[p]++
		}
	}
	for v := range n {
		c := kids[start[v]:start[v+1]]
		if len(c) > 1 {
			slices.SortFunc(c, func(a, b uint32) int {
				ra, rb := d.retained[a], d.retained[b]
				switch {
				case ra > rb:
					return -1
				case ra < rb:
					return 1
				}
				return int(a) - int(b)
			})
		}
	}
	d.childStart, d.children = start, kids
}
