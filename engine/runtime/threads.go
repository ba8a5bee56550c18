package runtime

import (
	goruntime "runtime"

	"github.com/gcscope/gcscope/engine/gc"
	"sync"
	"sync/atomic"
)

// InterruptStop is the interrupt word bit a stop-the-world request sets:
// the thread parks at its next safepoint until the world restarts. The
// other bits are the embedder's and the debugger's (ExecEnv.OnInterrupt).
const InterruptStop = 1 << 31

// envState says where a thread is, for stop-the-world.
type envState uint8

const (
	envOutside envState = iota // not running Wasm, or blocked outside it (atomic wait, a lock)
	envRunning                 // running Wasm or the runtime: must reach a safepoint
	envParked                  // stopped at a safepoint, its frames committed
)

// world is a store's thread registry and its stop-the-world protocol
// (docs/threads.md). mu guards the registry, the stop (stopped, stopper,
// stopDepth) and every slow state change; a thread's own entry into and
// exit from Wasm change its state word without mu unless a stop is
// pending (enterWorld, leaveWorld: a Dekker-style handshake on state and
// pending).
type world struct {
	mu      sync.Mutex
	changed sync.Cond // broadcast on every slow state change and restart
	threads []*ExecEnv
	count   atomic.Int32 // len(threads), read without mu by callerEnv
	// pending is stopped, readable without mu: set (under mu) before the
	// stopper reads the threads' states, cleared when the world restarts.
	pending   atomic.Bool
	stopper   *ExecEnv // the thread that stopped the world, if stopped
	stopped   bool
	stopDepth int // nested StopTheWorld calls by the stopper
	nextID    uint32
}

func (w *world) init() { w.changed.L = &w.mu }

// register adds a thread and gives it its number.
func (w *world) register(e *ExecEnv) {
	w.mu.Lock()
	e.ID = w.nextID
	e.Record[EnvThreadID] = uint64(e.ID)
	w.nextID++
	w.threads = append(w.threads, e)
	w.count.Store(int32(len(w.threads)))
	w.mu.Unlock()
}

// unregister removes an exited thread.
func (w *world) unregister(e *ExecEnv) {
	w.mu.Lock()
	for i, t := range w.threads {
		if t == e {
			w.threads = append(w.threads[:i:i], w.threads[i+1:]...)
			break
		}
	}
	w.count.Store(int32(len(w.threads)))
	w.changed.Broadcast()
	w.mu.Unlock()
}

// waitRunning blocks (mu held) while another thread has the world stopped.
func (w *world) waitRunning(e *ExecEnv) {
	for w.stopped && w.stopper != e {
		w.changed.Wait()
	}
}

// enterWorld makes e a running thread on the calling goroutine, waiting
// first if the world is stopped. Where goroutineToken is the OS thread's
// id the goroutine is locked to its thread until leaveWorld; elsewhere it
// need not be (native code's thread-local state lives within one cgo call,
// and a helper's callback into Go keeps the goroutine on its thread).
//
// The owner word is only written when the goroutine changes: a thread
// called over and over from one goroutine pays no store for it (an
// atomic store is an exchange on amd64). A stale owner is harmless:
// current reads the state first, and a running state was published after
// its goroutine's owner.
func (e *ExecEnv) enterWorld() {
	if tokenNeedsLock {
		goruntime.LockOSThread()
	}
	if tok := goroutineToken(); e.owner.Load() != tok {
		e.owner.Store(tok)
	}
	e.enterRunning()
}

// leaveWorld marks e as no longer running and unlocks its OS thread if
// enterWorld locked it. It leaves the owner word as it is (see enterWorld).
func (e *ExecEnv) leaveWorld() {
	e.leaveRunning()
	if tokenNeedsLock {
		goruntime.UnlockOSThread()
	}
}

// enterRunning makes e running. The fast path takes no lock: it
// publishes the state, then checks that no stop is pending. The stopper
// sets pending before it reads the states, and both sides' accesses are
// sequentially consistent atomics, so either the stopper sees this
// thread running (and waits for it to park) or this thread sees the stop
// (and backs out to wait, below). A thread therefore never runs past
// this point while a stop it was not waited for is in force.
func (e *ExecEnv) enterRunning() {
	w := &e.Store.world
	if !w.pending.Load() {
		e.state.Store(uint32(envRunning))
		if !w.pending.Load() {
			return
		}
	}
	w.mu.Lock()
	if w.stopped && w.stopper != e {
		// Back out (the stopper may be counting this thread as running)
		// and wait for the restart.
		e.setState(envOutside)
		w.changed.Broadcast()
		w.waitRunning(e)
	}
	e.setState(envRunning)
	w.mu.Unlock()
}

// leaveRunning marks e outside Wasm. Without a pending stop nobody waits
// for the change; with one, the stopper may be waiting for this thread,
// so it is woken under mu (it reads the states and waits under mu, so the
// broadcast cannot fall between its check and its wait).
func (e *ExecEnv) leaveRunning() {
	w := &e.Store.world
	e.state.Store(uint32(envOutside))
	if w.pending.Load() {
		w.mu.Lock()
		w.changed.Broadcast()
		w.mu.Unlock()
	}
}

// getState and setState read and write e's state word; only e's own
// thread writes it.
func (e *ExecEnv) getState() envState  { return envState(e.state.Load()) }
func (e *ExecEnv) setState(s envState) { e.state.Store(uint32(s)) }

// Blocking runs fn, which may block for long (memory.atomic.wait, a
// lock, a host call that waits), with the thread outside Wasm: a
// stop-the-world does not wait for it, and it does not come back into
// Wasm until the world runs again. The thread's frames must be committed.
func (e *ExecEnv) Blocking(fn func()) {
	if e.getState() != envRunning {
		fn()
		return
	}
	e.leaveRunning()
	defer e.enterRunning()
	fn()
}

