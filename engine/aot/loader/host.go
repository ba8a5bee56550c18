package loader

import (
	"fmt"

	"github.com/gcscope/gcscope/engine/runtime"
)

// callHost calls a host function with its arguments at slot base and
// writes its results there, under a frame record so backtraces show it
// and a Wasm call it makes stacks above it (as the interpreter does).
func callHost(env *runtime.ExecEnv, f *runtime.Func, base uint32) error {
	ft := &f.Type.Comp
	n := uint32(max(slotCount(ft.Params), slotCount(ft.Results)))
	if env.Depth >= len(env.Frames) || uint64(base)+uint64(n) > uint64(len(env.Slots)) {
		return &runtime.Trap{Msg: "call stack exhausted", Backtrace: env.Backtrace()}
	}
	args := runtime.GetValues(env.Slots[base:], ft.Params)
	depth := env.Depth
	env.Frames[depth] = runtime.Frame{Func: f, Base: base, Top: base + n}
	env.Depth++
	var caller *runtime.Instance
	if depth >= 1 && env.Frames[depth-1].Func != nil {
		caller = env.Frames[depth-1].Func.Inst
	}
	res, err := f.Host(caller, args)
	defer func() { env.Depth = depth }()
	if err != nil {
		return runtime.HostFailure(env, f, err)
	}
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
