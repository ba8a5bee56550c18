package runtime

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/gcscope/gcscope/engine/gc"
	"github.com/gcscope/gcscope/engine/wasm"
)

// Config configures a store.
type Config struct {
	// HeapMaxBytes bounds the GC heap (0: 1 GiB).
	HeapMaxBytes int64
	// GCStress collects at every allocation, to shake out missing roots.
	GCStress bool
	// Engine executes functions; nil means DefaultEngine.
	Engine Engine
	// MaxCallDepth bounds the frame stack (0: 20000 frames); deeper
	// recursion traps "call stack exhausted".
	MaxCallDepth int
	// StackSlots is the size of the slot stack (0: 1<<20 slots).
	StackSlots int
	// Stdout receives the spectest module's print output (nil: discarded).
	Stdout io.Writer
}

// Store owns everything instances share: canonical types, the GC heap,
// the registry of named instances and the execution environment.
type Store struct {
	cfg       Config
	Types     *Types
	Heap      *Heap
	engine    Engine
	outermost OutermostInvoker // engine's, if it has that path (callfast.go)
	registry  map[string]*Instance
	regMu     sync.RWMutex // guards registry: hosts register from any goroutine
	instMu    sync.Mutex   // serializes Instantiate
	instances []*Instance
	// funcs and tags are indexed by store number from any goroutine
	// (FuncOf, TagOf, the collector's roots) while hosts add to them
	// (instantiating, defining host functions): each add publishes a new
	// slice header, and what an old header covers never changes.
	funcsMu sync.Mutex // serializes addFunc and addTag
	funcs   atomic.Pointer[[]*Func]
	tags    atomic.Pointer[[]*Tag]
	// rootsMu guards hostRefs and pins, which hosts (and the debugger)
	// change from any goroutine while threads run and collect. It is
	// taken under the heap's lock (root enumeration, newHostRef), never
	// the other way: nothing allocates while holding it.
	rootsMu  sync.Mutex
	hostRefs map[uint64]Ref
	pins     map[Ref]int
	env      *ExecEnv // the main thread's
	world    world    // every thread's, for stop-the-world
	exit     exitState
	// constStack holds the operands of the constant expression being
	// evaluated, so allocations inside it keep them alive.
	constStack []Value
}

// NewStore creates an empty store. It fails only if the GC heap cannot
// reserve its memory.
func NewStore(cfg Config) (*Store, error) {
	if cfg.MaxCallDepth <= 0 {
		cfg.MaxCallDepth = 20000
	}
	if cfg.StackSlots <= 0 {
		cfg.StackSlots = 1 << 20
	}
	if cfg.Stdout == nil {
		cfg.Stdout = io.Discard
	}
	heap, err := newHeap(cfg.HeapMaxBytes, cfg.GCStress)
	if err != nil {
		return nil, err
	}
	s := &Store{
		cfg:      cfg,
		Types:    newTypes(),
		Heap:     heap,
		engine:   cfg.Engine,
		registry: map[string]*Instance{},
		hostRefs: map[uint64]Ref{},
		pins:     map[Ref]int{},
	}
	if s.engine == nil {
		s.engine = DefaultEngine
	}
	s.outermost, _ = s.engine.(OutermostInvoker)
	if s.env, err = newExecEnv(s, cfg.StackSlots, cfg.MaxCallDepth); err != nil {
		heap.Close()
		return nil, err
	}
	s.exit.done = make(chan struct{})
	s.world.init()
	s.world.register(s.env)
	s.Heap.GC.SetWorld(gcWorld{s})
	s.Heap.SetRoots(s.enumerateRoots)
	return s, nil
}

// Close releases the store's GC heap; its references become meaningless.
// Linear memories are released when no longer referenced.
func (s *Store) Close() error {
	if s.env.Slots == nil {
		return nil
	}
	s.env.close()
	return s.Heap.Close()
}

// Engine returns the store's execution engine.
func (s *Store) Engine() Engine { return s.engine }

// Env returns the store's (main thread's) execution environment.
func (s *Store) Env() *ExecEnv { return s.env }

