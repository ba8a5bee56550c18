package loader

import (
	"slices"
	"unsafe"

	"github.com/gcscope/gcscope/engine/aot/compile"
	"github.com/gcscope/gcscope/engine/aot/native"
	"github.com/gcscope/gcscope/engine/runtime"
	"github.com/gcscope/gcscope/engine/wasm"
)

func addrOf(p *uint64) uintptr { return uintptr(unsafe.Pointer(p)) }

// callInfo is what Invoke needs of an instance's functions, computed
// once: the number of imported functions and, per defined function, the
// slots its arguments and results take (frame headers start above them).
type callInfo struct {
	imported int
	argSlots []uint32
}

func newCallInfo(inst *runtime.Instance) callInfo {
	c := callInfo{imported: inst.Module.NumImported(wasm.ExternFunc)}
	for _, f := range inst.Funcs[min(c.imported, len(inst.Funcs)):] {
		var n int
		if f.Type != nil {
			n = max(slotCount(f.Type.Comp.Params), slotCount(f.Type.Comp.Results))
		}
		c.argSlots = append(c.argSlots, uint32(n))
	}
	return c
}

// savedWords are the record words an invocation sets and restores, so the
// interpreter and enclosing invocations see theirs unchanged.
type savedWords struct {
	memBase, memSize, frameTop, frameLimit, stackLimit, trapCode, trapOffset, helpers, globals uint64
}

// save fills s field by field: returning a composite literal went through
// a stack temporary whose 8-byte stores stalled the copy's 16-byte loads.
func (s *savedWords) save(rec []uint64) {
	_ = rec[runtime.EnvWords-1]
	s.memBase, s.memSize = rec[runtime.EnvMemoryBase], rec[runtime.EnvMemorySize]
	s.frameTop, s.frameLimit = rec[runtime.EnvFrameTop], rec[runtime.EnvFrameLimit]
	s.stackLimit = rec[runtime.EnvNativeStackLimit]
	s.trapCode, s.trapOffset = rec[runtime.EnvTrapCode], rec[runtime.EnvTrapOffset]
	s.helpers, s.globals = rec[runtime.EnvHelpers], rec[runtime.EnvGlobals]
}

func (s *savedWords) restore(rec []uint64) {
	_ = rec[runtime.EnvWords-1]
	rec[runtime.EnvMemoryBase], rec[runtime.EnvMemorySize] = s.memBase, s.memSize
	rec[runtime.EnvFrameTop], rec[runtime.EnvFrameLimit] = s.frameTop, s.frameLimit
	rec[runtime.EnvNativeStackLimit] = s.stackLimit
	rec[runtime.EnvTrapCode], rec[runtime.EnvTrapOffset] = s.trapCode, s.trapOffset
	rec[runtime.EnvHelpers], rec[runtime.EnvGlobals] = s.helpers, s.globals
}

