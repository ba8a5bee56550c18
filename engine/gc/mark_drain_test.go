package gc

import "testing"

// TestBadFieldRefsCounted: references in fields and elements that are not
// objects are counted and skipped while marking (drain), and the valid
// ones beside them are still marked.
func TestBadFieldRefsCounted(t *testing.T) {
	h := newTestHeap(t, Options{})
	keep := h.node(t, Null, 7)
	n := h.node(t, Null, 1)
	arr, err := h.AllocArray(tRefArr, 3)
	if err != nil {
		t.Fatal(err)
	}
	// Written raw: the accessors would not store these.
	le.PutUint32(h.b[uint64(n)+8:], uint32(keep)+8) // inside an object
	le.PutUint32(h.b[uint64(arr)+12:], 0x7ffffff0)  // beyond the heap
	le.PutUint32(h.b[uint64(arr)+16:], uint32(keep))
	h.roots = []Ref{n, arr}
	if err := h.Collect(); err != nil {
		t.Fatal(err)
	}
	if st := h.Stats(); st.BadRefs != 2 || st.LiveObjects != 3 {
		t.Fatalf("BadRefs %d, live %d; want 2 and 3", st.BadRefs, st.LiveObjects)
	}
	if !h.Valid(keep) || h.GetField(keep, 1) != 7 {
		t.Fatal("the node the array refers to was freed")
	}
}
