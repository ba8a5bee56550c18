package mem

import (
	"sync"
	"testing"
	"time"
)

func TestWaitNotify(t *testing.T) {
	m, err := NewLinear(memType(1, 1, true, true, false))
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	b := m.Bytes()
	if r, err := m.Wait32(0, 1, -1); err != nil || r != WaitNotEqual {
		t.Fatalf("not-equal: %v %v", r, err)
	}
	if r, _ := m.Wait64(8, 0, time.Millisecond); r != WaitTimedOut || m.Waiting(8) != 0 {
		t.Fatalf("timeout: %v, %d still waiting", r, m.Waiting(8))
	}
	if _, err := m.Wait32(2, 0, 0); err != ErrUnaligned {
		t.Fatalf("unaligned wait: %v", err)
	}
	if _, err := m.Notify(PageSize, 1); err != ErrOutOfBounds {
		t.Fatalf("notify out of bounds: %v", err)
	}
	var wg sync.WaitGroup
	results := make(chan WaitResult, 3)
	for i := 0; i < 3; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r, _ := m.Wait32(16, 0, -1)
			results <- r
		}()
	}
	for m.Waiting(16) < 3 {
		time.Sleep(time.Millisecond)
	}
	_ = AtomicStore(b, 16, 4, 1)
	if n, _ := m.Notify(16, 2); n != 2 {
		t.Fatalf("notify woke %d, want 2", n)
	}
	if n, _ := m.Notify(16, 5); n != 1 {
		t.Fatalf("second notify woke %d, want 1", n)
	}
	wg.Wait()
	close(results)
	for r := range results {
		if r != WaitOK {
			t.Fatalf("woken waiter returned %v", r)
		}
	}
	if n, _ := m.Notify(16, 5); n != 0 {
		t.Fatal("notify with no waiters")
	}
}

func TestWaitUnshared(t *testing.T) {
	m, _ := NewLinear(memType(1, 1, true, false, false))
	defer m.Close()
	if _, err := m.Wait32(0, 0, 0); err != ErrNotShared {
		t.Fatalf("wait on unshared memory: %v", err)
	}
	if n, err := m.Notify(0, 1); n != 0 || err != nil {
		t.Fatalf("notify on unshared memory: %d %v", n, err)
	}
}
