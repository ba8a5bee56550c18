package runtime

import (
	goruntime "runtime"
	"sync/atomic"
	"testing"
	"time"
)

// spin runs a fake Wasm loop on a new thread: it counts and polls the
// interrupt word like a back-edge does, until stop is set.
func spin(t *testing.T, s *Store, count *atomic.Int64, stop *atomic.Bool) (done chan struct{}) {
	t.Helper()
	e, err := s.NewThread()
	if err != nil {
		t.Fatal(err)
	}
	done = make(chan struct{})
	go func() {
		defer close(done)
		defer e.Exit()
		e.enterWorld()
		defer e.leaveWorld()
		for !stop.Load() {
			count.Add(1)
			if e.Interrupt.Load() != 0 {
				e.Poll()
			}
			goruntime.Gosched()
		}
	}()
	return done
}

// TestStopTheWorldParks: while the world is stopped the spinning threads
// make no progress; after StartTheWorld they run again.
func TestStopTheWorldParks(t *testing.T) {
	s, err := NewStore(Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var count atomic.Int64
	var stop atomic.Bool
	d1, d2 := spin(t, s, &count, &stop), spin(t, s, &count, &stop)
	for count.Load() < 100 {
		goruntime.Gosched()
	}
	s.StopTheWorld()
	c1 := count.Load()
	time.Sleep(20 * time.Millisecond)
	if c2 := count.Load(); c2 > c1+2 { // each may finish the step it was in
		t.Fatalf("threads ran while the world was stopped: %d -> %d", c1, c2)
	}
	if n := len(s.Threads()); n != 3 {
		t.Fatalf("%d threads registered, want 3", n)
	}
	s.StartTheWorld()
	for c := count.Load(); count.Load() < c+100; {
		goruntime.Gosched()
	}
	stop.Store(true)
	<-d1
	<-d2
	if n := len(s.Threads()); n != 1 {
		t.Fatalf("%d threads after exit, want 1", n)
	}
}

// TestBlockingDoesNotHoldTheWorld: a thread blocked outside Wasm does not
// delay a stop-the-world, and comes back only after the restart.
func TestBlockingDoesNotHoldTheWorld(t *testing.T) {
	s, err := NewStore(Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	e, err := s.NewThread()
	if err != nil {
		t.Fatal(err)
	}
	release, back := make(chan struct{}), make(chan struct{})
	go func() {
		e.enterWorld()
		e.Blocking(func() { <-release })
		close(back)
		e.leaveWorld()
		e.Exit()
	}()
	time.Sleep(10 * time.Millisecond)
	stopped := make(chan struct{})
	go func() { s.StopTheWorld(); close(stopped) }()
	select {
	case <-stopped:
	case <-time.After(10 * time.Second):
		t.Fatal("StopTheWorld waited for a blocked thread")
	}
	close(release)
	select {
	case <-back:
		t.Fatal("the thread came back while the world was stopped")
	case <-time.After(20 * time.Millisecond):
	}
	s.StartTheWorld()
	<-back
}