// Register makes inst's exports importable under name.
// Any goroutine may register, also while threads run.
func (s *Store) Register(name string, inst *Instance) {
	s.regMu.Lock()
	s.registry[name] = inst
	s.regMu.Unlock()
}

// Registered returns the instance registered under name, or nil.
func (s *Store) Registered(name string) *Instance {
	s.regMu.RLock()
	defer s.regMu.RUnlock()
	return s.registry[name]
}

// Resolve implements Resolver over the registered instances.
func (s *Store) Resolve(module, name string) (Extern, bool) {
	inst := s.Registered(module)
	if inst == nil {
		return nil, false
	}
	e, ok := inst.exports[name]
	return e, ok
}

// Instances returns every instance the store created, in order.
func (s *Store) Instances() []*Instance { return s.instances }

// Pin keeps the object r alive until a matching Unpin, whatever the
// program does; hosts and the debugger hold references this way. Any
// goroutine may pin and unpin, also while threads run and collect.
func (s *Store) Pin(r Ref) {
	if r != 0 && r&1 == 0 {
		s.rootsMu.Lock()
		s.pins[r]++
		s.rootsMu.Unlock()
	}
}

// Unpin releases one Pin.
func (s *Store) Unpin(r Ref) {
	s.rootsMu.Lock()
	defer s.rootsMu.Unlock()
	if s.pins[r] > 1 {
		s.pins[r]--
	} else {
		delete(s.pins, r)
	}
}

// enumerateRoots is the collector's root set: frames (through the
// engine's stack maps), globals, tables, element segments, funcrefs,
// host references, pins, and constant-expression operands. Each root
// comes with its place, for the debugger's roots command and heapviz.
func (s *Store) enumerateRoots(visit gc.RootVisitor) {
	if s.engine != nil {
		for _, t := range s.Threads() {
			t.roots(s.engine, visit)
		}
	}
	var g, t, e uint32
	for _, inst := range s.instances {
		for _, gl := range inst.Globals {
			if gl.Type.Val.IsRef() {
				visit(Ref(gl.Bits), gc.RootPlace{Kind: gc.RootGlobal, Index: g})
			}
			g++
		}
		for _, tb := range inst.Tables {
			for i, r := range tb.Elems {
				visit(r, gc.RootPlace{Kind: gc.RootTable, Index: t, Slot: uint32(i)})
			}
			t++
		}
		for _, seg := range inst.Elems {
			for i, r := range seg {
				visit(r, gc.RootPlace{Kind: gc.RootElem, Index: e, Slot: uint32(i)})
			}
			e++
		}
	}
	for _, f := range s.funcList() {
		visit(f.ref, gc.RootPlace{Kind: gc.RootOther, Index: f.num})
	}
	s.rootsMu.Lock()
	for _, r := range s.hostRefs {
		visit(r, gc.RootPlace{Kind: gc.RootOther})
	}
	for r := range s.pins {
		visit(r, gc.RootPlace{Kind: gc.RootHandle})
	}
	s.rootsMu.Unlock()
	for _, v := range s.constStack {
		if v.Type.IsRef() {
			visit(Ref(v.Bits), gc.RootPlace{Kind: gc.RootOther})
		}
	}
}

// funcList returns the store's functions, indexed by store number.
func (s *Store) funcList() []*Func {
	if p := s.funcs.Load(); p != nil {
		return *p
	}
	return nil
}

// tagList returns the store's tags, indexed by store number.
func (s *Store) tagList() []*Tag {
	if p := s.tags.Load(); p != nil {
		return *p
	}
	return nil
}

// addFunc gives f its store number and funcref object. The function is
// published under the heap's lock, before any collection can look for
// the new object's root.
func (s *Store) addFunc(f *Func) error {
	s.funcsMu.Lock()
	defer s.funcsMu.Unlock()
	funcs := s.funcList()
	f.num = uint32(len(funcs))
	_, err := s.Heap.allocFuncKept(f.Type.ID, f.num, func(r Ref) {
		f.ref = r
		funcs = append(funcs, f)
		s.funcs.Store(&funcs)
	})
	return err
}

