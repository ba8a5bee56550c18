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
// (docs/threads.md). mu guards every env's state and owner.
type world struct {
	mu        sync.Mutex
	changed   sync.Cond // broadcast on every state change and restart
	threads   []*ExecEnv
	count     atomic.Int32 // len(threads), read without mu by callerEnv
	stopper   *ExecEnv     // the thread that stopped the world, if stopped
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

// enter makes e a running thread on the calling OS thread (locked to the
// goroutine until leave), waiting first if the world is stopped.
func (e *ExecEnv) enterWorld() {
	goruntime.LockOSThread()
	w := &e.Store.world
	w.mu.Lock()
	w.waitRunning(e)
	e.owner, e.state = goroutineToken(), envRunning
	w.mu.Unlock()
}

// leave marks e as no longer running and unlocks its OS thread.
func (e *ExecEnv) leaveWorld() {
	w := &e.Store.world
	w.mu.Lock()
	e.state, e.owner = envOutside, 0
	w.changed.Broadcast()
	w.mu.Unlock()
	goruntime.UnlockOSThread()
}

// Blocking runs fn, which may block for long (memory.atomic.wait, a
// lock, a host call that waits), with the thread outside Wasm: a
// stop-the-world does not wait for it, and it does not come back into
// Wasm until the world runs again. The thread's frames must be committed.
func (e *ExecEnv) Blocking(fn func()) {
	w := &e.Store.world
	w.mu.Lock()
	if e.state != envRunning {
		w.mu.Unlock()
		fn()
		return
	}
	e.state = envOutside
	w.changed.Broadcast()
	w.mu.Unlock()
	defer func() {
		w.mu.Lock()
		w.waitRunning(e)
		e.state = envRunning
		w.mu.Unlock()
	}()
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
			prev := e.state
			e.state = envParked
			w.changed.Broadcast()
			w.waitRunning(e)
			e.state = prev
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
		if t.owner == me && t.state != envOutside {
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
			me.state = envParked
			w.changed.Broadcast()
		}
		w.waitRunning(me)
		if me != nil {
			me.state = envRunning
		}
	}
	w.stopped, w.stopper = true, me
	w.stopDepth++
	// Even with one thread: the caller may be another goroutine (an
	// instantiation, a tool) while that thread runs.
	for _, t := range w.threads {
		// Only running threads need the bit: the others wait for the
		// world to run before they enter Wasm again (enterWorld,
		// Blocking).
		if t != me && t.state == envRunning {
			t.Interrupt.set(InterruptStop)
		}
	}
	for {
		busy := false
		for _, t := range w.threads {
			if t != me && t.state == envRunning {
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
