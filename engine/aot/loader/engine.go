package loader

import (
	"errors"
	"fmt"
	goruntime "runtime"
	"sync"
	"sync/atomic"

	"github.com/gcscope/gcscope/engine/aot/compile"
	"github.com/gcscope/gcscope/engine/aot/native"
	"github.com/gcscope/gcscope/engine/interp"
	"github.com/gcscope/gcscope/engine/mem"
	"github.com/gcscope/gcscope/engine/runtime"
	"github.com/gcscope/gcscope/engine/wasm"
)

// Engine is a runtime.Engine that runs modules as native code: Check
// compiles the instance's module (once per module) with llc and loads it,
// Invoke calls a function through the C entry trampoline.
type Engine struct {
	// Options are the compiler's (optimization level, tool paths).
	Options compile.Options
	// Fallback runs the modules the compiler refuses (compile.Unsupported)
	// and host functions; nil refuses such modules as runtime.Unsupported.
	Fallback runtime.Engine
	// CacheDir, if set, keeps compiled files keyed by module hash,
	// compiler version and options, so instantiating a module compiled
	// before skips llc.
	CacheDir string

	mu     sync.Mutex
	mods   map[*wasm.Module]*compiled
	insts  map[*runtime.Instance]*instState
	pins   *pinSet
	shapes map[*runtime.Func]map[uint32]*interp.FrameShape // debug.go
	arm    armState                                        // armed.go
	gen    atomic.Uint64                                   // Close count: invalidates envNative's cache
	disp   map[*runtime.Store]*displayTable                // supertype displays (displays.go)
}

// compiled is one module's compilation result.
type compiled struct {
	mod *Module
	err error
}

// instState is what native code needs of one instance.
type instState struct {
	inst    *runtime.Instance
	mod     *Module
	globals *mem.Region       // global pointers, instance data words, memory descriptors (compile.InstWord)
	types   *mem.Region       // canonical type id of each module type (u32)
	pin     *goruntime.Pinner // one of the engine's pinSet
	dbg     *debugState       // debug builds: the break table (debug.go)
	calls   callInfo          // what Invoke needs per defined function (invoke.go)
}

// activation is one native invocation on an env: the helpers find their
// instance and report Go errors through it.
type activation struct {
	e         *Engine
	env       *runtime.ExecEnv
	st        *instState
	f         *runtime.Func
	frameBase uint64 // address of the first frame header
	// entryDepth is the index of this run's frame record in env.Frames.
	entryDepth int
	err        error
	exn        exnState // exceptions (exn.go)
	// entry is the run's frame record while materialize has replaced it
	// by the native frames' records.
	entry        runtime.Frame
	materialized bool
	// complete says err came from a callee and its backtrace is whole.
	complete bool
}

// New returns an engine compiling at opt level 2 with a fallback (may be nil).
func New(fallback runtime.Engine) *Engine {
	e := &Engine{Options: compile.Options{OptLevel: 2}, Fallback: fallback}
	e.init()
	return e
}

func (e *Engine) init() {
	if e.mods == nil {
		e.mods = map[*wasm.Module]*compiled{}
		e.insts = map[*runtime.Instance]*instState{}
		e.pins = &pinSet{}
		goruntime.AddCleanup(e, (*pinSet).unpinAll, e.pins)
	}
	handlerOnce.Do(func() { native.Handler = handleHelper })
}

// handlerOnce installs the helper handler once for every engine: it finds
// its invocation from the env record, whichever engine made it.
var handlerOnce sync.Once

var _ runtime.Engine = (*Engine)(nil)