func (s *Store) addTag(t *TypeDef) *Tag {
	s.funcsMu.Lock()
	defer s.funcsMu.Unlock()
	tags := s.tagList()
	tg := &Tag{Type: t, num: uint32(len(tags))}
	tags = append(tags, tg)
	s.tags.Store(&tags)
	return tg
}

// Call invokes f with args on the calling thread's exec env: the thread
// running on this OS thread if it is one of the store's (a host function
// called by a spawned thread calling back), else the main one. Traps come
// back as *Trap, uncaught exceptions as *Exception; a call from inside a
// host function reuses the running environment.
func (f *Func) Call(args []Value) (res []Value, err error) {
	if f == nil {
		return nil, errors.New("call: nil function")
	}
	s := f.store()
	if s == nil {
		return nil, errors.New("call: function has no store")
	}
	return s.callerEnv().Call(f, args)
}

// CallAppend is Call appending the results to dst (see
// ExecEnv.CallAppend, whose outermost path in callfast.go most calls
// from Go take). The store is looked up once, and callerEnv's one-thread
// test is inline.
func (f *Func) CallAppend(dst []Value, args []Value) ([]Value, error) {
	if f == nil || f.Inst == nil || f.Inst.Store == nil {
		return nil, f.noStore()
	}
	return f.Inst.Store.callerEnv().CallAppend(dst, f, args)
}

// noStore is the error of a call of f without a store.
func (f *Func) noStore() error {
	if f == nil {
		return errors.New("call: nil function")
	}
	return errors.New("call: function has no store")
}

// callerEnv returns the env of the store's thread running on this OS
// thread, or the main env.
func (s *Store) callerEnv() *ExecEnv {
	if s.world.count.Load() <= 1 {
		return s.env // the only thread (registration happens before it runs)
	}
	return s.callerThread()
}

// callerThread is callerEnv with several threads registered.
func (s *Store) callerThread() *ExecEnv {
	w := &s.world
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(w.threads) > 1 {
		if e := w.current(); e != nil {
			return e
		}
	}
	return s.env
}

// Call invokes f with args on this exec env (see Func.Call); a thread
// made by NewThread runs its Wasm this way.
func (env *ExecEnv) Call(f *Func, args []Value) ([]Value, error) {
	return env.CallAppend(nil, f, args)
}

// callChecked is CallAppend's general path (callfast.go), in its own
// function so that the outermost path's frame carries no defer: it checks
// the function and the env, enters the world if outside and runs the call
// with its panics recovered.
func (env *ExecEnv) callChecked(dst []Value, f *Func, args []Value) (res []Value, err error) {
	if f == nil || f.store() != env.Store {
		return nil, errors.New("call: function of another store")
	}
	if env.Slots == nil {
		return nil, errors.New("call: the store is closed")
	}
	entered := env.getState() == envOutside
	if entered {
		env.enterWorld()
	}
	// One deferred call and few returns here: the compiler open-codes it,
	// so a call that does not panic pays no defer record.
	defer func() {
		if p := recover(); p != nil {
			res, err = nil, &Trap{Msg: fmt.Sprintf("internal error: %v", p)}
		}
		if entered {
			env.leaveWorld()
		}
	}()
	return env.call(dst, f, args)
}

// call is CallAppend inside the world, its panics recovered.
func (env *ExecEnv) call(dst []Value, f *Func, args []Value) ([]Value, error) {
	s := env.Store
	ft := &f.Type.Comp
	if len(args) != len(ft.Params) {
		return nil, &Trap{Msg: "type mismatch: wrong number of arguments"}
	}
	for i, a := range args {
		if want := ft.Params[i]; a.Type.Kind == want.Kind && !want.IsRef() {
			continue // a number of the right type: argMismatch's first test, inline
		}
		if msg := s.argMismatch(a, ft.Params[i]); msg != "" {
			return nil, &Trap{Msg: fmt.Sprintf("type mismatch: argument %d: %s", i, msg)}
		}
	}
	if s.engine == nil {
		return nil, errors.New("call: no execution engine (import engine/interp)")
	}
	base := env.Top()
	need := uint64(base) + 2*uint64(len(args)) + 2*uint64(len(ft.Results))
	if need > uint64(len(env.Slots)) {
		return nil, &Trap{Msg: "call stack exhausted"}
	}
	PutValues(env.Slots[base:], args)
	depth := env.Depth
	env.enter(f.Inst)
	err := s.engine.Invoke(env, f, base)
	env.Depth = depth // whatever happened, the frames of this call are gone
	if err != nil {
		return nil, err
	}
	return AppendValues(dst, env.Slots[base:], ft.Results), nil
}

