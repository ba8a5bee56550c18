package analysis

import "github.com/gcscope/gcscope/heapviz/snapshot"

// PathTree holds a shortest path from the roots to every reachable node:
// one breadth-first search from the super-root, after which each PathTo is
// a walk back along the recorded edges.
type PathTree struct {
	s      *snapshot.Snapshot
	via    []uint32 // the edge each node was first reached by; noNode if none
	length []uint32 // edges from the super-root
}

// ShortestPaths searches s breadth first from the super-root, trying each
// node's edges in order, so the paths found are the shortest ones and,
// among equally short ones, the first in edge order (roots in category
// order: frames first).
func ShortestPaths(s *snapshot.Snapshot) *PathTree {
	n := s.NumNodes()
	p := &PathTree{s: s, via: make([]uint32, n), length: make([]uint32, n)}
	for i := range p.via {
		p.via[i] = noNode
	}
	queue := make([]uint32, 1, 1024)
	queue[0] = snapshot.SuperRoot
	for head := 0; head < len(queue); head++ {
		v := int(queue[head])
		lo, hi := s.Edges(v)
		for e := lo; e < hi; e++ {
			w := s.EdgeTo(e)
			if w == snapshot.SuperRoot || p.via[w] != noNode {
				continue
			}
			p.via[w] = uint32(e)
			p.length[w] = p.length[v] + 1
			queue = append(queue, uint32(w))
		}
	}
	return p
}

// Step is one edge of a path.
type Step struct {
	Edge     int // edge number in the snapshot
	From, To int // nodes
	Kind     snapshot.EdgeKind
	Label    string // the snapshot's EdgeName
}

// Path leads from a root to an object.
type Path struct {
	Category snapshot.RootCategory
	Root     int    // index into the snapshot's Roots()
	Steps    []Step // Steps[0] is the root edge, from the category node to the root's object
}

// Len returns the number of references followed from the root, 0 for the
// root's own object.
func (p *Path) Len() int { return len(p.Steps) - 1 }

// PathTo returns a shortest path from a root to node n; ok is false if n
// is synthetic or not reachable.
func (p *PathTree) PathTo(n int) (path Path, ok bool) {
	if n < snapshot.FirstObject || n >= len(p.via) || p.via[n] == noNode {
		return Path{}, false
	}
	steps := make([]Step, p.length[n]-1)
	for i, v := len(steps)-1, n; i >= 0; i-- {
		e := int(p.via[v])
		from := p.s.EdgeFrom(e)
		steps[i] = Step{Edge: e, From: from, To: v, Kind: p.s.EdgeKind(e), Label: p.s.EdgeName(e)}
		v = from
	}
	first := steps[0]
	c, _ := p.s.Category(first.From)
	return Path{Category: c, Root: int(p.s.EdgeIndex(first.Edge)), Steps: steps}, true
}

// Distance returns the number of edges from the super-root to node n, or
// -1 if n is unreachable.
func (p *PathTree) Distance(n int) int {
	if n != snapshot.SuperRoot && p.via[n] == noNode {
		return -1
	}
	return int(p.length[n])
}