// Check implements runtime.Engine: it compiles and loads inst's module.
func (e *Engine) Check(inst *runtime.Instance) error {
	e.mu.Lock()
	e.init()
	c, ok := e.mods[inst.Module]
	e.mu.Unlock()
	if !ok {
		c = &compiled{}
		c.mod, c.err = compileCached(e.CacheDir, inst.Module, e.Options)
		e.mu.Lock()
		e.mods[inst.Module] = c
		e.mu.Unlock()
	}
	var un *compile.Unsupported
	switch {
	case c.err == nil:
		return nil
	case errors.As(c.err, &un) && e.Fallback != nil:
		return e.Fallback.Check(inst)
	case errors.As(c.err, &un):
		return &runtime.Unsupported{Msg: un.Error()}
	}
	return fmt.Errorf("aot: compiling module: %w", c.err)
}

// native returns the native state of inst, creating it on first use, or
// nil when inst runs on the fallback engine.
//
// The state is built without e.mu held: setupData registers heap types,
// which takes the heap's lock, and a thread waiting for that lock while
// holding e.mu would deadlock a stop-the-world (the stopper holds the
// heap's lock and waits for a running thread that is itself blocked on
// e.mu here, or a collection reading stack maps through native waits for
// e.mu). Two threads may then build a state for the same instance at
// once: the first one stored wins and the other is released.
func (e *Engine) native(inst *runtime.Instance) (*instState, error) {
	if inst == nil {
		return nil, nil
	}
	e.mu.Lock()
	st, ok := e.insts[inst]
	c := e.mods[inst.Module]
	e.mu.Unlock()
	if ok {
		return st, nil
	}
	if c == nil || c.err != nil || c.mod == nil {
		return nil, nil
	}
	st, err := e.newInstState(inst, c.mod)
	if err != nil {
		return nil, err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if prev, ok := e.insts[inst]; ok {
		st.release()
		return prev, nil
	}
	w, err := e.displays(inst.Store) // e.disp is e.mu's
	if err != nil {
		st.release()
		return nil, err
	}
	st.setDisplays(w)
	e.insts[inst] = st
	return st, nil
}

// newInstState builds inst's native data for module m (everything but the
// displays, which native adds under e.mu).
func (e *Engine) newInstState(inst *runtime.Instance, m *Module) (*instState, error) {
	st := &instState{inst: inst, mod: m, pin: e.pins.add()}
	if m.debug != nil {
		d, err := newDebugState(m.debug)
		if err != nil {
			st.release()
			return nil, err
		}
		st.dbg = d
	}
	if err := st.setupData(); err != nil {
		st.release()
		return nil, err
	}
	st.calls = newCallInfo(inst)
	return st, nil
}

// AppendStackMap implements runtime.Engine: the slots of a native frame
// (as materialized at a helper call) that hold references at the
// safepoint at offset, from the .aot file's wasmstackmaps section.
func (e *Engine) AppendStackMap(dst []uint32, f *runtime.Func, offset uint32) []uint32 {
	st, _ := e.native(f.Inst)
	if st == nil {
		if e.Fallback != nil {
			return e.Fallback.AppendStackMap(dst, f, offset)
		}
		return dst
	}
	return st.mod.appendStackMap(dst, int(f.Index)-int(st.inst.Module.NumImported(wasm.ExternFunc)), offset)
}

// Close releases the code of every module compiled so far and the
// per-instance state. Nothing may run afterwards.
func (e *Engine) Close() {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.gen.Add(1)
	for _, st := range e.insts {
		st.release()
	}
	for _, t := range e.disp {
		t.release()
	}
	e.disp = nil
	for _, c := range e.mods {
		if c.mod != nil {
			c.mod.Close()
		}
	}
	e.insts, e.mods = map[*runtime.Instance]*instState{}, map[*wasm.Module]*compiled{}
	e.pins.reset()
}

// Preload makes the engine run m with code already loaded from an .aot
// file, instead of compiling it: `gcscope run X.aot` instantiates the
// module the file describes (aotfile.File.Module) with the file's code.
func (e *Engine) Preload(m *wasm.Module, mod *Module) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.init()
	e.mods[m] = &compiled{mod: mod}
}
