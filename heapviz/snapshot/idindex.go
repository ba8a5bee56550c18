package snapshot

import (
	"math/bits"
	"slices"
)

// idIndex finds ids in a sorted id list. Resolving every edge's two ids by
// binary search was most of the cost of building a big snapshot. Object
// ids are 8-aligned heap offsets, so the index keeps one bit per 8 bytes
// of the id range (set where an object starts) and, per 64-bit word, the
// count of objects before it: an id's position is that count plus the set
// bits below it in its word. That is 12 bytes per 512 bytes of heap, so it
// is used whenever it is smaller than the id list itself; otherwise, and
// for boxed i31 ids, which are odd, it falls back to binary search.
type idIndex struct {
	ids  []uint32
	base uint32
	bits []uint64 // bit k: an id at base + 8k
	rank []uint32 // ids before word w
}

func newIDIndex(ids []uint32) idIndex {
	x := idIndex{ids: ids}
	if len(ids) == 0 {
		return x
	}
	for _, id := range ids {
		if id&7 != 0 {
			return x
		}
	}
	lo, hi := ids[0], ids[len(ids)-1]
	words := uint64(hi-lo)/8/64 + 1
	if words > uint64(len(ids))/3+64 {
		return x // sparse: the bitmap would outweigh the ids
	}
	x.base = lo
	x.bits = make([]uint64, words)
	x.rank = make([]uint32, words)
	for _, id := range ids {
		k := (id - lo) / 8
		x.bits[k/64] |= 1 << (k % 64)
	}
	n := uint32(0)
	for w, b := range x.bits {
		x.rank[w] = n
		n += uint32(bits.OnesCount64(b))
	}
	return x
}

// find returns id's position in the list.
func (x *idIndex) find(id uint32) (int, bool) {
	if x.bits == nil {
		return slices.BinarySearch(x.ids, id)
	}
	if id < x.base || id&7 != 0 {
		return 0, false
	}
	k := uint64(id-x.base) / 8
	w, bit := k/64, k%64
	if w >= uint64(len(x.bits)) || x.bits[w]&(1<<bit) == 0 {
		return 0, false
	}
	below := x.bits[w] & (1<<bit - 1)
	return int(x.rank[w]) + bits.OnesCount64(below), true
}
