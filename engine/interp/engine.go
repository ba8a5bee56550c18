package interp

import (
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/gcscope/gcscope/engine/runtime"
	"github.com/gcscope/gcscope/engine/wasm"
)

// Engine is the interpreter. Compiled code hangs off each runtime.Func,
// per-instance caches off each runtime.Instance; the engine itself only
// holds the debugger's stepping state.
type Engine struct {
	mu       sync.Mutex
	stepping atomic.Bool
	stepped  []*code // code patched for stepping
}

// New returns the interpreter engine.
func New() *Engine { return &Engine{} }

func init() { runtime.DefaultEngine = New() }

// instData caches an instance's canonical type records by module index,
// so the hot paths never take the type registry's lock.
type instData struct {
	defs []*runtime.TypeDef
}

func dataOf(inst *runtime.Instance) *instData {
	if d, ok := inst.EngineData.(*instData); ok {
		return d
	}
	d := &instData{defs: make([]*runtime.TypeDef, len(inst.Types))}
	for i := range inst.Types {
		d.defs[i] = inst.Store.Types.Def(inst.Types[i])
	}
	inst.EngineData = d
	return d
}

// Check refuses modules the interpreter cannot run: SIMD instructions it
// does not implement (TestSIMDComplete keeps that set empty).
func (e *Engine) Check(inst *runtime.Instance) error {
	m := inst.Module
	nImp := uint32(m.NumImported(wasm.ExternFunc))
	for i := range m.Funcs {
		f := &m.Funcs[i]
		for j := range f.Body {
			op := f.Body[j].Op
			if op.Prefix() == wasm.PrefixSIMD && op != wasm.OpV128Const {
				if _, ok := simdIdx[op]; !ok {
					return &runtime.Unsupported{Msg: fmt.Sprintf("SIMD is not supported by the interpreter yet: function %d uses %s", nImp+uint32(i), op)}
				}
			}
		}
	}
	return nil
}

// codeOf returns f's compiled code, compiling it on first use.
func codeOf(f *runtime.Func) (*code, error) {
	if cd, ok := f.Code.(*code); ok {
		return cd, nil
	}
	if f.Def == nil || f.Inst == nil {
		return nil, fmt.Errorf("func %d has no body", f.Index)
	}
	dataOf(f.Inst)
	cd, err := compile(f)
	if err != nil {
		return nil, err
	}
	f.Code = cd
	return cd, nil
}

// AppendStackMap implements runtime.Engine with StackMap's answer.
func (e *Engine) AppendStackMap(dst []uint32, f *runtime.Func, offset uint32) []uint32 {
	return append(dst, e.StackMap(f, offset)...)
}

// StackMap returns the reference slots of f's frame
// at the instruction at offset. Safepoints have them precomputed; other
// offsets (a debugger stopped anywhere) are answered by recompiling with
// a map at every instruction, cached from then on.
func (e *Engine) StackMap(f *runtime.Func, offset uint32) []uint32 {
	cd, err := codeOf(f)
	if err != nil {
		return nil
	}
	if m, ok := cd.stackMaps[offset]; ok {
		return m
	}
	full, err := compileAllMaps(f)
	if err != nil {
		return nil
	}
	for off, m := range full.stackMaps {
		if _, ok := cd.stackMaps[off]; !ok {
			cd.stackMaps[off] = m
		}
	}
	if _, ok := cd.stackMaps[offset]; !ok {
		cd.stackMaps[offset] = nil // unknown offset: remember the answer
	}
	return cd.stackMaps[offset]
}

// Invoke implements runtime.Engine.
func (e *Engine) Invoke(env *runtime.ExecEnv, f *runtime.Func, base uint32) (err error) {
	depth := env.Depth
	defer func() {
		if p := recover(); p != nil {
			err = &runtime.Trap{Msg: fmt.Sprintf("internal error: %v", p), Backtrace: env.Backtrace()}
		}
		if err != nil {
			err = env.Trapped(err) // the frames are still there
		}
		env.Depth = depth
	}()
	if f.Host != nil {
		return e.callHost(env, f, base)
	}
	if err := e.push(env, f, base, true); err != nil {
		return err
	}
	return e.run(env)
}

// push enters Wasm function f with its arguments at slot base.
func (e *Engine) push(env *runtime.ExecEnv, f *runtime.Func, base uint32, entry bool) error {
	cd, err := codeOf(f)
	if err != nil {
		return &runtime.Trap{Msg: "invalid function", Cause: err, Backtrace: env.Backtrace()}
	}
	if e.stepping.Load() && !cd.stepAll {
		// Other threads may be running this code: patch it with them
		// stopped (the caller's frame is committed, a safepoint).
		env.Store.StopTheWorld()
		e.patchAll(cd)
		env.Store.StartTheWorld()
	}
	top := uint64(base) + uint64(cd.maxHeight)
	if env.Depth >= len(env.Frames) || top > uint64(len(env.Slots)) {
		return &runtime.Trap{Msg: "call stack exhausted", Backtrace: env.Backtrace()}
	}
	clear(env.Slots[base+cd.nParams : base+cd.nLocals])
	// Field by field: assigning a whole Frame (it holds a pointer) costs a
	// typed memory move with write barriers on every call.
	fr := &env.Frames[env.Depth]
	fr.Func, fr.Base, fr.Top, fr.Offset, fr.PC, fr.Entry = f, base, uint32(top), cd.entryOff, 0, entry
	env.Depth++
	return nil
}

