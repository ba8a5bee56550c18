package heapgen

import (
	"math/rand/v2"

	"github.com/gcscope/gcscope/heapviz/snapshot"
)

// Types of HeapLike's heaps, by position.
const (
	tTree  = iota // binary tree node: left, right, parent, value
	tCons         // list cell: next, item
	tBytes        // array of i8
	tVec          // array of references
	tPoint        // small struct of two f64
	tFunc         // funcref
	tExt          // extern wrapper
)

var heapTypes = []snapshot.Type{
	tTree:  {ID: 10, Kind: snapshot.KindStruct, Name: "$tree", Fields: []string{"left", "right", "parent", "value"}},
	tCons:  {ID: 11, Kind: snapshot.KindStruct, Name: "$cons", Fields: []string{"next", "item"}},
	tBytes: {ID: 12, Kind: snapshot.KindArray, Name: "$bytes"},
	tVec:   {ID: 13, Kind: snapshot.KindArray, Name: "$vec"},
	tPoint: {ID: 14, Kind: snapshot.KindStruct, Name: "$point", Fields: []string{"x", "y"}},
	tFunc:  {ID: snapshot.NoType, Kind: snapshot.KindFunc},
	tExt:   {ID: snapshot.NoType, Kind: snapshot.KindExtern},
}

// HeapLike makes a heap of about n objects shaped like a real program's:
// binary trees (half with parent pointers, so cycles everywhere; some
// nodes holding objects made earlier), linked
// lists whose cells hold byte arrays, arrays of references that share
// objects made earlier, points, funcrefs and extern wrappers; about one
// structure in a hundred is garbage (no root). Roots are globals, frame
// slots and table elements.
func HeapLike(rng *rand.Rand, n int) *Heap {
	g := newGen(heapTypes, n)
	for len(g.h.IDs) < n {
		left := n - len(g.h.IDs)
		var top uint32
		switch x := rng.IntN(10); {
		case x < 4:
			top = g.tree(rng, min(1+rng.IntN(2000), left), rng.IntN(2) == 0)
		case x < 7:
			top = g.list(rng, min(1+rng.IntN(2500), (left+1)/2))
		case x < 9:
			top = g.vec(rng, 1+rng.IntN(64))
		default:
			top = g.object(tFunc+rng.IntN(2), 16, 0)
		}
		if rng.IntN(100) == 0 {
			continue // garbage
		}
		var r snapshot.Root
		switch rng.IntN(3) {
		case 0:
			r = snapshot.Root{Category: snapshot.RootGlobal, Index: uint32(len(g.h.Roots))}
		case 1:
			r = snapshot.Root{Category: snapshot.RootFrame, Frame: uint32(rng.IntN(20)), Func: uint32(rng.IntN(50)), Slot: uint32(rng.IntN(8))}
		default:
			r = snapshot.Root{Category: snapshot.RootTable, Slot: uint32(len(g.h.Roots))}
		}
		g.root(r, top)
	}
	return g.finish()
}

// tree makes a complete binary tree of k nodes in breadth-first order and
// returns its root. A quarter of the nodes also hold ("value") an object
// made earlier, so structures share objects as in real heaps and the
// dominator tree is not just the structures themselves.
func (g *gen) tree(rng *rand.Rand, k int, parents bool) uint32 {
	first := uint32(len(g.h.IDs))
	for range k {
		g.object(tTree, 8+4*3+4, 0)
	}
	for i := range uint32(k) {
		if l := 2*i + 1; int(l) < k {
			g.edge(first+i, first+l, snapshot.EdgeField, 0)
			if parents {
				g.edge(first+l, first+i, snapshot.EdgeField, 2)
			}
		}
		if r := 2*i + 2; int(r) < k {
			g.edge(first+i, first+r, snapshot.EdgeField, 1)
			if parents {
				g.edge(first+r, first+i, snapshot.EdgeField, 2)
			}
		}
		if first > 0 && rng.IntN(4) == 0 {
			g.edge(first+i, uint32(rng.IntN(int(first))), snapshot.EdgeField, 3)
		}
	}
	return first
}

// list makes k cells, each holding a fresh byte array (or, one time in
// eight, an object made earlier), and returns the head.
func (g *gen) list(rng *rand.Rand, k int) uint32 {
	var head uint32
	for i := range k {
		c := g.object(tCons, 8+8, 0)
		if i == 0 {
			head = c
		} else {
			g.edge(c-2, c, snapshot.EdgeField, 0) // previous cell; its item sits between
		}
		var item uint32
		if rng.IntN(8) == 0 && c > 0 {
			item = uint32(rng.IntN(int(c)))
		} else {
			l := uint32(rng.IntN(100))
			item = g.object(tBytes, 12+l, l)
		}
		if i > 0 && item != c+1 {
			// Keep "previous cell = c-2" true: pad with a byte array.
			g.object(tBytes, 12, 0)
		}
		g.edge(c, item, snapshot.EdgeField, 1)
	}
	return head
}

// vec makes an array of k references, a third to fresh points and the
// rest to objects made earlier, and returns it.
func (g *gen) vec(rng *rand.Rand, k int) uint32 {
	v := g.object(tVec, 12+4*uint32(k), uint32(k))
	for i := range uint32(k) {
		var to uint32
		if rng.IntN(3) == 0 || v == 0 {
			to = g.object(tPoint, 8+16, 0)
		} else {
			to = uint32(rng.IntN(int(v)))
		}
		g.edge(v, to, snapshot.EdgeElement, i)
	}
	return v
}
