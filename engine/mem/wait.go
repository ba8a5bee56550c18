package mem

import (
	"errors"
	"sync"
	"time"
)

// ErrNotShared is the trap of memory.atomic.wait on an unshared memory.
var ErrNotShared = errors.New("expected shared memory")

// ErrWaitCancelled is WaitCancel's answer when cancel was closed first.
var ErrWaitCancelled = errors.New("wait cancelled")

// WaitResult is what memory.atomic.wait32/64 return.
type WaitResult uint32

// Wait results, numbered as the instructions return them.
const (
	WaitOK       WaitResult = 0 // woken by notify
	WaitNotEqual WaitResult = 1 // the value differed from the expected one
	WaitTimedOut WaitResult = 2
)

// waitQueues holds the threads blocked in memory.atomic.wait, per address,
// in arrival order (notify wakes the oldest first).
type waitQueues struct {
	mu sync.Mutex
	q  map[uint64][]chan struct{}
}

// Wait32 is memory.atomic.wait32: if the 32-bit value at addr equals
// expected, block until notified or until timeout passes (a negative
// timeout waits forever). The check and the enqueueing happen under the
// queue lock, and Notify takes the same lock, so a notify that follows a
// store of a new value cannot be missed.
func (m *Linear) Wait32(addr uint64, expected uint32, timeout time.Duration) (WaitResult, error) {
	return m.wait(addr, 4, uint64(expected), timeout, nil)
}

// Wait64 is memory.atomic.wait64.
func (m *Linear) Wait64(addr uint64, expected uint64, timeout time.Duration) (WaitResult, error) {
	return m.wait(addr, 8, expected, timeout, nil)
}

// WaitCancel is Wait32 (width 4) or Wait64 (width 8) that also returns,
// with ErrWaitCancelled, when cancel is closed: a runtime ends waiting
// threads this way when the program exits or traps elsewhere.
func (m *Linear) WaitCancel(addr uint64, width int, expected uint64, timeout time.Duration, cancel <-chan struct{}) (WaitResult, error) {
	if width != 4 && width != 8 {
		return 0, errors.New("mem: bad wait width")
	}
	return m.wait(addr, width, expected, timeout, cancel)
}

func (m *Linear) wait(addr uint64, width int, expected uint64, timeout time.Duration, cancel <-chan struct{}) (WaitResult, error) {
	b := m.Bytes()
	if _, err := check(b, addr, width); err != nil {
		return 0, err
	}
	if !m.shared {
		return 0, ErrNotShared
	}
	w := &m.waiters
	w.mu.Lock()
	v, _ := AtomicLoad(b, addr, width)
	if v != expected {
		w.mu.Unlock()
		return WaitNotEqual, nil
	}
	ch := make(chan struct{})
	if w.q == nil {
		w.q = map[uint64][]chan struct{}{}
	}
	w.q[addr] = append(w.q[addr], ch)
	w.mu.Unlock()

	var expired <-chan time.Time
	if timeout >= 0 {
		t := time.NewTimer(timeout)
		defer t.Stop()
		expired = t.C
	}
	var err error
	select {
	case <-ch:
		return WaitOK, nil
	case <-expired:
	case <-cancel:
		err = ErrWaitCancelled
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	q := w.q[addr]
	for i, c := range q {
		if c == ch {
			w.q[addr] = append(q[:i:i], q[i+1:]...)
			if len(w.q[addr]) == 0 {
				delete(w.q, addr)
			}
			if err != nil {
				return 0, err
			}
			return WaitTimedOut, nil
		}
	}
	// Notify dequeued us between the timeout and the lock: we were woken.
	return WaitOK, nil
}

// Notify is memory.atomic.notify: wake up to count threads waiting on addr
// (oldest first) and return how many were woken. addr must be in bounds and
// 4-byte aligned; on an unshared memory nothing can wait, so it returns 0.
func (m *Linear) Notify(addr uint64, count uint32) (uint32, error) {
	if _, err := check(m.Bytes(), addr, 4); err != nil {
		return 0, err
	}
	w := &m.waiters
	w.mu.Lock()
	defer w.mu.Unlock()
	q := w.q[addr]
	n := min(uint32(len(q)), count)
	for _, ch := range q[:n] {
		close(ch)
	}
	if rest := q[n:]; len(rest) > 0 {
		w.q[addr] = rest
	} else {
		delete(w.q, addr)
	}
	return n, nil
}

// Waiting is the number of threads blocked on addr (for the debugger's
// threads view and for tests).
func (m *Linear) Waiting(addr uint64) int {
	w := &m.waiters
	w.mu.Lock()
	defer w.mu.Unlock()
	return len(w.q[addr])
}
