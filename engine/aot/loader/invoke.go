package loader

import (
	"unsafe"

	"github.com/gcscope/gcscope/engine/aot/compile"
	"github.com/gcscope/gcscope/engine/aot/native"
	"github.com/gcscope/gcscope/engine/runtime"
	"github.com/gcscope/gcscope/engine/wasm"
)

func addrOf(p *uint64) uintptr { return uintptr(unsafe.Pointer(p)) }

// savedWords are the record words an invocation sets and restores, so the
// interpreter and enclosing invocations see theirs unchanged.
var savedWords = [...]int{runtime.EnvMemoryBase, runtime.EnvMemorySize, runtime.EnvFrameTop, runtime.EnvFrameLimit,
	runtime.EnvNativeStackLimit, runtime.EnvTrapCode, runtime.EnvTrapOffset, runtime.EnvHelpers, runtime.EnvGlobals}

// Invoke implements runtime.Engine: it runs f natively with its arguments
// in env.Slots[base:] and leaves the results there.
func (e *Engine) Invoke(env *runtime.ExecEnv, f *runtime.Func, base uint32) error {
	n := nativeOf(env)
	st, err := n.instState(e, f.Inst)
	if err != nil {
		return err
	}
	if f.Host != nil && e.Fallback == nil {
		return callHost(env, f, base)
	}
	if st == nil || f.Host != nil || f.Def == nil {
		if e.Fallback == nil {
			return &runtime.Trap{Msg: "aot: function has no native code", Backtrace: env.Backtrace()}
		}
		return e.Fallback.Invoke(env, f, base)
	}
	e.syncThread(env) // a new thread gets its store's debug bits (armed.go)
	def := int(f.Index) - int(st.inst.Module.NumImported(wasm.ExternFunc))
	if def < 0 || def >= len(st.mod.Entries) {
		return &runtime.Trap{Msg: "aot: function has no native code", Backtrace: env.Backtrace()}
	}
	// Native code allocates inline through the env's buffer words.
	if err := env.UseAllocBuffer(); err != nil {
		return err
	}
	ft := &f.Type.Comp
	// Frame headers go above the arguments and results; the depth limit
	// is what the frame records leave, and the slot stack bounds it too.
	hdr := uint64(base) + uint64(max(slotCount(ft.Params), slotCount(ft.Results)))
	if env.Depth >= len(env.Frames) || hdr >= uint64(len(env.Slots)) {
		return &runtime.Trap{Msg: "call stack exhausted", Backtrace: env.Backtrace()}
	}
	rec := env.Record
	var saved [len(savedWords)]uint64
	for i, w := range savedWords {
		saved[i] = rec[w]
	}
	// Native frames (a header and the function's slot area each) are
	// bounded by the slot stack, as interpreter frames are; they take a
	// frame record only when materialized (see materialize), which then
	// checks the depth limit.
	frameBase := uint64(addrOf(&env.Slots[hdr]))
	rec[runtime.EnvFrameTop], rec[runtime.EnvFrameLimit] = frameBase, rec[runtime.EnvSlotsLimit]
	rec[runtime.EnvTrapCode], rec[runtime.EnvTrapOffset] = 0, 0
	rec[runtime.EnvHelpers] = uint64(native.HelperTable())
	rec[runtime.EnvGlobals] = 0
	if st.globals != nil {
		rec[runtime.EnvGlobals] = uint64(st.globals.Base())
	}
	setMemory(rec, st.inst)
	// A frame record for the whole native run: env.Top() must stay above
	// the headers, so that host code calling back stacks above them.
	depth := env.Depth
	// Its offset names no safepoint: the frame's references are in the
	// native frames' slot areas, which materialize exposes.
	env.Frames[depth] = runtime.Frame{Func: f, Base: base, Top: uint32(hdr), Entry: true, Offset: calloutOffset}
	env.Depth++

	if depth == 0 {
		// No enclosing invocation: forget any a panic left unpopped.
		for n.depth > 0 {
			n.pop()
		}
	}
	act := n.push()
	act.e, act.env, act.st, act.f, act.frameBase, act.entryDepth = e, env, st, f, frameBase, depth

	trapped := native.Invoke(st.mod.Entries[def], &rec[0], &env.Slots[base])
	if trapped {
		err = act.keepFrames(act.trap())
	}
	err = act.endExn(n, trapped, err)
	n.pop()
	env.Depth = depth
	for i, w := range savedWords {
		rec[w] = saved[i]
	}
	return err
}

// setMemory points the record at inst's memory 0.
func setMemory(rec []uint64, inst *runtime.Instance) {
	rec[runtime.EnvMemoryBase], rec[runtime.EnvMemorySize] = 0, 0
	if len(inst.Mems) > 0 && inst.Mems[0].Linear != nil {
		rec[runtime.EnvMemoryBase] = uint64(inst.Mems[0].Linear.Base())
		rec[runtime.EnvMemorySize] = uint64(len(inst.Mems[0].Bytes()))
	}
}

// trap turns the record's trap state into an error with the Wasm
// backtrace read from the frame headers (innermost first).
func (a *activation) trap() error {
	rec := a.env.Record
	code := rec[runtime.EnvTrapCode]
	// Exhaustion is detected in a callee's prologue, before it links its
	// header: the innermost header is the caller's, at the call.
	bt := a.backtrace(uint32(rec[runtime.EnvTrapOffset]), code != compile.TrapStackExhausted)
	if code == compile.TrapHost && a.err != nil {
		// The store's failure (another thread's trap) is shared: leave it.
		if t, ok := a.err.(*runtime.Trap); ok && !a.complete && !a.isFailure(t) {
			t.Backtrace = a.completeTrace(t.Backtrace, bt)
		}
		return a.err
	}
	msg, ok := compile.TrapMessages[code]
	if !ok {
		msg = "aot: unknown trap"
	}
	return &runtime.Trap{Msg: msg, Backtrace: a.completeTrace(nil, bt)}
}

// backtrace reads the native frames between the activation's base and
// the record's frame top (see walk), innermost first. The innermost
// frame's offset is the trapping instruction's.
func (a *activation) backtrace(trapOff uint32, atTrap bool) []runtime.TraceFrame {
	fs := a.frames()
	var bt []runtime.TraceFrame
	for k := len(fs) - 1; k >= 0 && len(bt) < maxTrace; k-- {
		fi, off := fs[k].fn, fs[k].offset
		if k == len(fs)-1 && atTrap {
			off = trapOff
		}
		tf := runtime.TraceFrame{Module: a.st.inst.Name, Func: fi, Offset: off}
		if int(fi) < len(a.st.inst.Funcs) {
			tf.Name = a.st.inst.Funcs[fi].Name
		}
		bt = append(bt, tf)
	}
	return bt
}
