package loader

import (
	"fmt"
	"sync/atomic"
	"unsafe"

	"github.com/gcscope/gcscope/engine/aot/aotfile"
	"github.com/gcscope/gcscope/engine/aot/compile"
	"github.com/gcscope/gcscope/engine/interp"
	"github.com/gcscope/gcscope/engine/mem"
	"github.com/gcscope/gcscope/engine/runtime"
	"github.com/gcscope/gcscope/engine/wasm"
)

// The debugger on AOT code. A debug build (compile.Options.Debug) tests
// the interrupt word and its break table entry before every instruction
// the interpreter's debug code can stop at; when either is set it commits
// every value of its frame and calls the op helper with
// compile.OpDebugStop (handled by debugStop below), and reloads every
// value afterwards. The engine therefore offers the interpreter's
// debugging interface: breakpoints set a byte of the instance's break
// table, stepping sets InterruptStep in the stepping thread's interrupt
// word, and Shape describes a frame as the interpreter would (the slot
// numbering is the same).

// InterruptStep is the interrupt word bit that makes a debug build stop
// (call ExecEnv.OnBreak) at every instruction of the thread: the AOT
// engine's stepping. It is the engine's own; OnInterrupt never sees it.
const InterruptStep = 1 << 29

// debugInfo is what a debug build's file says about its stops.
type debugInfo struct {
	stops [][]uint32 // per defined function, the stop offsets in code order
	first []int      // per defined function, the number of its first stop
	total int
	// homes says, per defined function, whether its operands are stored
	// as they are pushed, so that none is read back after a stop (the
	// debugoperands section); nil when the file predates the section.
	homes []bool
}

// readDebugInfo reads the debugstops section of a file flagged debug;
// nil for a release build.
func readDebugInfo(f *aotfile.File) (*debugInfo, error) {
	if f.Header.Flags&aotfile.FlagDebug == 0 {
		return nil, nil
	}
	var data, homes []byte
	for _, x := range f.Extra {
		switch x.ID {
		case compile.SectionDebugStops:
			data = x.Data
		case compile.SectionDebugOperands:
			homes = x.Data
		}
	}
	if data == nil {
		return nil, fmt.Errorf("aot: the debug build has no debugstops section")
	}
	stops, err := compile.DecodeDebugStops(data, len(f.Functions))
	if err != nil {
		return nil, err
	}
	d := &debugInfo{stops: stops, first: make([]int, len(stops))}
	if homes != nil {
		if d.homes, err = compile.DecodeDebugOperands(homes, len(f.Functions)); err != nil {
			return nil, err
		}
	}
	for i, s := range stops {
		d.first[i] = d.total
		d.total += len(s)
	}
	return d, nil
}

// Debug reports whether m is a debug build.
func (m *Module) Debug() bool { return m.debug != nil }

// stopAt returns the break table index and offset of the first stop of
// defined function def at or after offset.
func (d *debugInfo) stopAt(def int, offset uint32) (int, uint32, bool) {
	if def < 0 || def >= len(d.stops) {
		return 0, 0, false
	}
	best := -1
	for j, o := range d.stops[def] {
		// Code order is offset order except that a function's end, tested
		// after the paths to it meet, comes last: take the lowest match.
		if o >= offset && (best < 0 || o < d.stops[def][best]) {
			best = j
		}
	}
	if best < 0 {
		return 0, 0, false
	}
	return d.first[def] + best, d.stops[def][best], true
}

// debugState is an instance's break table.
type debugState struct {
	brk *mem.Region // one byte per stop: non-zero stops there
}

// newDebugState allocates the break table of a debug build's instance.
func newDebugState(d *debugInfo) (*debugState, error) {
	r, err := mem.Alloc(uint64(max(d.total, 1)))
	if err != nil {
		return nil, err
	}
	return &debugState{brk: r}, nil
}

// debugTarget finds f's native debug state.
func (e *Engine) debugTarget(f *runtime.Func) (*instState, int, error) {
	st, err := e.native(f.Inst)
	if err != nil {
		return nil, 0, err
	}
	if st == nil || f.Def == nil {
		return nil, 0, fmt.Errorf("func %d has no native code", f.Index)
	}
	if st.dbg == nil {
		return nil, 0, fmt.Errorf("func %d is not compiled as a debug build (compile with --debug)", f.Index)
	}
	return st, int(f.Index) - st.inst.Module.NumImported(wasm.ExternFunc), nil
}

// SetBreakpoint makes a debug build stop (call ExecEnv.OnBreak) at the
// first stop of f at or after offset, and returns that stop's offset, as
// interp.Engine.SetBreakpoint does.
func (e *Engine) SetBreakpoint(f *runtime.Func, offset uint32) (uint32, error) {
	st, def, err := e.debugTarget(f)
	if err != nil {
		return 0, err
	}
	k, at, ok := st.mod.debug.stopAt(def, offset)
	if !ok {
		return 0, fmt.Errorf("func %d has no instruction at or after offset 0x%x", f.Index, offset)
	}
	if swapByte(st.dbg.brk.Bytes(), k, 1) == 0 {
		e.breakSet(st.inst.Store, true)
	}
	return at, nil
}

// ClearBreakpoint removes a breakpoint SetBreakpoint set.
func (e *Engine) ClearBreakpoint(f *runtime.Func, offset uint32) {
	st, def, err := e.debugTarget(f)
	if err != nil {
		return
	}
	if k, _, ok := st.mod.debug.stopAt(def, offset); ok && swapByte(st.dbg.brk.Bytes(), k, 0) != 0 {
		e.breakSet(st.inst.Store, false)
	}
}

