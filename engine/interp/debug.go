package interp

import (
	"fmt"

	"github.com/gcscope/gcscope/engine/runtime"
	"github.com/gcscope/gcscope/engine/wasm"
)

// Breakpoints cost nothing when absent: setting one patches an opBreak
// over the compiled instruction (keeping the original aside), and the run
// loop calls ExecEnv.OnBreak when it reaches it. Stepping patches every
// instruction of every function that runs, until it is turned off.

// pcAt returns the first pc of cd at or after bytecode offset off.
func (cd *code) pcAt(off uint32) (uint32, bool) {
	for pc, o := range cd.offsets {
		if o >= off {
			return uint32(pc), true
		}
	}
	return 0, false
}

func (cd *code) patch(pc uint32) {
	if cd.orig == nil {
		cd.orig = map[uint32]instr{}
	}
	if _, ok := cd.orig[pc]; ok {
		return
	}
	cd.orig[pc] = cd.instrs[pc]
	cd.instrs[pc] = instr{op: opBreak}
}

func (cd *code) unpatch(pc uint32) {
	if in, ok := cd.orig[pc]; ok {
		cd.instrs[pc] = in
		delete(cd.orig, pc)
	}
}

// SetBreakpoint makes execution of f stop (call ExecEnv.OnBreak) at the
// instruction at offset, or the first one after it if instructions were
// fused there. It returns the offset the breakpoint is at.
func (e *Engine) SetBreakpoint(f *runtime.Func, offset uint32) (uint32, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	cd, err := codeOf(f)
	if err != nil {
		return 0, err
	}
	pc, ok := cd.pcAt(offset)
	if !ok {
		return 0, fmt.Errorf("func %d has no instruction at or after offset 0x%x", f.Index, offset)
	}
	cd.patch(pc)
	if cd.user == nil {
		cd.user = map[uint32]bool{}
	}
	cd.user[pc] = true
	return cd.offsets[pc], nil
}

// ClearBreakpoint removes a breakpoint SetBreakpoint set.
func (e *Engine) ClearBreakpoint(f *runtime.Func, offset uint32) {
	e.mu.Lock()
	defer e.mu.Unlock()
	cd, ok := f.Code.(*code)
	if !ok {
		return
	}
	if pc, ok := cd.pcAt(offset); ok {
		delete(cd.user, pc)
		if !cd.stepAll {
			cd.unpatch(pc)
		}
	}
}

// patchAll patches every instruction of cd for stepping.
func (e *Engine) patchAll(cd *code) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if cd.stepAll {
		return
	}
	for pc := range cd.instrs {
		cd.patch(uint32(pc))
	}
	cd.stepAll = true
	e.stepped = append(e.stepped, cd)
}

// SetStepping turns stepping on or off: while on, OnBreak runs before
// every instruction of the functions active in env and of every function
// entered. The debugger decides from the frames whether to stop (step,
// next, finish). Breakpoints survive stepping, including those set while
// it was on.
func (e *Engine) SetStepping(env *runtime.ExecEnv, on bool) {
	if on {
		e.stepping.Store(true)
		for _, fr := range env.ActiveFrames() {
			if cd, ok := fr.Func.Code.(*code); ok {
				e.patchAll(cd)
			}
		}
		return
	}
	e.stepping.Store(false)
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, cd := range e.stepped {
		for pc := range cd.orig {
			if !cd.user[pc] {
				cd.unpatch(pc)
			}
		}
		cd.stepAll = false
	}
	e.stepped = nil
}

// FrameShape says what a frame's slots hold at one instruction.
type FrameShape struct {
	// Locals are the types of slots 0.. : parameters, declared locals,
	// then one hidden exnref per legacy try.
	Locals []wasm.ValType
	// LocalSlots are the locals' first slots (a v128 takes two).
	LocalSlots []uint32
	// Params is how many of Locals are parameters.
	Params int
	// Operands are the operand stack's types, bottom first; they follow
	// the locals' slots, one slot each (two for a v128).
	Operands []wasm.ValType
	// BlockBase is how many operands lie below the innermost open block
	// (the function's body is the outermost block): the operands of the
	// blocks around it.
	BlockBase int
	// SetFrom is the first operand the code reads back from its slot when
	// the frame resumes: an operand written below it changes the slot but
	// not the value the code goes on with. The interpreter keeps every
	// operand in its slot (0); AOT debug builds read back the innermost
	// block's operands (BlockBase) or, in functions whose operands are
	// stored as they are pushed, none (len(Operands)).
	SetFrom int
}

// Shape describes f's frame at the instruction at offset, for the
// debugger's locals and stack views. Values are read from the frame's
// slots: ExecEnv.Slots[Frame.Base+i].
func (e *Engine) Shape(f *runtime.Func, offset uint32) (*FrameShape, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	cd, err := codeOf(f)
	if err != nil {
		return nil, err
	}
	if cd.shapes == nil {
		full, err := compileAllMaps(f)
		if err != nil {
			return nil, err
		}
		cd.shapes = full.shapes
	}
	sh, ok := cd.shapes[offset]
	if !ok {
		return nil, fmt.Errorf("func %d has no instruction at offset 0x%x", f.Index, offset)
	}
	return cd.frameShape(f, sh), nil
}

// frameShape is the interpreter's shape of f's frame for the operand
// stack sh: every operand lives in its slot, so any can be set.
func (cd *code) frameShape(f *runtime.Func, sh opShape) *FrameShape {
	return &FrameShape{Locals: cd.locals, LocalSlots: cd.localSlots, Params: len(f.Type.Comp.Params),
		Operands: sh.types, BlockBase: sh.blockBase}
}
