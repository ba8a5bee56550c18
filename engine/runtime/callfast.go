package runtime

import (
	"fmt"

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

// callOutermost is CallAppend's path for an outermost call of a function
// whose parameters and results are all numbers, on an engine that
// implements OutermostInvoker. ok false means the call is not one (a
// reference argument or result, a wrong argument, no room), with nothing
// changed: the general path then checks and reports. It needs no deferred
// recover: everything here is written not to panic (the indices are
// checked first), the world's entry and exit cannot, and
// InvokeOutermost promises not to; a call it does not handle runs through
// callRecovered. That saves the defer and a frame per call.
func (env *ExecEnv) callOutermost(inv OutermostInvoker, dst []Value, f *Func, args []Value) (res []Value, ok bool, err error) {
	if f.Type == nil || f.Host != nil {
		return nil, false, nil
	}
	ft := &f.Type.Comp
	params, results := ft.Params, ft.Results
	if len(args) != len(params) {
		return nil, false, nil
	}
	slots := 0
	for i := range args {
		p := params[i]
		if args[i].Type.Kind != p.Kind || p.IsRef() {
			return nil, false, nil
		}
		slots++
		if p.Kind == wasm.KindV128 {
			slots++
		}
	}
	rslots := 0
	for _, t := range results {
		if t.IsRef() {
			return nil, false, nil
		}
		rslots++
		if t.Kind == wasm.KindV128 {
			rslots++
		}
	}
	if max(slots, rslots) > len(env.Slots) {
		return nil, false, nil // the general path reports the exhaustion
	}
	s := env.Slots[:max(slots, rslots)]
	i := 0
	for k := range args {
		s[i] = args[k].Bits
		i++
		if args[k].Type.Kind == wasm.KindV128 {
			s[i] = args[k].Hi
			i++
		}
	}
	env.enterWorld()
	handled, err := inv.InvokeOutermost(env, f)
	if !handled {
		res, err = env.callRecovered(dst, f, args)
		env.leaveWorld()
		return res, true, err
	}
	env.leaveWorld()
	if err != nil {
		return nil, true, err
	}
	// The results are in s (rslots <= len(s)); no room is made for more.
	if cap(dst)-len(dst) < len(results) {
		dst = append(make([]Value, 0, len(dst)+len(results)), dst...)
	}
	i = 0
	for _, t := range results {
		v := Value{Type: t, Bits: s[i]}
		i++
		if t.Kind == wasm.KindV128 {
			v.Hi = s[i]
			i++
		}
		dst = append(dst, v)
	}
	return dst, true, nil
}

// callRecovered is call with its panics recovered as traps, for a call
// the engine's outermost path did not take (the env already running).
func (env *ExecEnv) callRecovered(dst []Value, f *Func, args []Value) (res []Value, err error) {
	defer func() {
		if p := recover(); p != nil {
			res, err = nil, &Trap{Msg: fmt.Sprintf("internal error: %v", p)}
		}
	}()
	return env.call(dst, f, args)
}
