package debugger

import (
	"fmt"

	"github.com/gcscope/gcscope/engine/interp"
	"github.com/gcscope/gcscope/engine/runtime"
	"github.com/gcscope/gcscope/engine/wasm"
)

// FrameInfo describes one frame of the stopped thread.
type FrameInfo struct {
	Index int // 0 is the innermost
	Place Place
	Args  []Var
}

// Var is a named value: a parameter, local, operand, global or the
// result of an expression.
type Var struct {
	Name  string
	Type  string // the declared (static) type, with names
	Value runtime.Value
	Text  string // the value as print shows it
	Param bool
}

// localVar is where a local lives in its frame.
type localVar struct {
	name string
	t    wasm.ValType // canonical
	slot uint32
}

// stoppedLocked checks that frames can be read.
func (s *Session) stoppedLocked() error {
	switch s.state {
	case StateRunning:
		return ErrRunning
	case StateExited:
		return ErrExited
	}
	if len(s.frames) == 0 {
		if !s.ended {
			return fmt.Errorf("no frames: thread %d is not running Wasm", threadID(s.sel))
		}
		return fmt.Errorf("no frames: the trap left none to inspect")
	}
	return nil
}

// frameLocked returns frame i (0 innermost) of the stopped thread.
func (s *Session) frameLocked(i int) (runtime.Frame, bool) {
	if i < 0 || i >= len(s.frames) {
		return runtime.Frame{}, false
	}
	return s.frames[len(s.frames)-1-i], true
}

func (s *Session) ctxLocked() *evalCtx {
	return &evalCtx{s: s, env: s.sel, frames: s.frames, cur: s.cur}
}

// localsOf lists a frame's parameters and declared locals.
func (s *Session) localsOf(fr runtime.Frame) (vars []localVar, nParams int) {
	f := fr.Func
	if f == nil || f.Inst != s.inst || f.Def == nil {
		if f != nil {
			for i, t := range f.Type.Comp.Params {
				vars = append(vars, localVar{name: fmt.Sprintf("$arg%d", i), t: t, slot: uint32(i)})
			}
			return vars, len(vars)
		}
		return nil, 0
	}
	m := s.module
	var params []wasm.ValType
	if int(f.Def.TypeIndex) < len(m.Types) {
		params = m.Types[f.Def.TypeIndex].Comp.Params
	}
	slot := uint32(0)
	for i, t := range append(append([]wasm.ValType(nil), params...), f.Def.Locals...) {
		vars = append(vars, localVar{name: s.names.localName(f.Index, uint32(i)), t: s.names.canon(t), slot: slot})
		slot += uint32(runtime.Slots(t))
	}
	return vars, len(params)
}

func (s *Session) varOf(c *evalCtx, name string, t wasm.ValType, v runtime.Value) Var {
	return Var{Name: name, Type: s.names.typeString(t), Value: v, Text: c.format(v, 1)}
}

func (s *Session) frameInfoLocked(c *evalCtx, i int) FrameInfo {
	fr, _ := s.frameLocked(i)
	fi := FrameInfo{Index: i, Place: s.placeOf(fr)}
	vars, n := s.localsOf(fr)
	for _, lv := range vars[:n] {
		v := readSlot(c.env, fr.Base+lv.slot, lv.t)
		fi.Args = append(fi.Args, Var{Name: lv.name, Type: s.names.typeString(lv.t), Value: v, Text: c.format(v, 0), Param: true})
	}
	return fi
}

func readSlot(env *runtime.ExecEnv, i uint32, t wasm.ValType) runtime.Value {
	if int(i) >= len(env.Slots) {
		return runtime.Value{Type: t}
	}
	v := runtime.Value{Type: t, Bits: env.Slots[i]}
	if t.Kind == wasm.KindV128 && int(i)+1 < len(env.Slots) {
		v.Hi = env.Slots[i+1]
	}
	return v
}

// Backtrace lists the stopped thread's frames, innermost first.
func (s *Session) Backtrace() ([]FrameInfo, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.stoppedLocked(); err != nil {
		return nil, err
	}
	c := s.ctxLocked()
	out := make([]FrameInfo, len(s.frames))
	for i := range out {
		out[i] = s.frameInfoLocked(c, i)
	}
	return out, nil
}

