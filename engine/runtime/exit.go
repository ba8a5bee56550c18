package runtime

import "sync"

// InterruptExit is the interrupt word bit set on every thread when the
// store's program ends (a trap in one of its threads): each thread stops
// at its next safepoint with the store's Failure.
const InterruptExit = 1 << 30

// exitState records how a multi-threaded program ended.
type exitState struct {
	once sync.Once
	err  error
	done chan struct{} // closed by Fail: ends atomic waits
}

// Fail ends the store's program with err: every thread traps with it at
// its next safepoint, and threads blocked in memory.atomic.wait wake up
// to do so. The first failure wins.
func (s *Store) Fail(err error) {
	s.exit.once.Do(func() {
		s.exit.err = err
		close(s.exit.done)
		for _, t := range s.Threads() {
			t.Interrupt.set(InterruptExit)
		}
	})
}

// Failure returns the error Fail was given, or nil.
func (s *Store) Failure() error {
	select {
	case <-s.exit.done:
		return s.exit.err
	default:
		return nil
	}
}

// Exiting is closed when the store's program has failed.
func (s *Store) Exiting() <-chan struct{} { return s.exit.done }
