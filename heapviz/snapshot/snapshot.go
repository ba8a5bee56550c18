package snapshot

import (
	"slices"
	"sync"
)

// Snapshot is an immutable heap snapshot. Node and edge numbers are ints
// in the API and uint32 in the tables, which bounds a snapshot to 4G nodes
// and edges: a 32-bit heap of 8-byte-aligned objects holds at most 512M.
type Snapshot struct {
	// Nodes, struct of arrays, indexed by node number. Synthetic nodes
	// have id 0 and the pseudo-type synthType.
	ids   []uint32
	types []uint32 // index into typeTab
	sizes []uint32 // shallow size in bytes
	lens  []uint32 // array length (0 for other kinds)

	typeTab []Type

	// Outgoing edges in compressed sparse rows: node n's edges are
	// edgeStart[n] .. edgeStart[n+1]-1.
	edgeStart []uint32
	edgeTo    []uint32
	edgeKind  []EdgeKind
	edgeIndex []uint32

	roots []Root

	// Incoming edges, built on first use by In.
	inOnce  sync.Once
	inStart []uint32
	inEdge  []uint32 // edge numbers
	inFrom  []uint32 // their source nodes
}

// synthType is the type index every synthetic node uses; Builder reserves
// it as the first type.
const synthType = 0

// NumNodes returns the number of nodes, synthetic ones included.
func (s *Snapshot) NumNodes() int { return len(s.ids) }

// NumObjects returns the number of object nodes.
func (s *Snapshot) NumObjects() int { return len(s.ids) - FirstObject }

// NumEdges returns the number of edges, root and category edges included.
func (s *Snapshot) NumEdges() int { return len(s.edgeTo) }

// ID returns node n's object id (0 for synthetic nodes).
func (s *Snapshot) ID(n int) uint32 { return s.ids[n] }

// TypeIndex returns the index in Types() of node n's type.
func (s *Snapshot) TypeIndex(n int) int { return int(s.types[n]) }

// Type returns node n's type. The pointer is into the snapshot's table and
// must not be modified.
func (s *Snapshot) Type(n int) *Type { return &s.typeTab[s.types[n]] }

// Kind returns node n's kind.
func (s *Snapshot) Kind(n int) Kind { return s.typeTab[s.types[n]].Kind }

// Size returns node n's shallow size in bytes.
func (s *Snapshot) Size(n int) uint32 { return s.sizes[n] }

// Len returns node n's array length, 0 for other kinds.
func (s *Snapshot) Len(n int) uint32 { return s.lens[n] }

// Types returns the type table; index 0 is the synthetic nodes' type. The
// slice must not be modified.
func (s *Snapshot) Types() []Type { return s.typeTab }

// Roots returns every root; the root edge with index i stands for Roots()[i].
// The slice must not be modified.
func (s *Snapshot) Roots() []Root { return s.roots }

// Edges returns the range [lo, hi) of node n's outgoing edge numbers.
func (s *Snapshot) Edges(n int) (lo, hi int) {
	return int(s.edgeStart[n]), int(s.edgeStart[n+1])
}

// EdgeTo returns the node edge e points to.
func (s *Snapshot) EdgeTo(e int) int { return int(s.edgeTo[e]) }

// EdgeKind returns what edge e stands for.
func (s *Snapshot) EdgeKind(e int) EdgeKind { return s.edgeKind[e] }

// EdgeIndex returns edge e's index (field, element, root or internal
// number, by its kind).
func (s *Snapshot) EdgeIndex(e int) uint32 { return s.edgeIndex[e] }

// EdgeFrom returns the node edge e leaves from.
func (s *Snapshot) EdgeFrom(e int) int {
	// The last node whose first edge is at or before e: a binary search on
	// the row starts, so no per-edge source table is kept.
	n, _ := slices.BinarySearch(s.edgeStart, uint32(e)+1)
	return n - 1
}

// Find returns the node of object id, if the snapshot has it.
func (s *Snapshot) Find(id uint32) (int, bool) {
	objs := s.ids[FirstObject:]
	i, ok := slices.BinarySearch(objs, id)
	return i + FirstObject, ok
}

// Category returns the root category of a category node.
func (s *Snapshot) Category(n int) (RootCategory, bool) {
	if n < 1 || n >= FirstObject {
		return 0, false
	}
	return RootCategory(n - 1), true
}

// In returns node n's incoming edges: edge numbers and, in the same order,
// their source nodes. The slices must not be modified.
func (s *Snapshot) In(n int) (edges, from []uint32) {
	s.inOnce.Do(s.buildIn)
	lo, hi := s.inStart[n], s.inStart[n+1]
	return s.inEdge[lo:hi], s.inFrom[lo:hi]
}

// buildIn makes the reverse CSR by counting sort on the edges' targets,
// keeping sources in node order.
func (s *Snapshot) buildIn() {
	n := len(s.ids)
	start := make([]uint32, n+1)
	for _, t := range s.edgeTo {
		start[t+1]++
	}
	for i := 1; i <= n; i++ {
		start[i] += start[i-1]
	}
	pos := slices.Clone(start[:n])
	edges := make([]uint32, len(s.edgeTo))
	from := make([]uint32, len(s.edgeTo))
	for v := range n {
		for e := s.edgeStart[v]; e < s.edgeStart[v+1]; e++ {
			t := s.edgeTo[e]
			edges[pos[t]] = e
			from[pos[t]] = uint32(v)
			pos[t]++
		}
	}
	s.inStart, s.inEdge, s.inFrom = start, edges, from
}

// EdgeName labels edge e for people: the field name, the element index,
// the root's place, or the category of a super-root edge.
func (s *Snapshot) EdgeName(e int) string {
	idx := s.edgeIndex[e]
	switch s.edgeKind[e] {
	case EdgeField:
		return s.Type(s.EdgeFrom(e)).FieldName(idx)
	case EdgeElement:
		return "[" + itoa(idx) + "]"
	case EdgeRoot:
		if int64(idx) < int64(len(s.roots)) {
			return s.roots[idx].Label()
		}
	case EdgeInternal:
		if s.EdgeFrom(e) == SuperRoot && idx < uint32(NumRootCategories) {
			return RootCategory(idx).String()
		}
	}
	return "internal " + itoa(idx)
}

// NodeName labels node n for people: "(root)", "(frame roots)", or the
// type name and id, e.g. "$node@0x1a8".
func (s *Snapshot) NodeName(n int) string {
	if n == SuperRoot {
		return "(root)"
	}
	if c, ok := s.Category(n); ok {
		return "(" + c.String() + " roots)"
	}
	return s.Type(n).DisplayName() + "@0x" + hex(s.ids[n])
}
