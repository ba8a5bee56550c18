package runtime

import (
	"sync/atomic"

	"github.com/gcscope/gcscope/engine/gc"
	"github.com/gcscope/gcscope/engine/mem"
)

// Frame is one activation record; docs/frame-layout.md describes it for
// the collector, the debugger and the AOT tier. The previous frame is the
// one below it in ExecEnv.Frames.
type Frame struct {
	Func *Func
	// Base is the index in ExecEnv.Slots of the frame's first slot:
	// parameters, then declared locals, then engine-private hidden locals,
	// then the operand stack.
	Base uint32
	// Top is the first slot above the frame's largest operand stack.
	Top uint32
	// Offset is the bytecode offset of the current instruction, committed
	// at every safepoint (calls, allocations, throws, traps).
	Offset uint32
	// PC is the engine's private resume point.
	PC uint32
	// Entry marks the frame a host→Wasm call started: returning from it
	// leaves the engine's loop.
	Entry bool
}

// Engine executes functions. The interpreter (engine/interp) is one; the
// runtime calls it through this interface only.
type Engine interface {
	// Check refuses, at instantiation, modules the engine cannot run.
	Check(inst *Instance) error
	// Invoke runs f with its arguments in env.Slots[base:] and leaves the
	// results there.
	Invoke(env *ExecEnv, f *Func, base uint32) error
	// AppendStackMap appends to dst the slots (relative to the frame's
	// Base) that hold references when f is at the instruction at offset.
	// Appending lets an engine keep its maps compact (the AOT loader's
	// share prefixes) and the collector reuse one buffer for every frame.
	AppendStackMap(dst []uint32, f *Func, offset uint32) []uint32
}

// DefaultEngine is used when Config.Engine is nil; engine/interp sets it.
var DefaultEngine Engine

// ExecEnv is one thread's execution environment: the store it runs in,
// its exec env record (with the interrupt word) and its frame stack. The
// slot stack and the record live outside the Go heap (engine/mem regions);
// the frame records sit in a Go array because they point at *Func.
type ExecEnv struct {
	Store *Store
	// Interrupt is the record's interrupt word, checked at function entry
	// and loop back-edges; a non-zero value makes the engine call
	// OnInterrupt (or trap "interrupted" if it is nil).
	Interrupt   InterruptWord
	OnInterrupt func(env *ExecEnv) error
	// OnBreak is called at breakpoints (and at every instruction while
	// stepping), the frames committed; an error aborts the run with it.
	OnBreak func(env *ExecEnv) error
	// OnTrap is called on the thread when a trap is about to unwind its
	// frames (ExecEnv.Trapped), the frames still active and committed; it
	// returns the error to go on with (usually err).
	OnTrap func(env *ExecEnv, err error) error
	// trapped is the last error given to OnTrap, so an error passing
	// through nested calls is reported once.
	trapped error
	// Slots is the slot stack, in memory outside the Go heap.
	Slots []uint64
	// Record is the exec env record (execenv.h), also outside the Go heap.
	Record          []uint64
	slotMem, recMem *mem.Region
	Frames          []Frame // capacity is the call depth limit
	Depth           int     // active frames: Frames[:Depth]
	// Pending holds an exception being propagated through host code, so
	// the collector sees it.
	Pending Ref
	// ID is the thread's number in its store (0: the main thread).
	ID uint32
	// state (an envState) and owner (the goroutine running it, locked
	// to its OS thread: goroutineToken) are for stop-the-world; only the
	// thread itself writes them, without the store's world lock when no
	// stop is pending (threads.go, enterRunning).
	state atomic.Uint32
	owner atomic.Uintptr
	// buf is the thread's allocation buffer, bumped without the heap's
	// lock through the record's alloc cursor and limit words; nil until
	// the env first allocates (UseAllocBuffer). Both tiers allocate
	// through it, so objects land at the same addresses on either.
	buf *gc.Buffer
	// EngineState is the engine's own state for this env (the AOT
	// loader's native state), for it to find without a lookup per call.
	EngineState any
	outerSig    outermostSig // the last function CallAppend's outermost path checked (callfast.go)
}

// AllocStruct allocates a zeroed struct of type d for this thread.
func (e *ExecEnv) AllocStruct(d *TypeDef) (Ref, error) {
	if err := e.UseAllocBuffer(); err != nil {
		return 0, err
	}
	if err := e.Store.Heap.define(d); err != nil {
		return 0, err
	}
	return e.Store.Heap.GC.AllocStructIn(e.buf, uint32(d.ID))
}

