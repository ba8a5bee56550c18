package runtime

import (
	"github.com/gcscope/gcscope/engine/wasm"
)

// OutermostInvoker is implemented by engines with a cheaper entry for the
// commonest call from Go: an outermost call (no frames active on the env)
// of a function whose parameters and results are all numbers, so that no
// argument needs rooting or a type check beyond its kind and no result
// needs publishing (docs/aot-compiler.md, "Calls from Go, second round").
// ExecEnv.CallAppend takes that path when the store's engine implements
// it, with the arguments already in env.Slots[0:] and the env running.
type OutermostInvoker interface {
	// InvokeOutermost runs f as Invoke(env, f, 0) would, with env.Depth
	// 0. It reports handled=false, having changed nothing, when the call
	// needs Invoke's general path (a first call, a debugger armed, no
	// native code...); the caller then runs Invoke. It must not panic:
	// the caller does not recover around it, so the paths that may (a
	// trap's or an exception's bookkeeping) recover on their own.
	InvokeOutermost(env *ExecEnv, f *Func) (handled bool, err error)
}

// HasAllocBuffer reports whether the env has its allocation buffer
// already (UseAllocBuffer would do nothing).
func (e *ExecEnv) HasAllocBuffer() bool { return e.buf != nil }

// outermostSig is a function's signature as CallAppend's outermost path
// checks it, kept in the env for the function it last called that way: the
// parameter kinds one byte each, so that checking the arguments reads
// nothing but the env and the arguments (the function type's slices are
// three dependent loads away, which showed in the profile).
type outermostSig struct {
	f        *Func
	eligible bool // at most maxOutermostParams/Results, all numbers, no v128
	nParams  uint8
	nResults uint8
	params   [maxOutermostParams]wasm.Kind
	results  [maxOutermostResults]wasm.ValType
}

const (
	maxOutermostParams  = 8
	maxOutermostResults = 4
)

// sigOf returns f's signature for the outermost path, from the env's
// cache or computed and kept there.
func (env *ExecEnv) sigOf(f *Func) *outermostSig {
	if sg := &env.outerSig; sg.f == f {
		return sg
	}
	return env.newSig(f)
}

// newSig computes f's signature into the env's cache.
func (env *ExecEnv) newSig(f *Func) *outermostSig {
	sg := &env.outerSig
	*sg = outermostSig{f: f}
	if f.Type == nil || f.Host != nil {
		return sg
	}
	ft := &f.Type.Comp
	if len(ft.Params) > maxOutermostParams || len(ft.Results) > maxOutermostResults {
		return sg
	}
	for i, p := range ft.Params {
		if !p.IsNum() {
			return sg
		}
		sg.params[i] = p.Kind
	}
	for i, t := range ft.Results {
		if !t.IsNum() {
			return sg
		}
		sg.results[i] = t
	}
	sg.nParams, sg.nResults, sg.eligible = uint8(len(ft.Params)), uint8(len(ft.Results)), true
	return sg
}

// CallAppend is Call appending the results to dst: with room in dst it
// allocates nothing, for callers that call often (benchmarks, drivers).
//
// An outermost call of a function whose parameters and results are all
// numbers (i32, i64, f32, f64), on an engine that implements
// OutermostInvoker, is run here; anything else (a reference or vector, a
// wrong argument, no room, a nested call) goes to callChecked, which
// checks and reports, with nothing changed but free slots. This path needs no deferred
// recover: everything here is written not to panic (indices are checked
// first), the world's entry and exit cannot, and InvokeOutermost promises
// not to; a call it does not take runs through callChecked.
func (env *ExecEnv) CallAppend(dst []Value, f *Func, args []Value) ([]Value, error) {
	if env.Store == nil {
		return env.callChecked(dst, f, args) // a zero ExecEnv: an error there
	}
	inv := env.Store.outermost
	if inv == nil || f == nil || f.Inst == nil || f.Inst.Store != env.Store || env.Depth != 0 ||
		env.getState() != envOutside || env.Slots == nil {
		return env.callChecked(dst, f, args)
	}
	sg := env.sigOf(f)
	np, nr := int(sg.nParams), int(sg.nResults)
	if !sg.eligible || len(args) != np || np > len(env.Slots) || nr > len(env.Slots) {
		return env.callChecked(dst, f, args)
	}
	slots := env.Slots[:max(np, nr)]
	for i := range args[:np] {
		if args[i].Type.Kind != sg.params[i] {
			return env.callChecked(dst, f, args) // it says which is wrong
		}
		slots[i] = args[i].Bits
	}
	env.enterWorld()
	handled, err := inv.InvokeOutermost(env, f)
	var res []Value
	if !handled {
		// The general path: the env is running already, so it neither
		// enters nor leaves the world, and it recovers panics.
		res, err = env.callChecked(dst, f, args)
	}
	// leaveWorld, with leaveRunning's lock-free path inline.
	env.state.Store(uint32(envOutside))
	if tokenNeedsLock || env.Store.world.pending.Load() {
		env.leaveWorld() // wakes the stopper (storing outside again is harmless)
	}
	if !handled || err != nil {
		return res, err
	}
	if cap(dst)-len(dst) < nr {
		dst = append(make([]Value, 0, len(dst)+nr), dst...)
	}
	for i := range slots[:nr] {
		dst = append(dst, Value{Type: sg.results[i], Bits: slots[i]})
	}
	return dst, nil
}