// PutValues writes values into consecutive slots (two for a v128).
func PutValues(slots []uint64, vs []Value) {
	i := 0
	for _, v := range vs {
		slots[i] = v.Bits
		i++
		if v.Type.Kind == wasm.KindV128 {
			slots[i] = v.Hi
			i++
		}
	}
}

// GetValues reads values of the given types from consecutive slots.
func GetValues(slots []uint64, ts []wasm.ValType) []Value {
	return AppendValues(make([]Value, 0, len(ts)), slots, ts)
}

// AppendValues is GetValues appending the values to dst.
func AppendValues(dst []Value, slots []uint64, ts []wasm.ValType) []Value {
	if cap(dst)-len(dst) < len(ts) {
		dst = slices.Grow(dst, len(ts)) // one exact allocation if dst is short
	}
	i := 0
	for _, t := range ts {
		v := Value{Type: t, Bits: slots[i]}
		i++
		if t.Kind == wasm.KindV128 {
			v.Hi = slots[i]
			i++
		}
		dst = append(dst, v)
	}
	return dst
}

// argMismatch says why a host-supplied argument cannot be passed as a
// parameter of type want, or "". References are checked for nullability
// and hierarchy (a funcref is no externref); within a hierarchy the
// callee's own casts decide.
func (s *Store) argMismatch(a Value, want wasm.ValType) string {
	if a.Type.Kind != want.Kind {
		return fmt.Sprintf("%s given, %s expected", a.Type, want)
	}
	if !want.IsRef() {
		return ""
	}
	if a.Bits == 0 {
		if !want.Nullable {
			return "null given for " + want.String()
		}
		return ""
	}
	top := s.Types.Registry.Top
	if a.Type.Heap != wasm.HeapBot && top(a.Type.Heap) != top(want.Heap) {
		return fmt.Sprintf("%s given, %s expected", a.Type, want)
	}
	// Wasm code trusts its parameters' types without casting, so the
	// object itself must match: its dynamic type, not the value's label.
	var actual wasm.HeapType
	info := s.Describe(a)
	switch info.Kind {
	case RefI31:
		actual = wasm.HeapI31
	case RefStruct, RefArray, RefFunc:
		actual = wasm.HeapType(info.Type)
	case RefHost:
		actual = wasm.HeapExtern
		if top(a.Type.Heap) == wasm.HeapAny {
			actual = wasm.HeapAny // a host value converted into the any hierarchy
		}
	case RefExn:
		actual = wasm.HeapExn
	default:
		return fmt.Sprintf("a reference to no live object given for %s", want)
	}
	if !s.Types.HeapSub(actual, want.Heap) {
		return fmt.Sprintf("a reference to %s given, %s expected", describeHeap(s, actual), want)
	}
	return ""
}

// describeHeap names a heap type for an error: abstract ones by keyword,
// canonical ones by their kind and id.
func describeHeap(s *Store, h wasm.HeapType) string {
	if h.IsAbstract() {
		return h.String()
	}
	if d := s.Types.Def(TypeID(h)); d != nil {
		switch d.Comp.Kind {
		case wasm.CompStruct:
			return fmt.Sprintf("struct type #%d", h)
		case wasm.CompArray:
			return fmt.Sprintf("array type #%d", h)
		case wasm.CompFunc:
			return fmt.Sprintf("func type #%d", h)
		}
	}
	return h.String()
}

func (f *Func) store() *Store {
	if f.Inst != nil {
		return f.Inst.Store
	}
	return nil
}
