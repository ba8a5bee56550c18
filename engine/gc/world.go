package gc

// World is what the heap needs from a runtime with several threads
// (engine/runtime implements it): Stop returns once every other thread is
// parked at a safepoint or outside Wasm, its frames committed, and Start
// resumes them; Blocking runs fn (waiting for the heap's lock) with the
// calling thread counted as outside Wasm, so a thread that collects while
// holding the lock never waits for one that waits for the lock.
type World interface {
	Stop()
	Start()
	Blocking(fn func())
}

// SetWorld installs the runtime's threads. Set it before any thread but
// the creator's uses the heap. Collections and heap growth then run with
// the world stopped, so the accessors and buffer bumps of other threads
// (which take no lock) never see the heap change under them.
func (h *Heap) SetWorld(w World) {
	h.mu.Lock()
	h.world = w
	h.mu.Unlock()
}

// lock takes the heap's mutex; when another thread holds it (it may be
// collecting, waiting for this one to stop), the wait is outside Wasm.
//
// The thread only waits for the lock to be free outside Wasm, then takes
// it back inside: Blocking returns only when the world runs, and a thread
// holding the lock while it waits for that would deadlock with whoever
// stopped the world (the debugger, reading the heap) and needs the lock.
func (h *Heap) lock() {
	w := h.world
	if w == nil {
		h.mu.Lock()
		return
	}
	for !h.mu.TryLock() {
		w.Blocking(func() {
			h.mu.Lock()
			//lint:ignore SA2001 only waits for the lock to be free; it is taken back inside Wasm
			h.mu.Unlock()
		})
	}
}

// Exclusive runs fn with the heap's lock held, taken as a thread takes it
// (waiting outside Wasm). The runtime stops the world for its tools this
// way: a collection under way then finishes first, instead of waiting
// with the lock held for the tool's stop to end while the tool needs the
// lock to read the heap.
func (h *Heap) Exclusive(fn func()) {
	h.lock()
	defer h.mu.Unlock()
	fn()
}

// stopWorld and startWorld bracket what must not run concurrently with
// other threads' unlocked heap accesses; the mutex is held.
func (h *Heap) stopWorld() {
	if h.world != nil {
		h.world.Stop()
	}
}

func (h *Heap) startWorld() {
	if h.world != nil {
		h.world.Start()
	}
}
