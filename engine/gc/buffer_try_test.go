package gc

import "testing"

// TestTryAllocNeverCollects: the Try* allocations refill without
// collecting or growing, and otherwise report false and change nothing
// the full path would do (no collection, no growth, no allocation).
func TestTryAllocNeverCollects(t *testing.T) {
	h := newTestHeap(t, Options{InitialBytes: 64 << 10, MaxBytes: 1 << 20})
	b := NewBuffer()
	if err := h.AttachBuffer(b); err != nil {
		t.Fatal(err)
	}
	ok, refused := 0, 0
	for i := 0; i < 20000; i++ {
		before := h.Stats()
		r, done := h.TryAllocStructIn(b, tNode)
		after := h.Stats()
		if after.Collections != before.Collections || after.CommittedBytes != before.CommittedBytes {
			t.Fatalf("TryAllocStructIn collected or grew the heap: %+v -> %+v", before, after)
		}
		if !done {
			refused++
			if after.AllocatedObjects != before.AllocatedObjects {
				t.Fatal("a refused TryAllocStructIn allocated")
			}
			// The full path collects (pacing) and goes on.
			var err error
			if r, err = h.AllocStructIn(b, tNode); err != nil {
				t.Fatal(err)
			}
		} else {
			ok++
			if h.GetField(r, 0) != 0 || h.GetField(r, 1) != 0 || !h.isStart(uint64(r)) {
				t.Fatal("TryAllocStructIn object not zeroed or not started")
			}
		}
		if i%100 == 0 {
			h.roots = append(h.roots, r)
		}
	}
	if ok < 1000 || refused == 0 {
		t.Fatalf("%d served, %d refused: pacing never refused or nothing was served", ok, refused)
	}
	if err := h.Verify(); err != nil {
		t.Fatal(err)
	}
	// A held lock or stress mode: refused at once.
	empty := NewBuffer()
	if err := h.AttachBuffer(empty); err != nil {
		t.Fatal(err)
	}
	h.mu.Lock()
	if _, done := h.TryAllocArrayIn(empty, tI8Arr, 10); done {
		t.Fatal("TryAllocArrayIn waited for or ignored the heap's lock")
	}
	h.mu.Unlock()
	s := newTestHeap(t, Options{Stress: true})
	sb := NewBuffer()
	if err := s.AttachBuffer(sb); err != nil {
		t.Fatal(err)
	}
	if _, done := s.TryAllocStructIn(sb, tNode); done {
		t.Fatal("TryAllocStructIn in stress mode, where every allocation must collect")
	}
}
