package runtime

import (
	"errors"
	goruntime "runtime"
	"sync"

	"github.com/gcscope/gcscope/engine/wasm"
)

// WasiThreads is the wasi-threads host module: `wasi`.`thread-spawn`
// starts the calling instance's exported wasi_thread_start(tid, arg) on
// a new OS thread (a locked goroutine) with its own exec env, in the same
// store (same GC heap, same shared memory). A trap in any thread ends the
// program: Store.Fail makes every other thread trap with it.
type WasiThreads struct {
	s    *Store
	mu   sync.Mutex
	next int32
	wg   sync.WaitGroup
	// Instance is the "wasi" host instance; register it as "wasi".
	Instance *Instance
}

// ErrExited is the store's failure after WasiThreads.Exit: threads still
// running stop with it.
var ErrExited = errors.New("exited")

// ThreadPreparer is implemented by engines that must prepare a store's
// code before a second thread runs it (the interpreter compiles every
// function up front, so no thread compiles lazily while another runs).
type ThreadPreparer interface {
	PrepareThreads(s *Store) error
}

// NewWasiThreads defines the "wasi" host instance with thread-spawn.
func (s *Store) NewWasiThreads() (*WasiThreads, error) {
	w := &WasiThreads{s: s, next: 1, Instance: s.NewHostInstance("wasi")}
	ft := wasm.CompositeType{Kind: wasm.CompFunc, Params: []wasm.ValType{wasm.I32}, Results: []wasm.ValType{wasm.I32}}
	if _, err := w.Instance.DefineFunc("thread-spawn", ft, w.spawn); err != nil {
		return nil, err
	}
	return w, nil
}

// spawn is thread-spawn(arg) → tid (> 0), or a negative value when the
// thread cannot be started.
func (w *WasiThreads) spawn(caller *Instance, args []Value) ([]Value, error) {
	if caller == nil {
		return []Value{I32(-1)}, nil
	}
	start := caller.ExportedFunc("wasi_thread_start")
	if start == nil || len(start.Type.Comp.Params) != 2 || len(start.Type.Comp.Results) != 0 {
		return []Value{I32(-1)}, nil
	}
	if p, ok := w.s.engine.(ThreadPreparer); ok {
		// With the world stopped: another thread of the store (an
		// embedder's) may be compiling a function lazily.
		w.s.StopTheWorld()
		err := p.PrepareThreads(w.s)
		w.s.StartTheWorld()
		if err != nil {
			return nil, err
		}
	}
	env, err := w.s.NewThread()
	if err != nil {
		return []Value{I32(-1)}, nil
	}
	w.mu.Lock()
	tid := w.next
	if w.next++; w.next > 0x1FFFFFFF {
		w.next = 1
	}
	w.mu.Unlock()
	w.wg.Add(1)
	go func() {
		defer w.wg.Done()
		goruntime.LockOSThread()
		defer goruntime.UnlockOSThread()
		defer env.Exit()
		if _, err := env.Call(start, []Value{I32(tid), args[0]}); err != nil {
			w.s.Fail(err)
		}
	}()
	return []Value{I32(tid)}, nil
}

// Wait waits until every spawned thread has returned and reports the
// store's failure (the first trap of any thread), or nil.
func (w *WasiThreads) Wait() error {
	w.wg.Wait()
	return w.s.Failure()
}

// Exit ends the program (the main function returned or called
// proc_exit): threads still running stop at their next safepoint or
// atomic wait. It waits for them and returns the failure that ended the
// program if it was not this exit.
func (w *WasiThreads) Exit() error {
	w.s.Fail(ErrExited)
	w.wg.Wait()
	if err := w.s.Failure(); err != ErrExited {
		return err
	}
	return nil
}
