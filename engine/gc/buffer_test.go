package gc

import (
	"errors"
	"testing"
)

func TestBufferAllocation(t *testing.T) {
	h := newTestHeap(t, Options{InitialBytes: 64 << 10})
	b1, b2 := NewBuffer(), NewBuffer()
	h.AttachBuffer(b1)
	h.AttachBuffer(b2)
	h.roots = []Ref{Null, Null}
	for i := 0; i < 20000; i++ {
		for j, b := range []*Buffer{b1, b2} {
			r, err := h.AllocStructIn(b, tNode)
			if err != nil {
				t.Fatal(err)
			}
			if h.GetField(r, 0) != 0 || h.GetField(r, 1) != 0 {
				t.Fatal("buffer memory not zeroed")
			}
			h.SetField(r, 1, uint64(i))
			if i%2 == 0 { // odd nodes are garbage
				h.SetField(r, 0, uint64(h.roots[j]))
				h.roots[j] = r
			}
		}
		if i%1000 == 0 {
			a, err := h.AllocArrayIn(b1, tI8Arr, 5000) // large: placed directly
			if err != nil || h.ArrayLen(a) != 5000 {
				t.Fatalf("large array through a buffer: %v", err)
			}
		}
	}
	if *b1.Cursor == 0 || *b1.Limit-*b1.Cursor > bufferChunk {
		t.Fatalf("buffer bounds %d..%d", *b1.Cursor, *b1.Limit)
	}
	if err := h.Verify(); err != nil {
		t.Fatal(err)
	}
	if err := h.Collect(); err != nil {
		t.Fatal(err)
	}
	if *b1.Cursor != 0 || *b1.Limit != 0 {
		t.Fatal("collection did not empty the buffer")
	}
	if err := h.Verify(); err != nil {
		t.Fatal(err)
	}
	st := h.Stats()
	if st.LiveObjects != 20000 || st.AllocatedObjects != st.FreedObjects+st.LiveObjects ||
		st.AllocatedBytes != st.FreedBytes+st.LiveBytes {
		t.Fatalf("stats %+v", st)
	}
	for j := range h.roots {
		r, want := h.roots[j], uint64(19998)
		for r != Null {
			if h.GetField(r, 1) != want {
				t.Fatalf("list %d: %d, want %d", j, h.GetField(r, 1), want)
			}
			r, want = Ref(h.GetField(r, 0)), want-2
		}
	}
	h.DetachBuffer(b2)
	if _, err := h.AllocStructIn(b1, tNode); err != nil {
		t.Fatal(err)
	}
	if err := h.Verify(); err != nil {
		t.Fatal(err)
	}
}

// Stats count buffer allocations at once, and a Walk sees them.
func TestBufferStatsAndWalk(t *testing.T) {
	h := newTestHeap(t, Options{})
	b := NewBuffer()
	h.AttachBuffer(b)
	before := h.Stats()
	for i := 0; i < 10; i++ {
		if _, err := h.AllocStructIn(b, tNode); err != nil {
			t.Fatal(err)
		}
	}
	st := h.Stats()
	if st.AllocatedObjects-before.AllocatedObjects != 10 || st.AllocatedBytes-before.AllocatedBytes != 160 {
		t.Fatalf("stats after 10 nodes: %+v", st)
	}
	if n, _ := h.count(); n != 10 {
		t.Fatalf("walk saw %d objects", n)
	}
	// The walk's free header in the buffer is overwritten by the next bump.
	r, _ := h.AllocStructIn(b, tNode)
	if h.GetField(r, 0) != 0 || h.KindOf(r) != KindStruct {
		t.Fatal("bump after walk")
	}
	if err := h.Verify(); err != nil {
		t.Fatal(err)
	}
}

func TestBufferStressAndOOM(t *testing.T) {
	h := newTestHeap(t, Options{Stress: true, MaxBytes: 64 << 10, InitialBytes: 4096})
	b := NewBuffer()
	h.AttachBuffer(b)
	a, _ := h.AllocStructIn(b, tNode) // unrooted
	h.SetField(a, 1, 77)
	h.AllocStructIn(b, tNode)
	if h.hasNode(77) {
		t.Fatal("stress mode kept an unrooted buffer object")
	}
	var err error
	for i := 0; i < 10000 && err == nil; i++ {
		var r Ref
		r, err = h.AllocArrayIn(b, tI8Arr, 100)
		h.roots = append(h.roots, r)
	}
	if !errors.Is(err, ErrOutOfMemory) {
		t.Fatalf("filling the heap through a buffer: %v", err)
	}
	if *b.Cursor != *b.Limit {
		t.Fatal("buffer not empty after out of memory")
	}
	if err := h.Verify(); err != nil {
		t.Fatal(err)
	}
}

// Buffers that are not attached, attached elsewhere or outlive their heap
// are refused, never bumped into.
func TestBufferMisuse(t *testing.T) {
	h := newTestHeap(t, Options{})
	other := newTestHeap(t, Options{})
	b := NewBuffer()
	if _, err := h.AllocStructIn(b, tNode); !errors.Is(err, ErrBufferAttached) {
		t.Fatalf("unattached buffer: %v", err)
	}
	if err := other.AttachBuffer(b); err != nil {
		t.Fatal(err)
	}
	if _, err := other.AllocStructIn(b, tNode); err != nil {
		t.Fatal(err)
	}
	if err := h.AttachBuffer(b); !errors.Is(err, ErrBufferAttached) {
		t.Fatalf("attached twice: %v", err)
	}
	if _, err := h.AllocStructIn(b, tNode); !errors.Is(err, ErrBufferAttached) {
		t.Fatalf("foreign buffer: %v", err)
	}
	if err := h.Refill(b, 16); !errors.Is(err, ErrBufferAttached) {
		t.Fatalf("foreign refill: %v", err)
	}
	other.Close()
	if _, err := other.AllocStructIn(b, tNode); err == nil {
		t.Fatal("allocated through a buffer of a closed heap")
	}
	if err := h.AttachBuffer(b); err != nil {
		t.Fatalf("reattaching after close: %v", err)
	}
	if _, err := h.AllocStructIn(b, tNode); err != nil {
		t.Fatal(err)
	}
	if err := h.Verify(); err != nil {
		t.Fatal(err)
	}
}