// atomicStoreByte sets byte k of b (whose length is a multiple of 4,
// a committed region). The code reads the byte with a volatile load, so
// the store is seen at its next test; the word-sized atomic keeps the
// race detector informed about the Go readers (debugStop).
func atomicStoreByte(b []byte, k int, v byte) {
	p := (*uint32)(unsafe.Pointer(&b[k&^3]))
	shift := uint(k&3) * 8
	for {
		old := atomic.LoadUint32(p)
		if atomic.CompareAndSwapUint32(p, old, old&^(0xff<<shift)|uint32(v)<<shift) {
			return
		}
	}
}

// atomicLoadByte reads byte k of b as atomicStoreByte writes it.
func atomicLoadByte(b []byte, k int) byte {
	return byte(atomic.LoadUint32((*uint32)(unsafe.Pointer(&b[k&^3]))) >> (uint(k&3) * 8))
}

// SetStepping turns stepping on for env's thread (and threads its store
// starts meanwhile), or off for all of them: while on, a debug build
// calls OnBreak before every instruction it runs (the debugger decides
// from the frames whether to stop), as the interpreter's stepping does.
func (e *Engine) SetStepping(env *runtime.ExecEnv, on bool) { e.stepSet(env, on) }

// Shape describes f's frame at the instruction at offset as the
// interpreter would: a debug build commits its frames in the
// interpreter's slot numbering.
func (e *Engine) Shape(f *runtime.Func, offset uint32) (*interp.FrameShape, error) {
	e.mu.Lock()
	if e.shapes == nil {
		e.shapes = map[*runtime.Func]map[uint32]*interp.FrameShape{}
	}
	m, ok := e.shapes[f]
	e.mu.Unlock()
	if !ok {
		var err error
		if m, err = interp.FrameShapes(f); err != nil {
			return nil, err
		}
		e.setFrom(f, m)
		e.mu.Lock()
		e.shapes[f] = m
		e.mu.Unlock()
	}
	s, ok := m[offset]
	if !ok {
		return nil, fmt.Errorf("func %d has no instruction at offset 0x%x", f.Index, offset)
	}
	return s, nil
}

// setFrom marks, in f's shapes, the operands the code reads back from
// their slots when the frame resumes: in a debug build, the innermost
// block's (the others are SSA values from before the block began), or
// none in a function whose operands are stored as they are pushed, or
// of a file that does not say which those are, or of a release build.
// An interpreted function (no native code) reads every operand from its
// slot, as the shapes already say.
func (e *Engine) setFrom(f *runtime.Func, shapes map[uint32]*interp.FrameShape) {
	st, _ := e.native(f.Inst)
	if st == nil {
		return
	}
	def := int(f.Index) - int(st.inst.Module.NumImported(wasm.ExternFunc))
	d := st.mod.debug
	none := d == nil || d.homes == nil || def < 0 || def >= len(d.homes) || d.homes[def]
	for _, sh := range shapes {
		sh.SetFrom = sh.BlockBase
		if none {
			sh.SetFrom = len(sh.Operands)
		}
	}
}

// debugStop serves a debug build's stop (compile.OpDebugStop with stop
// number k), the native frames materialized: an interrupt is handled as
// at the interpreter's safepoints, then OnBreak runs when the stop's
// breakpoint byte or the thread's stepping bit was set.
func (a *activation) debugStop(k uint64) int64 {
	env := a.env
	st := a.st
	bits := env.Interrupt.Load()
	var brk bool
	if st.dbg != nil {
		b := st.dbg.brk.Bytes()
		brk = k < uint64(len(b)) && atomicLoadByte(b, int(k)) != 0
	}
	stop := brk || bits&InterruptStep != 0
	if bits&^(InterruptStep|compile.InterruptArmed) != 0 {
		if err := interrupted(env); err != nil {
			a.fail(err)
			return 0
		}
	}
	if stop && env.OnBreak != nil {
		if err := env.OnBreak(env); err != nil {
			a.fail(err)
		}
	}
	return 0
}

// interrupted handles a set interrupt word at a stop, as the interpreter
// does at its safepoints: park for a stop-the-world, fail when the store
// is exiting, then OnInterrupt (or the "interrupted" trap without one).
func interrupted(env *runtime.ExecEnv) error {
	if !env.Poll() {
		return nil
	}
	bits := env.Interrupt.Load()
	if bits&runtime.InterruptExit != 0 {
		if err := env.Store.Failure(); err != nil {
			return err
		}
	}
	if bits&^(InterruptStep|runtime.InterruptStop|compile.InterruptArmed) == 0 {
		return nil // only stepping or armed: OnBreak's business
	}
	if env.OnInterrupt != nil {
		return env.OnInterrupt(env)
	}
	env.Interrupt.Clear(^uint32(runtime.InterruptStop | InterruptStep | compile.InterruptArmed))
	return &runtime.Trap{Msg: "interrupted", Backtrace: env.Backtrace()}
}

// keepFrames leaves a trapped debug build's native frames as frame
// records above the depth, as the interpreter leaves its own, so a
// debugger can show them after the trap (a debug build commits every
// value before trapping), and reports the trap with them still active
// (runtime.ExecEnv.Trapped: a debugger stops there, its frames still GC
// roots, as on the interpreter). Traps that came back from a callee
// through Go are left alone: their frames are the callee's business,
// and it reported them. It returns the error the call ends with.
func (a *activation) keepFrames(err error) error {
	if a.st.dbg == nil || a.env.Record[runtime.EnvTrapCode] == compile.TrapHost {
		return err
	}
	if a.materialize() {
		err = a.env.Trapped(err)
		a.materialized = false // not put back: the run is over
	}
	return err
}
