package gc

import (
	"math/rand"
	"testing"
)

// TestBuffersCoverWholeStartWords checks what lets AOT code set start
// bits without a locked instruction (buffer_align.go): every refill hands
// out memory that begins and ends on a start-bitmap word boundary, and no
// object allocated outside a buffer (the heap's locked path) shares a
// start-bitmap word with a live buffer, through collections, heap growth
// and fragmentation.
func TestBuffersCoverWholeStartWords(t *testing.T) {
	h := newTestHeap(t, Options{InitialBytes: 64 << 10, MaxBytes: 16 << 20})
	bufs := []*Buffer{NewBuffer(), NewBuffer(), NewBuffer()}
	for _, b := range bufs {
		if err := h.AttachBuffer(b); err != nil {
			t.Fatal(err)
		}
	}
	rng := rand.New(rand.NewSource(1))
	refills := 0
	word := func(off uint64) uint64 { return off >> StartWordShift }
	check := func(r Ref, inBuf *Buffer) {
		t.Helper()
		for _, b := range bufs {
			start, lim := b.start, *b.Limit
			if start == 0 {
				continue
			}
			if start%StartWordBytes != 0 || lim%StartWordBytes != 0 {
				t.Fatalf("buffer [%#x, %#x) is not aligned to start-bitmap words", start, lim)
			}
			if b == inBuf {
				continue
			}
			if w := word(uint64(r)); w >= word(start) && w < word(lim) {
				t.Fatalf("object %#x (%d bytes) shares start-bitmap word %d with buffer [%#x, %#x)",
					uint32(r), h.SizeOf(r), w, start, lim)
			}
		}
	}
	for i := 0; i < 30000; i++ {
		b := bufs[rng.Intn(len(bufs))]
		before := b.start
		var r Ref
		var err error
		switch rng.Intn(4) {
		case 0:
			r, err = h.AllocStructIn(b, tNode)
		case 1:
			r, err = h.AllocArrayIn(b, tI8Arr, uint32(rng.Intn(2000)))
		case 2:
			r, err = h.AllocStruct(tPair)
			b = nil
		default:
			r, err = h.AllocArray(tI8Arr, uint32(rng.Intn(700)))
			b = nil
		}
		if err != nil {
			t.Fatal(err)
		}
		if b != nil && b.start != before {
			refills++
		}
		check(r, b)
		if rng.Intn(50) == 0 { // keep some objects, so the heap fragments
			h.roots = append(h.roots, r)
		}
		if rng.Intn(2000) == 0 {
			if err := h.Collect(); err != nil {
				t.Fatal(err)
			}
		}
	}
	if refills < 100 {
		t.Fatalf("only %d refills: the test does not exercise them", refills)
	}
	if err := h.Verify(); err != nil {
		t.Fatal(err)
	}
}