// Poll is the safepoint check behind a set interrupt word: it parks the
// thread while a stop-the-world is under way, then reports whether an
// interrupt other than InterruptStop remains (for OnInterrupt).
func (e *ExecEnv) Poll() bool {
	if e.Interrupt.Load()&InterruptStop != 0 {
		w := &e.Store.world
		w.mu.Lock()
		if w.stopped && w.stopper != e {
			prev := e.getState()
			e.setState(envParked)
			w.changed.Broadcast()
			w.waitRunning(e)
			e.setState(prev)
		}
		w.mu.Unlock()
	}
	return e.Interrupt.Load()&^InterruptStop != 0
}

// current returns the registered thread running on this OS thread (that
// is, on the calling goroutine, locked to it), if any.
func (w *world) current() *ExecEnv {
	me := goroutineToken()
	for _, t := range w.threads {
		// The state first: the owner then is the one that published it.
		if t.getState() != envOutside && t.owner.Load() == me {
			return t
		}
	}
	return nil
}

// StopTheWorld stops every thread of the store but the caller's: each gets
// InterruptStop in its interrupt word and the call returns once every one
// is parked at a safepoint or outside Wasm, its frames committed. The
// caller may be a running thread (then it stays running) or any other
// goroutine; a thread that is not running (outside Wasm) is not waited
// for, so a single thread stopping the world (a collection) waits for
// nobody.
// Each StopTheWorld must be followed by StartTheWorld.
//
// It takes the heap's lock around the stop (gc.Heap.Exclusive): a thread
// collecting holds that lock while it stops the world, and must not end
// up parked behind this stop with it, or the caller could not read the
// heap (collect, snapshot) while the world is stopped.
func (s *Store) StopTheWorld() {
	s.Heap.GC.Exclusive(s.stopTheWorld)
}

// stopTheWorld is StopTheWorld for the collector, which holds the heap's
// lock already.
func (s *Store) stopTheWorld() {
	w := &s.world
	w.mu.Lock()
	defer w.mu.Unlock()
	me := w.current()
	for w.stopped && w.stopper != me {
		// Another thread stops the world: be stopped first.
		if me != nil {
			me.setState(envParked)
			w.changed.Broadcast()
		}
		w.waitRunning(me)
		if me != nil {
			me.setState(envRunning)
		}
	}
	w.stopped, w.stopper = true, me
	// Before reading the states: a thread entering on the fast path
	// after this sees it (enterRunning).
	w.pending.Store(true)
	w.stopDepth++
	// Even with one thread: the caller may be another goroutine (an
	// instantiation, a tool) while that thread runs.
	for _, t := range w.threads {
		// Only running threads need the bit: the others wait for the
		// world to run before they enter Wasm again (enterWorld,
		// Blocking).
		if t != me && t.getState() == envRunning {
			t.Interrupt.set(InterruptStop)
		}
	}
	for {
		busy := false
		for _, t := range w.threads {
			if t != me && t.getState() == envRunning {
				busy = true
			}
		}
		if !busy {
			return
		}
		w.changed.Wait()
	}
}

// StartTheWorld resumes the threads StopTheWorld stopped.
func (s *Store) StartTheWorld() {
	w := &s.world
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.stopDepth--; w.stopDepth > 0 {
		return
	}
	w.stopped, w.stopper = false, nil
	w.pending.Store(false)
	for _, t := range w.threads {
		t.Interrupt.clear(InterruptStop)
	}
	w.changed.Broadcast()
}

// Threads returns the store's threads (exec envs), the main one first.
func (s *Store) Threads() []*ExecEnv {
	w := &s.world
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]*ExecEnv(nil), w.threads...)
}

// NewThread creates an exec env for a new thread of the store (its own
// slot and frame stacks, record and interrupt word) and registers it, so
// stop-the-world and the collector's roots include it. Call Exit when
// the thread ends.
func (s *Store) NewThread() (*ExecEnv, error) {
	e, err := newExecEnv(s, s.cfg.StackSlots, s.cfg.MaxCallDepth)
	if err != nil {
		return nil, err
	}
	e.OnInterrupt, e.OnBreak, e.OnTrap = s.env.OnInterrupt, s.env.OnBreak, s.env.OnTrap
	e.buf = &gc.Buffer{Cursor: &e.Record[EnvAllocCursor], Limit: &e.Record[EnvAllocLimit]}
	if err := s.Heap.GC.AttachBuffer(e.buf); err != nil {
		e.close()
		return nil, err
	}
	s.world.register(e)
	if s.Failure() != nil {
		e.Interrupt.set(InterruptExit)
	}
	return e, nil
}

// Exit unregisters a thread made by NewThread and frees its stacks.
func (e *ExecEnv) Exit() {
	if e == e.Store.env {
		return
	}
	e.Store.world.unregister(e)
	e.Store.Heap.GC.DetachBuffer(e.buf)
	e.close()
}

// gcWorld is what the GC heap sees of the threads: stopping the world
// around a collection and blocking outside Wasm on its lock.
type gcWorld struct{ s *Store }

func (g gcWorld) Stop()  { g.s.stopTheWorld() }
func (g gcWorld) Start() { g.s.StartTheWorld() }

// Blocking runs fn outside Wasm if the caller is a running thread.
func (g gcWorld) Blocking(fn func()) {
	w := &g.s.world
	w.mu.Lock()
	me := w.current()
	w.mu.Unlock()
	if me == nil {
		fn()
		return
	}
	me.Blocking(fn)
}
