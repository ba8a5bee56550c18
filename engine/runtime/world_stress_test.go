package runtime

import (
	goruntime "runtime"
	"sync"
	"sync/atomic"
	"testing"
)

// TestWorldStopIsExactUnderChurn: threads enter and leave the world as
// fast as they can (the lock-free path of enterWorld/leaveWorld), go
// through Blocking, and change a plain (non-atomic) counter of their own
// only while running, polling at "safepoints" in between; another
// goroutine stops the world over and over and checks that no counter
// moves while the world is stopped. A thread that slipped into Wasm
// during a stop would move its counter (and, under -race, the detector
// reports the unsynchronized accesses).
func TestWorldStopIsExactUnderChurn(t *testing.T) {
	s, err := NewStore(Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	const threads, rounds, steps = 4, 3000, 8
	counters := make([]int64, threads) // counters[i]: thread i's, plain
	var wg sync.WaitGroup
	var done atomic.Int32
	for i := range threads {
		e, err := s.NewThread()
		if err != nil {
			t.Fatal(err)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer done.Add(1)
			defer e.Exit()
			for r := range rounds {
				e.enterWorld()
				for range steps {
					counters[i]++
					if e.Interrupt.Load() != 0 {
						e.Poll()
					}
				}
				if r%64 == 0 {
					e.Blocking(goruntime.Gosched)
					counters[i]++
				}
				e.leaveWorld()
			}
		}()
	}
	stops := 0
	snap := make([]int64, threads)
	for done.Load() < threads || stops == 0 {
		s.StopTheWorld()
		copy(snap, counters)
		for range 3 {
			goruntime.Gosched()
		}
		for i := range threads {
			if counters[i] != snap[i] {
				t.Errorf("stop %d: thread %d ran while the world was stopped (%d -> %d)", stops, i, snap[i], counters[i])
			}
		}
		s.StartTheWorld()
		stops++
		goruntime.Gosched()
	}
	wg.Wait()
	for i, c := range counters {
		if want := int64(rounds*steps + (rounds+63)/64); c != want {
			t.Errorf("thread %d counted %d, want %d", i, c, want)
		}
	}
	t.Logf("%d stops", stops)
}