// AllocArray allocates a zeroed array of type d with n elements for this
// thread.
func (e *ExecEnv) AllocArray(d *TypeDef, n uint32) (Ref, error) {
	if err := e.UseAllocBuffer(); err != nil {
		return 0, err
	}
	if err := e.Store.Heap.define(d); err != nil {
		return 0, err
	}
	return e.Store.Heap.GC.AllocArrayIn(e.buf, uint32(d.ID), n)
}

func newExecEnv(s *Store, slots, frames int) (*ExecEnv, error) {
	slotMem, err := mem.Alloc(uint64(slots) * 8)
	if err != nil {
		return nil, err
	}
	recMem, err := mem.Alloc(EnvWords * 8)
	if err != nil {
		slotMem.Close()
		return nil, err
	}
	e := &ExecEnv{Store: s, Slots: slotMem.Words()[:slots], Record: recMem.Words(), Frames: make([]Frame, frames),
		slotMem: slotMem, recMem: recMem}
	e.Interrupt = InterruptWord{&e.Record[EnvInterrupt], &e.Record[EnvStackGuard]}
	r := e.Record
	r[EnvABIVersion] = ABIVersion
	r[EnvHeapBase] = uint64(s.Heap.GC.Base())
	r[EnvFrameLimit] = uint64(frames)
	r[EnvSlotsBase] = uint64(slotMem.Base())
	r[EnvSlotsLimit] = uint64(slotMem.Base()) + uint64(slots)*8
	return e, nil
}

// enter records in the exec env record what a call into inst needs.
func (e *ExecEnv) enter(inst *Instance) {
	r := e.Record
	if inst != nil && len(inst.Mems) > 0 && inst.Mems[0].Linear != nil {
		r[EnvMemoryBase] = uint64(inst.Mems[0].Linear.Base())
		r[EnvMemorySize] = uint64(len(inst.Mems[0].Bytes()))
	}
}

// EnvCloser is implemented by engines that keep state per exec env: the
// store calls CloseEnv before it frees an env's stacks and record.
type EnvCloser interface{ CloseEnv(env *ExecEnv) }

func (e *ExecEnv) close() {
	if c, ok := e.Store.engine.(EnvCloser); ok {
		c.CloseEnv(e)
	}
	if e.buf != nil { // its words are in the record, unmapped below
		e.Store.Heap.GC.DetachBuffer(e.buf)
	}
	e.Slots, e.Record = nil, nil
	e.slotMem.Close()
	e.recMem.Close()
}

// Top returns the first free slot.
func (e *ExecEnv) Top() uint32 {
	if e.Depth == 0 {
		return 0
	}
	return e.Frames[e.Depth-1].Top
}

// ActiveFrames returns the active frames, outermost first.
func (e *ExecEnv) ActiveFrames() []Frame { return e.Frames[:e.Depth] }

// Backtrace describes the active frames, innermost first.
func (e *ExecEnv) Backtrace() []TraceFrame {
	var bt []TraceFrame
	for i := e.Depth - 1; i >= 0; i-- {
		fr := &e.Frames[i]
		if fr.Func == nil {
			continue
		}
		bt = append(bt, fr.Func.traceFrame(fr.Offset))
	}
	return bt
}

func (f *Func) traceFrame(off uint32) TraceFrame {
	tf := TraceFrame{Func: f.Index, Name: f.Name, Offset: off, Host: f.Host != nil}
	if f.Inst != nil {
		tf.Module = f.Inst.Name
	}
	return tf
}

// roots visits the references held by the env's frames.
func (e *ExecEnv) roots(eng Engine, visit gc.RootVisitor) {
	var refs []uint32
	for i := 0; i < e.Depth; i++ {
		depth := uint32(e.Depth - 1 - i)
		fr := &e.Frames[i]
		if fr.Func == nil || fr.Func.Def == nil {
			continue
		}
		refs = eng.AppendStackMap(refs[:0], fr.Func, fr.Offset)
		for _, s := range refs {
			if idx := uint64(fr.Base) + uint64(s); idx < uint64(len(e.Slots)) {
				visit(Ref(e.Slots[idx]), gc.RootPlace{Kind: gc.RootFrame, Thread: e.ID, Index: depth, Slot: s})
			}
		}
	}
	if e.Pending != 0 {
		visit(e.Pending, gc.RootPlace{Kind: gc.RootException, Thread: e.ID})
	}
}
