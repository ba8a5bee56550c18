// Package heapgen makes heap graphs for heapviz's tests and benchmarks: a
// small fixed sample for golden files, small arbitrary graphs (cycles,
// sharing, several roots, garbage) to check analyses against brute force,
// and large graphs shaped like real heaps (trees, lists, arrays) to
// measure them. A generated Heap also implements snapshot.Heap (see
// Source), so it doubles as the fake heap Capture is tested with.
package heapgen

import (
	"slices"

	"github.com/gcscope/gcscope/heapviz/snapshot"
)

// Heap is a generated heap in flat tables. Objects are numbered by
// position; IDs are their addresses, ascending.
type Heap struct {
	Types []snapshot.Type // canonical id = position, except for NoType kinds

	IDs   []uint32
	Type  []uint32 // index into Types
	Sizes []uint32
	Lens  []uint32

	// Outgoing references by object position, CSR.
	EdgeStart []uint32
	EdgeTo    []uint32 // object positions
	EdgeKind  []snapshot.EdgeKind
	EdgeIndex []uint32

	Roots []snapshot.Root // Target is an object id
}

// gen accumulates a heap while it is generated: objects get the next
// address, edges go to a triple list sorted into CSR by finish.
type gen struct {
	h    *Heap
	next uint32 // next free address
	from []uint32
	to   []uint32
	kind []snapshot.EdgeKind
	idx  []uint32
}

func newGen(types []snapshot.Type, objects int) *gen {
	return &gen{
		h: &Heap{
			Types: types,
			IDs:   make([]uint32, 0, objects),
			Type:  make([]uint32, 0, objects),
			Sizes: make([]uint32, 0, objects),
			Lens:  make([]uint32, 0, objects),
		},
		next: 8,
	}
}

// object allocates an object of type t and returns its position.
func (g *gen) object(t int, size, length uint32) uint32 {
	size = (size + 7) &^ 7
	p := uint32(len(g.h.IDs))
	g.h.IDs = append(g.h.IDs, g.next)
	g.h.Type = append(g.h.Type, uint32(t))
	g.h.Sizes = append(g.h.Sizes, size)
	g.h.Lens = append(g.h.Lens, length)
	g.next += size
	return p
}

func (g *gen) edge(from, to uint32, k snapshot.EdgeKind, idx uint32) {
	g.from = append(g.from, from)
	g.to = append(g.to, to)
	g.kind = append(g.kind, k)
	g.idx = append(g.idx, idx)
}

func (g *gen) root(r snapshot.Root, obj uint32) {
	r.Target = g.h.IDs[obj]
	g.h.Roots = append(g.h.Roots, r)
}

// finish sorts the edges by source (stably) into the heap's CSR tables.
func (g *gen) finish() *Heap {
	h := g.h
	n := len(h.IDs)
	h.EdgeStart = make([]uint32, n+1)
	for _, f := range g.from {
		h.EdgeStart[f+1]++
	}
	for i := 1; i <= n; i++ {
		h.EdgeStart[i] += h.EdgeStart[i-1]
	}
	pos := slices.Clone(h.EdgeStart[:n])
	m := len(g.from)
	h.EdgeTo = make([]uint32, m)
	h.EdgeKind = make([]snapshot.EdgeKind, m)
	h.EdgeIndex = make([]uint32, m)
	for i, f := range g.from {
		p := pos[f]
		pos[f]++
		h.EdgeTo[p], h.EdgeKind[p], h.EdgeIndex[p] = g.to[i], g.kind[i], g.idx[i]
	}
	return h
}

// NumEdges returns the number of references between objects.
func (h *Heap) NumEdges() int { return len(h.EdgeTo) }

// Build feeds h to a snapshot.Builder, the way capture code does.
func (h *Heap) Build() (*snapshot.Snapshot, error) {
	b := snapshot.NewBuilder(len(h.IDs), len(h.EdgeTo))
	typeIdx := make([]int, len(h.Types))
	for i, t := range h.Types {
		typeIdx[i] = b.AddType(t)
	}
	for i, id := range h.IDs {
		b.AddNode(snapshot.Node{ID: id, Type: typeIdx[h.Type[i]], Size: h.Sizes[i], Len: h.Lens[i]})
	}
	for i, id := range h.IDs {
		for e := h.EdgeStart[i]; e < h.EdgeStart[i+1]; e++ {
			b.AddEdge(id, h.IDs[h.EdgeTo[e]], h.EdgeKind[e], h.EdgeIndex[e])
		}
	}
	for _, r := range h.Roots {
		b.AddRoot(r)
	}
	return b.Finish()
}

// The snapshot.Heap methods, so tests can run Capture on a generated
// heap (see Source).

// Walk reports every object in address order.
func (h *Heap) Walk(fn func(id uint32) bool) {
	for _, id := range h.IDs {
		if !fn(id) {
			return
		}
	}
}

func (h *Heap) pos(id uint32) (int, bool) { return slices.BinarySearch(h.IDs, id) }

// Object describes object id.
func (h *Heap) Object(id uint32) (snapshot.ObjectInfo, bool) {
	p, ok := h.pos(id)
	if !ok {
		return snapshot.ObjectInfo{}, false
	}
	t := h.Types[h.Type[p]]
	return snapshot.ObjectInfo{Type: t.ID, Kind: t.Kind, Size: h.Sizes[p], Len: h.Lens[p]}, true
}

// TypeInfo returns the type with that id and kind.
func (h *Heap) TypeInfo(id uint32, kind snapshot.Kind) snapshot.Type {
	for _, t := range h.Types {
		if t.ID == id && t.Kind == kind {
			return t
		}
	}
	return snapshot.Type{}
}

// Refs reports object id's references.
func (h *Heap) Refs(id uint32, fn func(kind snapshot.EdgeKind, index, to uint32)) {
	p, ok := h.pos(id)
	if !ok {
		return
	}
	for e := h.EdgeStart[p]; e < h.EdgeStart[p+1]; e++ {
		fn(h.EdgeKind[e], h.EdgeIndex[e], h.IDs[h.EdgeTo[e]])
	}
}

// Source returns h as the snapshot.Heap that Capture reads.
func (h *Heap) Source() snapshot.Heap { return source{h} }

// source adds the Roots method, whose name the Roots field takes on Heap.
type source struct{ *Heap }

func (s source) Roots(fn func(snapshot.Root)) {
	for _, r := range s.Heap.Roots {
		fn(r)
	}
}