// Invoke implements runtime.Engine: it runs f natively with its arguments
// in env.Slots[base:] and leaves the results there. Every call from Go
// pays for what is here (BenchmarkInvokeOverhead, BenchmarkSmallGC):
// per-function facts come from the env's call cache (one cache line with
// the native state's depth), the frame record is written field by field
// (a composite literal went through a stack temporary whose narrower
// stores stalled the copy's wide loads), and the record words are saved
// and restored only when an enclosing native run reads them afterwards.
func (e *Engine) Invoke(env *runtime.ExecEnv, f *runtime.Func, base uint32) error {
	n := nativeOf(env)
	c := &n.last
	if c.f != f || c.eng != e || c.gen != e.gen.Load() {
		if done, err := e.resolveCall(n, env, f, base); done {
			return err
		}
	}
	e.syncThread(env) // a new thread gets its store's debug bits (armed.go)
	// Native code allocates inline through the env's buffer words.
	if err := env.UseAllocBuffer(); err != nil {
		return err
	}
	// Frame headers go above the arguments and results; the depth limit
	// is what the frame records leave, and the slot stack bounds it too.
	hdr := uint64(base) + uint64(c.argSlots)
	depth := env.Depth
	if depth >= len(env.Frames) || hdr >= uint64(len(env.Slots)) {
		return &runtime.Trap{Msg: "call stack exhausted", Backtrace: env.Backtrace()}
	}
	if depth == 0 {
		// No enclosing invocation: forget any a panic left unpopped.
		for n.depth > 0 {
			n.pop()
		}
	}
	rec := env.Record
	// Only an enclosing native run (host code called back from it) reads
	// the record words after this call: the interpreter and Go code
	// outside native runs never do, and every run sets them first.
	nested := n.depth > 0
	var saved savedWords
	if nested {
		saved.save(rec)
	} else {
		// gcs_invoke only raises the native stack limit to this OS
		// thread's: a limit left by a call on another thread would be
		// wrong here (the env's goroutine is not locked to its thread).
		rec[runtime.EnvNativeStackLimit] = 0
	}
	// Native frames (a header and the function's slot area each) are
	// bounded by the slot stack, as interpreter frames are; they take a
	// frame record only when materialized (see materialize), which then
	// checks the depth limit.
	frameBase := uint64(addrOf(&env.Slots[hdr]))
	rec[runtime.EnvFrameTop], rec[runtime.EnvFrameLimit] = frameBase, rec[runtime.EnvSlotsLimit]
	rec[runtime.EnvTrapCode], rec[runtime.EnvTrapOffset] = 0, 0
	rec[runtime.EnvHelpers] = uint64(native.HelperTable())
	rec[runtime.EnvGlobals] = uint64(c.globals)
	if c.noMemory {
		rec[runtime.EnvMemoryBase], rec[runtime.EnvMemorySize] = 0, 0
	} else {
		setMemory(rec, c.st.inst)
	}
	// A frame record for the whole native run: env.Top() must stay above
	// the headers, so that host code calling back stacks above them.
	// Its offset names no safepoint: the frame's references are in the
	// native frames' slot areas, which materialize exposes.
	fr := &env.Frames[depth]
	fr.Func, fr.Base, fr.Top, fr.Offset, fr.PC, fr.Entry = f, base, uint32(hdr), calloutOffset, 0, true
	env.Depth++

	refResults := c.refResults
	act := n.push()
	act.e, act.env, act.st, act.f, act.frameBase, act.entryDepth = e, env, c.st, f, frameBase, depth

	trapped := native.Invoke(c.entry, &rec[0], &env.Slots[base])
	var err error
	if trapped {
		err = act.keepFrames(act.trap())
	}
	if act.exnToFinish(trapped) {
		err = act.uncaught()
	}
	n.pop()
	env.Depth = depth
	if nested {
		saved.restore(rec)
	}
	if refResults {
		// A result allocated inline has no start bit yet: set it here, on
		// this thread, rather than make the caller's first access stop
		// the world to find it (gc.Heap.PublishOwn).
		env.PublishStarts()
	}
	return err
}

// resolveCall finds what Invoke needs to run f natively and keeps it in
// n.last, the env's one-entry cache (a host calling one export over and
// over then skips the instance state's lookups, several cache lines the
// native code's allocations may have evicted). f may have no native code
// (a host function, or a function on the fallback engine): then it is
// called here and done is true, with the call's error.
func (e *Engine) resolveCall(n *envNative, env *runtime.ExecEnv, f *runtime.Func, base uint32) (done bool, err error) {
	st, err := n.instState(e, f.Inst)
	if err != nil {
		return true, err
	}
	if f.Host != nil && e.Fallback == nil {
		return true, callHost(env, f, base)
	}
	if st == nil || f.Host != nil || f.Def == nil {
		if e.Fallback == nil {
			return true, &runtime.Trap{Msg: "aot: function has no native code", Backtrace: env.Backtrace()}
		}
		return true, e.Fallback.Invoke(env, f, base)
	}
	def := int(f.Index) - st.calls.imported
	if def < 0 || def >= len(st.mod.Entries) || def >= len(st.calls.argSlots) {
		return true, &runtime.Trap{Msg: "aot: function has no native code", Backtrace: env.Backtrace()}
	}
	n.last = callCache{f: f, eng: e, gen: e.gen.Load(), st: st, entry: st.mod.Entries[def], argSlots: st.calls.argSlots[def],
		refResults: slices.ContainsFunc(f.Type.Comp.Results, wasm.ValType.IsRef), noMemory: len(st.inst.Mems) == 0}
	if st.globals != nil {
		n.last.globals = st.globals.Base()
	}
	return false, nil
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
