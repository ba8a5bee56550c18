package loader

import (
	"sync"
	"sync/atomic"
	"unsafe"

	"github.com/gcscope/gcscope/engine/runtime"
)

// envNative is one exec env's native state: its active invocations,
// innermost last, whose activations are kept and reused, so that a call
// allocates nothing, and the instance state its last call used. Only the
// env's own thread touches it (helpers run on that thread too).
type envNative struct {
	// last and depth come first and fill one cache line: a host calling
	// one export over and over reads nothing else of the env's native
	// state per call, and the native code's allocations between calls
	// evict every line they do not share.
	last  callCache // the function the env last called natively (resolveCall)
	depth int       // invocations active: outer, then acts[:depth-1]
	// outer is the outermost invocation's activation, in the lines after
	// the first (the adjacent-line prefetch brings them together); acts
	// holds the nested ones, reused, so that a call allocates nothing.
	outer activation
	acts  []*activation
	// The last instance state, to skip the engine's lock and map:
	// valid while the engine has not been closed since (gen).
	eng  *Engine
	inst *runtime.Instance
	st   *instState
	gen  uint64
	// The padding makes the size a multiple of 64 bytes, so that the
	// allocator's size class keeps every envNative 64-byte aligned and
	// last and depth in one line (TestEnvNativeLines).
	_ [envNativePad]byte
}

// envNativePad pads envNative to 320 bytes (TestEnvNativeLines).
const envNativePad = 72

// callCache is what Invoke needs of one function: valid while f, the
// engine and its generation (closes) are the same. An instance state's
// module, entry addresses and globals table never change once loaded;
// code that swapped them (another build of a running instance) would
// have to bump the engine's gen, which drops this cache and instState's.
// It is 56 bytes, with envNative.depth one cache line.
type callCache struct {
	f     *runtime.Func
	eng   *Engine
	gen   uint64
	st    *instState
	entry uintptr
	// globals is the address of the instance's globals table (0: none),
	// the record's globals word during the call.
	globals  uintptr
	argSlots uint32
	// refResults says f returns a reference, which its caller may read
	// at once: Invoke then sets the start bits of what the run allocated
	// inline (runtime.ExecEnv.PublishStarts).
	refResults bool
	// noMemory says f's instance has no memory 0: the record's memory
	// words are then zero and need no lookup.
	noMemory bool
}

// envHandles numbers the envNatives: the record's EnvEngine word holds
// the number (1-based), which is all a helper needs to find its
// invocation from the record address it receives. The table is copied
// on growth and its entries are atomic, so readers take no lock; the
// engine frees a number when the store closes the env (CloseEnv).
var envHandles struct {
	mu   sync.Mutex
	tab  atomic.Pointer[[]atomic.Pointer[envNative]]
	free []uint64
}

// nativeOf returns env's native state, numbering it on first use.
// The env keeps a pointer to it (ExecEnv.EngineState): one load where
// the handle table took four dependent ones, in a function small enough
// to inline.
func nativeOf(env *runtime.ExecEnv) *envNative {
	if n, ok := env.EngineState.(*envNative); ok {
		return n
	}
	return firstNativeOf(env)
}

// firstNativeOf is nativeOf for an env not yet seen by Invoke: it finds
// or makes its native state and keeps it in the env.
func firstNativeOf(env *runtime.ExecEnv) *envNative {
	var n *envNative
	if h := env.Record[runtime.EnvEngine]; h != 0 {
		n = (*envHandles.tab.Load())[h-1].Load()
	} else {
		n = newNative(env)
	}
	env.EngineState = n
	return n
}

// nativeAt returns the native state of the env whose record starts at
// rec, or nil if it has none.
func nativeAt(rec *uint64) *envNative {
	h := *(*uint64)(unsafe.Add(unsafe.Pointer(rec), 8*runtime.EnvEngine))
	if h == 0 {
		return nil
	}
	return (*envHandles.tab.Load())[h-1].Load()
}

func newNative(env *runtime.ExecEnv) *envNative {
	n := &envNative{}
	envHandles.mu.Lock()
	defer envHandles.mu.Unlock()
	var h uint64
	tab := envHandles.tab.Load()
	if k := len(envHandles.free); k > 0 {
		h = envHandles.free[k-1]
		envHandles.free = envHandles.free[:k-1]
	} else {
		var old []atomic.Pointer[envNative]
		if tab != nil {
			old = *tab
		}
		grown := make([]atomic.Pointer[envNative], len(old)+1, 2*len(old)+8)
		for i := range old {
			grown[i].Store(old[i].Load())
		}
		tab = &grown
		envHandles.tab.Store(tab)
		h = uint64(len(grown))
	}
	(*tab)[h-1].Store(n)
	env.Record[runtime.EnvEngine] = h
	return n
}

// CloseEnv implements runtime.EnvCloser: it frees env's native state.
func (e *Engine) CloseEnv(env *runtime.ExecEnv) {
	h := env.Record[runtime.EnvEngine]
	if h == 0 {
		return
	}
	env.Record[runtime.EnvEngine] = 0
	env.EngineState = nil
	envHandles.mu.Lock()
	defer envHandles.mu.Unlock()
	(*envHandles.tab.Load())[h-1].Store(nil)
	envHandles.free = append(envHandles.free, h)
}

// push starts an invocation on the env: a zeroed activation, reused.
func (n *envNative) push() *activation {
	if n.depth > 0 && n.depth-1 == len(n.acts) {
		n.acts = append(n.acts, &activation{})
	}
	n.depth++
	return n.at(n.depth - 1)
}

// at returns the activation of invocation k (0: the outermost).
func (n *envNative) at(k int) *activation {
	if k == 0 {
		return &n.outer
	}
	return n.acts[k-1]
}

// pop ends the innermost invocation. Its activation is cleared, so no
// spare one keeps an error, exception or function alive; a run that set
// none of the fields past the ones Invoke sets at every push (the common
// case) only drops its references, not the whole struct.
func (n *envNative) pop() {
	n.depth--
	a := n.at(n.depth)
	// TestPopClearsEveryField fails if a field is added and not tested here.
	if a.err != nil || a.materialized || a.complete || a.entry != (runtime.Frame{}) || a.exn.inner != nil {
		*a = activation{}
		return
	}
	a.e, a.env, a.st, a.f, a.frameBase, a.entryDepth = nil, nil, nil, nil, 0, 0
}

// top returns the innermost active invocation, or nil.
func (n *envNative) top() *activation {
	if n.depth == 0 {
		return nil
	}
	return n.at(n.depth - 1)
}

// instState is e.native through the env's one-entry cache.
func (n *envNative) instState(e *Engine, inst *runtime.Instance) (*instState, error) {
	gen := e.gen.Load()
	if n.eng == e && n.inst == inst && n.gen == gen && inst != nil {
		return n.st, nil
	}
	st, err := e.native(inst)
	if err != nil || st == nil {
		return st, err
	}
	n.eng, n.inst, n.st, n.gen = e, inst, st, gen
	return st, nil
}
