package heapgen

import (
	"math/rand/v2"

	"github.com/gcscope/gcscope/heapviz/snapshot"
)

// smallTypes are the types of Random's graphs: a struct with named and
// unnamed fields, an array, a funcref.
var smallTypes = []snapshot.Type{
	{ID: 0, Kind: snapshot.KindStruct, Name: "$pair", Fields: []string{"car", "cdr"}},
	{ID: 1, Kind: snapshot.KindArray, Name: "$vec"},
	{ID: 2, Kind: snapshot.KindStruct, Name: "", Fields: []string{"", "x"}},
	{ID: snapshot.NoType, Kind: snapshot.KindFunc},
}

// Random makes an arbitrary small heap: n objects, about m references
// between random objects (self-references, cycles and sharing included)
// and r roots in random categories (several may hold one object; some
// objects are unreachable garbage).
func Random(rng *rand.Rand, n, m, r int) *Heap {
	g := newGen(smallTypes, n)
	for range n {
		t := rng.IntN(len(smallTypes))
		var length uint32
		if smallTypes[t].Kind == snapshot.KindArray {
			length = uint32(rng.IntN(5))
		}
		g.object(t, 8+uint32(rng.IntN(64)), length)
	}
	if n == 0 {
		return g.finish()
	}
	for range m {
		from := uint32(rng.IntN(n))
		k, idx := snapshot.EdgeField, uint32(rng.IntN(3))
		switch g.h.Types[g.h.Type[from]].Kind {
		case snapshot.KindArray:
			k = snapshot.EdgeElement
		case snapshot.KindFunc:
			k = snapshot.EdgeInternal
		}
		g.edge(from, uint32(rng.IntN(n)), k, idx)
	}
	for i := range r {
		c := snapshot.RootCategory(rng.IntN(int(snapshot.NumRootCategories)))
		g.root(snapshot.Root{Category: c, Index: uint32(i), Slot: uint32(rng.IntN(4))}, uint32(rng.IntN(n)))
	}
	return g.finish()
}
