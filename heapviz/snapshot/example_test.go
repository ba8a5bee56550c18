package snapshot_test

import (
	"fmt"

	"github.com/gcscope/gcscope/heapviz/snapshot"
)

// The capture code's side: types first, then objects, references and roots
// in any order, then Finish.
func ExampleBuilder() {
	b := snapshot.NewBuilder(2, 1)
	node := b.AddType(snapshot.Type{ID: 3, Kind: snapshot.KindStruct, Name: "$node", Fields: []string{"next"}})
	b.AddNode(snapshot.Node{ID: 0x10, Type: node, Size: 16})
	b.AddNode(snapshot.Node{ID: 0x20, Type: node, Size: 16})
	b.AddEdge(0x10, 0x20, snapshot.EdgeField, 0)
	b.AddRoot(snapshot.Root{Category: snapshot.RootGlobal, Name: "$head", Target: 0x10})
	s, err := b.Finish()
	if err != nil {
		panic(err)
	}
	for n := range s.NumNodes() {
		lo, hi := s.Edges(n)
		for e := lo; e < hi; e++ {
			if s.EdgeKind(e) != snapshot.EdgeInternal {
				fmt.Printf("%s -%s-> %s\n", s.NodeName(n), s.EdgeName(e), s.NodeName(s.EdgeTo(e)))
			}
		}
	}
	// Output:
	// (global roots) -global $head-> $node@0x10
	// $node@0x10 -next-> $node@0x20
}