// callHost calls a host function with arguments at slot base and writes
// its results there. A frame records it for backtraces and nesting.
func (e *Engine) callHost(env *runtime.ExecEnv, f *runtime.Func, base uint32) error {
	ft := &f.Type.Comp
	n := max(slots(ft.Params), slots(ft.Results))
	if env.Depth >= len(env.Frames) || uint64(base)+uint64(n) > uint64(len(env.Slots)) {
		return &runtime.Trap{Msg: "call stack exhausted", Backtrace: env.Backtrace()}
	}
	args := runtime.GetValues(env.Slots[base:], ft.Params)
	env.Frames[env.Depth] = runtime.Frame{Func: f, Base: base, Top: base + n}
	env.Depth++
	var caller *runtime.Instance
	if env.Depth >= 2 {
		if c := env.Frames[env.Depth-2].Func; c != nil {
			caller = c.Inst
		}
	}
	res, err := f.Host(caller, args)
	if err != nil {
		err = hostError(env, f, err)
		env.Depth--
		return err
	}
	env.Depth--
	if len(res) != len(ft.Results) {
		return &runtime.Trap{Msg: fmt.Sprintf("host function %s returned %d results, want %d", f.Name, len(res), len(ft.Results)), Backtrace: env.Backtrace()}
	}
	for i, v := range res {
		if v.Type.Kind != ft.Results[i].Kind {
			return &runtime.Trap{Msg: fmt.Sprintf("host function %s returned %s for a %s result", f.Name, v.Type, ft.Results[i]), Backtrace: env.Backtrace()}
		}
		if v.Bits == 0 && v.Type.IsRef() && !ft.Results[i].Nullable {
			// Compiled code does not test a non-nullable value for null.
			return &runtime.Trap{Msg: fmt.Sprintf("host function %s returned null for a %s result", f.Name, ft.Results[i]), Backtrace: env.Backtrace()}
		}
	}
	runtime.PutValues(env.Slots[base:], res)
	return nil
}

// hostError gives a host function's failure a place (runtime.HostFailure).
func hostError(env *runtime.ExecEnv, f *runtime.Func, err error) error {
	return runtime.HostFailure(env, f, err)
}

// interrupted handles a set interrupt word at a safepoint, the frames
// committed: it parks for a stop-the-world, then handles what else is set.
func interrupted(env *runtime.ExecEnv) error {
	if !env.Poll() {
		return nil
	}
	if env.Interrupt.Load()&runtime.InterruptExit != 0 {
		if err := env.Store.Failure(); err != nil {
			return err
		}
	}
	if env.OnInterrupt != nil {
		return env.OnInterrupt(env)
	}
	env.Interrupt.Clear(^uint32(runtime.InterruptStop))
	return &runtime.Trap{Msg: "interrupted", Backtrace: env.Backtrace()}
}

// CompileAll compiles every function of inst now rather than on first
// call, so a tool can report compile errors (or measure compile time) up
// front.
func CompileAll(inst *runtime.Instance) error {
	for _, f := range inst.Funcs {
		if f.Inst != inst || f.Def == nil {
			continue
		}
		if _, err := codeOf(f); err != nil {
			return err
		}
	}
	return nil
}

// CompileAllForDebug compiles every function of inst as a debugger needs
// it, before any runs: without fusing instructions, so a breakpoint or a
// step can stop at every Wasm instruction (at the cost of speed), and
// with a stack map at every instruction.
func CompileAllForDebug(inst *runtime.Instance) error {
	for _, f := range inst.Funcs {
		if f.Inst != inst || f.Def == nil {
			continue
		}
		if _, ok := f.Code.(*code); ok {
			continue
		}
		dataOf(f.Inst)
		cd, err := compileDebug(f)
		if err != nil {
			return err
		}
		f.Code = cd
	}
	return nil
}

// PrepareThreads implements runtime.ThreadPreparer: compile every function
// of the store now, so threads never compile (and publish code) lazily
// while others run.
func (e *Engine) PrepareThreads(s *runtime.Store) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, inst := range s.Instances() {
		if inst.Module == nil {
			continue
		}
		if err := CompileAll(inst); err != nil {
			return err
		}
	}
	return nil
}
