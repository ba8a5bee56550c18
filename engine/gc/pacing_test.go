package gc

import "testing"

// TestNextBudget: twice the live data, at least InitialBytes, and at most
// maxExtraBudget over the live data.
func TestNextBudget(t *testing.T) {
	h := newTestHeap(t, Options{InitialBytes: 1 << 20})
	ms := h.space.(*markSweep)
	for _, c := range []struct{ live, want uint64 }{
		{0, 1 << 20},
		{300 << 10, 1 << 20},
		{600 << 10, 1200 << 10},
		{10 << 20, 20 << 20},
		{64 << 20, 128 << 20},
		{200 << 20, 264 << 20},
	} {
		if got := ms.nextBudget(c.live); got != c.want {
			t.Errorf("live %d: budget %d, want %d", c.live, got, c.want)
		}
	}
}

// TestPacingAfterLiveData: with memory already committed (by an earlier
// peak), the collections of a garbage loop come every twice-the-live
// bytes, not every live bytes.
func TestPacingAfterLiveData(t *testing.T) {
	h := newTestHeap(t, Options{MaxBytes: 64 << 20, InitialBytes: 64 << 10})
	peak := h.list(t, 200_000) // 3.2 MB: commits the heap well past what follows
	h.roots = []Ref{peak}
	if err := h.Collect(); err != nil {
		t.Fatal(err)
	}
	keep := h.list(t, 20_000) // 320 KB live from now on
	h.roots = []Ref{keep}
	if err := h.Collect(); err != nil {
		t.Fatal(err)
	}
	live := h.Stats().LiveBytes
	before := h.Stats().Collections
	const garbage = 100_000 // 1.6 MB of 16-byte nodes
	for i := 0; i < garbage; i++ {
		if _, err := h.AllocStruct(tNode); err != nil {
			t.Fatal(err)
		}
	}
	n := h.Stats().Collections - before
	// One collection per 2 x live bytes allocated (give or take one).
	want := garbage * 16 / (2 * live)
	if n+1 < want || n > want+1 {
		t.Fatalf("%d collections for %d bytes of garbage with %d live bytes, want about %d",
			n, garbage*16, live, want)
	}
	h.checkList(t, keep, 20_000)
}
