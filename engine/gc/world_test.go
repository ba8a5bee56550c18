package gc

import (
	"sync"
	"testing"
)

// TestConcurrentBuffers: threads bumping through their own buffers at the
// same time (no collection meanwhile) leave a heap whose start bitmap
// marks exactly the objects: neighbouring buffers, and the heap's own
// buffer, share bitmap words.
func TestConcurrentBuffers(t *testing.T) {
	h := newTestHeap(t, Options{InitialBytes: 64 << 20})
	const threads, each = 4, 40000
	bufs := make([]*Buffer, threads)
	for i := range bufs {
		bufs[i] = NewBuffer()
		if err := h.AttachBuffer(bufs[i]); err != nil {
			t.Fatal(err)
		}
	}
	var wg sync.WaitGroup
	for _, b := range bufs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				if _, err := h.AllocStructIn(b, tNode); err != nil {
					t.Error(err)
					return
				}
				if i%3 == 0 { // the heap's own buffer, carved next to refills
					if _, err := h.AllocStruct(tNode); err != nil {
						t.Error(err)
						return
					}
				}
			}
		}()
	}
	wg.Wait()
	if err := h.Verify(); err != nil {
		t.Fatal(err)
	}
}
