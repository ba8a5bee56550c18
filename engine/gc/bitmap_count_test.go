package gc

import (
	"math/rand/v2"
	"testing"
)

// TestBitmapCount: count agrees with a bit-by-bit count for random
// bitmaps and ranges, including ranges within one word, ending on a word
// boundary and running past the bitmap.
func TestBitmapCount(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	m := make(bitmap, 6)
	for trial := 0; trial < 2000; trial++ {
		for i := range m {
			m[i] = rng.Uint64() & rng.Uint64()
		}
		from := uint64(rng.IntN(6*64)) * 8
		to := from + uint64(rng.IntN(7*64-int(from/8)))*8
		want := uint64(0)
		for off := from; off < to && off < 6*512; off += 8 {
			if m.has(off) {
				want++
			}
		}
		if got := m.count(from, to); got != want {
			t.Fatalf("count(%#x, %#x) = %d, want %d (bitmap %x)", from, to, got, want, m)
		}
	}
}
