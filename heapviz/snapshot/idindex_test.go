package snapshot

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestIDIndexAgreesWithSearch checks the bitmap index against binary
// search on dense, sparse, unaligned and empty id lists.
func TestIDIndexAgreesWithSearch(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	lists := map[string][]uint32{"empty": nil}
	var dense, sparse, odd []uint32
	for id := uint32(8); len(dense) < 500; id += 8 * uint32(1+rng.IntN(3)) {
		dense = append(dense, id)
	}
	for id := uint32(16); len(sparse) < 500; id += 8 * uint32(1+rng.IntN(100)) {
		sparse = append(sparse, id)
	}
	odd = append(slices.Clone(dense[:100]), 0xffff_fff1)
	lists["dense"], lists["sparse"], lists["odd"] = dense, sparse, odd
	for name, ids := range lists {
		x := newIDIndex(ids)
		if name == "dense" && x.bits == nil || name != "dense" && x.bits != nil {
			t.Errorf("%s: bitmap used = %v", name, x.bits != nil)
		}
		probe := func(id uint32) {
			gi, gok := x.find(id)
			wi, wok := slices.BinarySearch(ids, id)
			if gok != wok || (gok && gi != wi) {
				t.Fatalf("%s: find(%#x) = %d, %v; want %d, %v", name, id, gi, gok, wi, wok)
			}
		}
		for _, id := range ids {
			probe(id)
			probe(id + 1)
			probe(id + 8)
			probe(id - 8)
		}
		for _, id := range []uint32{0, 1, 7, 0xffff_fff8, 0xffff_ffff} {
			probe(id)
		}
	}
}
