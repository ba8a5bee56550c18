package gc

import "testing"

// TestBufferStatsCountInlineBumps: objects native code bumps through a
// buffer (cursor moved, no start bit, no Go call) count in the stats,
// before and after the buffer is sealed, like the Go fast path's.
func TestBufferStatsCountInlineBumps(t *testing.T) {
	h := newTestHeap(t, Options{})
	b := NewBuffer()
	if err := h.AttachBuffer(b); err != nil {
		t.Fatal(err)
	}
	before := h.Stats()
	if _, err := h.AllocStructIn(b, tNode); err != nil { // refills b
		t.Fatal(err)
	}
	for i := 0; i < 5; i++ {
		if _, err := h.AllocStructIn(b, tNode); err != nil {
			t.Fatal(err)
		}
	}
	for i := 0; i < 7; i++ { // as AOT code does: header, bump (no start bit)
		c := *b.Cursor
		copy(h.b[c:c+16], h.b[c-16:c]) // the previous node's header
		*b.Cursor = c + 16
	}
	if got := h.Stats().AllocatedObjects - before.AllocatedObjects; got != 13 {
		t.Fatalf("1+5 Go and 7 inline allocations: stats count %d objects", got)
	}
	if err := h.Collect(); err != nil {
		t.Fatal(err)
	}
	if got := h.Stats().AllocatedObjects - before.AllocatedObjects; got != 13 {
		t.Fatalf("after a collection sealed the buffer: %d objects, want 13", got)
	}
}
