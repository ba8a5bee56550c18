package heapgen

import "github.com/gcscope/gcscope/heapviz/snapshot"

// Sample returns a small fixed heap for golden files and examples: a
// two-node list whose cells hold byte arrays, a three-node tree with
// parent pointers (cycles), an array sharing a list cell and a tree leaf,
// a funcref, and one garbage object; roots in three categories, one object
// held by two roots.
func Sample() *Heap {
	g := newGen(heapTypes, 16)
	c0 := g.object(tCons, 16, 0)  // 0x08
	b0 := g.object(tBytes, 16, 3) // 0x18
	c1 := g.object(tCons, 16, 0)  // 0x28
	b1 := g.object(tBytes, 24, 9) // 0x38
	g.edge(c0, c1, snapshot.EdgeField, 0)
	g.edge(c0, b0, snapshot.EdgeField, 1)
	g.edge(c1, b1, snapshot.EdgeField, 1)
	t0 := g.object(tTree, 24, 0) // 0x50
	t1 := g.object(tTree, 24, 0) // 0x68
	t2 := g.object(tTree, 24, 0) // 0x80
	g.edge(t0, t1, snapshot.EdgeField, 0)
	g.edge(t0, t2, snapshot.EdgeField, 1)
	g.edge(t1, t0, snapshot.EdgeField, 2)
	g.edge(t2, t0, snapshot.EdgeField, 2)
	v := g.object(tVec, 24, 2) // 0x98
	g.edge(v, c1, snapshot.EdgeElement, 0)
	g.edge(v, t2, snapshot.EdgeElement, 1)
	f := g.object(tFunc, 16, 0) // 0xb0
	g.object(tPoint, 24, 0)     // 0xc0, garbage
	g.edge(v, f, snapshot.EdgeInternal, 7)
	g.root(snapshot.Root{Category: snapshot.RootFrame, Thread: 1, Frame: 0, Func: 3, Slot: 1, Name: "$main"}, c0)
	g.root(snapshot.Root{Category: snapshot.RootGlobal, Index: 0, Name: "$tree"}, t0)
	g.root(snapshot.Root{Category: snapshot.RootTable, Index: 0, Slot: 4}, v)
	g.root(snapshot.Root{Category: snapshot.RootFrame, Thread: 1, Frame: 1, Func: 2, Slot: 0}, v)
	return g.finish()
}