// CurrentFrame returns the selected frame.
func (s *Session) CurrentFrame() (FrameInfo, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.stoppedLocked(); err != nil {
		return FrameInfo{}, err
	}
	return s.frameInfoLocked(s.ctxLocked(), s.cur), nil
}

// SelectFrame selects frame i (0 innermost) for locals, print, finish.
func (s *Session) SelectFrame(i int) (FrameInfo, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.stoppedLocked(); err != nil {
		return FrameInfo{}, err
	}
	if i < 0 || i >= len(s.frames) {
		return FrameInfo{}, fmt.Errorf("no frame %d: frames are 0 (innermost) to %d", i, len(s.frames)-1)
	}
	s.cur = i
	return s.frameInfoLocked(s.ctxLocked(), i), nil
}

// MoveFrame selects the frame n frames up (outwards; negative: down).
func (s *Session) MoveFrame(n int) (FrameInfo, error) {
	s.mu.Lock()
	cur, depth := s.cur, len(s.frames)
	s.mu.Unlock()
	i := cur + n
	if depth > 0 && i >= depth {
		return FrameInfo{}, fmt.Errorf("initial frame selected; you cannot go up")
	}
	if i < 0 {
		return FrameInfo{}, fmt.Errorf("bottom (innermost) frame selected; you cannot go down")
	}
	return s.SelectFrame(i)
}

// Locals lists the selected frame's parameters and locals.
func (s *Session) Locals() ([]Var, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.stoppedLocked(); err != nil {
		return nil, err
	}
	c := s.ctxLocked()
	fr, _ := s.frameLocked(s.cur)
	vars, n := s.localsOf(fr)
	var out []Var
	for i, lv := range vars {
		v := readSlot(c.env, fr.Base+lv.slot, lv.t)
		x := s.varOf(c, lv.name, lv.t, v)
		x.Param = i < n
		out = append(out, x)
	}
	return out, nil
}

// Operands lists the selected frame's operand stack, bottom first.
func (s *Session) Operands() ([]Var, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.stoppedLocked(); err != nil {
		return nil, err
	}
	c := s.ctxLocked()
	fr, _ := s.frameLocked(s.cur)
	if fr.Func == nil || fr.Func.Def == nil {
		return nil, nil
	}
	shape, err := s.eng.Shape(fr.Func, fr.Offset)
	if err != nil {
		return nil, err
	}
	slot := operandBase(shape)
	var out []Var
	for i, t := range shape.Operands {
		st := operandView(t)
		v := readSlot(c.env, fr.Base+slot, st)
		x := Var{Name: fmt.Sprintf("[%d]", i), Type: st.String(), Value: v, Text: c.format(v, 0)}
		if st.IsRef() {
			x.Type = "ref"
		}
		out = append(out, x)
		slot += uint32(runtime.Slots(t))
	}
	return out, nil
}

// LastStop returns the last Stopped event, or nil.
func (s *Session) LastStop() *Stopped {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.last
}

// LocalNames lists the selected frame's local names, for completion.
func (s *Session) LocalNames() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	fr, ok := s.frameLocked(s.cur)
	if !ok || s.state != StateStopped {
		return nil
	}
	vars, _ := s.localsOf(fr)
	var out []string
	for _, v := range vars {
		out = append(out, v.name)
	}
	return out
}

// FuncNames lists the functions' names, for completion.
func (s *Session) FuncNames() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.names.funcNames()
}

// operandBase is the first operand's slot in a frame of this shape:
// after the locals' slots.
func operandBase(shape *interp.FrameShape) uint32 {
	slot := uint32(0)
	for _, t := range shape.Locals {
		slot += uint32(runtime.Slots(t))
	}
	return slot
}

// operandView is the type an operand of type t is read as. Operand types
// mix module and canonical indices: a reference reads as the any
// reference it is (its value shows what it points at).
func operandView(t wasm.ValType) wasm.ValType {
	if !t.IsRef() {
		return t
	}
	st := wasm.RefType(true, wasm.HeapAny)
	if t.Heap < 0 {
		st.Heap = t.Heap
	}
	return st
}
