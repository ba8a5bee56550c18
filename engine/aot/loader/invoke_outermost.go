package loader

import (
	"fmt"

	"github.com/gcscope/gcscope/engine/aot/native"
	"github.com/gcscope/gcscope/engine/runtime"
)

var _ runtime.OutermostInvoker = (*Engine)(nil)

// InvokeOutermost implements runtime.OutermostInvoker: Invoke(env, f, 0)
// for a call from Go with no frames active, the function the env called
// last (its call cache valid), no debugger armed and the env's
// allocation buffer attached; anything else is left to Invoke. It does
// what Invoke does for such a call, minus what cannot apply: no
// enclosing native run (nothing to save or restore), no activation left
// by a panic, no result to publish (the runtime takes this path only
// for numeric results). Every index is checked before anything is
// written, so the path cannot panic; a trap's or an exception's
// bookkeeping, which can, recovers (finishOutermost).
func (e *Engine) InvokeOutermost(env *runtime.ExecEnv, f *runtime.Func) (handled bool, err error) {
	n, ok := env.EngineState.(*envNative)
	if !ok || n.depth != 0 || env.Depth != 0 {
		return false, nil
	}
	c := &n.last
	if c.f != f || c.eng != e || c.gen != e.gen.Load() || c.refResults || e.arm.active.Load() || !env.HasAllocBuffer() {
		return false, nil
	}
	rec, slots, frames := env.Record, env.Slots, env.Frames
	hdr := uint64(c.argSlots)
	if len(rec) < runtime.EnvWords || len(frames) == 0 || hdr >= uint64(len(slots)) {
		return false, nil // a closed env or exhaustion: Invoke reports it
	}
	// As in Invoke (see there): the stack limit is this OS thread's,
	// frame headers start above the argument and result slots. The words
	// are set here as Invoke sets them, not through a shared method: Go
	// does not inline one that size, and the call measured 2-5 ns more
	// per call (BenchmarkInvokeLayers, 60 ns in all).
	rec[runtime.EnvNativeStackLimit] = 0
	frameBase := uint64(addrOf(&slots[hdr]))
	rec[runtime.EnvFrameTop], rec[runtime.EnvFrameLimit] = frameBase, rec[runtime.EnvSlotsLimit]
	rec[runtime.EnvTrapCode], rec[runtime.EnvTrapOffset] = 0, 0
	rec[runtime.EnvHelpers] = uint64(native.HelperTable())
	rec[runtime.EnvGlobals] = uint64(c.globals)
	if c.noMemory {
		rec[runtime.EnvMemoryBase], rec[runtime.EnvMemorySize] = 0, 0
	} else {
		setMemory(rec, c.st.inst)
	}
	fr := &frames[0]
	fr.Func, fr.Base, fr.Top, fr.Offset, fr.PC, fr.Entry = f, 0, uint32(hdr), calloutOffset, 0, true
	env.Depth = 1
	n.depth = 1
	act := &n.outer
	act.e, act.env, act.st, act.f, act.frameBase, act.entryDepth = e, env, c.st, f, frameBase, 0

	trapped := native.Invoke(c.entry, &rec[0], &slots[0])
	if trapped || act.exnToFinish(false) {
		return true, finishOutermost(n, act, trapped)
	}
	n.pop()
	env.Depth = 0
	return true, nil
}

// finishOutermost ends an outermost run that trapped or left an
// exception or pins, as Invoke does, recovering a panic as a trap (the
// runtime's caller has no recover around InvokeOutermost).
func finishOutermost(n *envNative, act *activation, trapped bool) (err error) {
	env := act.env
	defer func() {
		if p := recover(); p != nil {
			err = &runtime.Trap{Msg: fmt.Sprintf("internal error: %v", p)}
		}
		if n.depth > 0 {
			n.pop()
		}
		env.Depth = 0
	}()
	if trapped {
		err = act.keepFrames(act.trap())
	}
	if act.exnToFinish(trapped) {
		err = act.uncaught()
	}
	return err
}
