package runtime

import (
	"errors"
	"fmt"

	"github.com/gcscope/gcscope/engine/wasm"
)

// Instantiate links m against r (nil: the store's registered instances),
// allocates its functions, tables, memories, globals and tags, applies its
// active segments and runs its start function. Link failures come back as
// *LinkError, traps while applying segments or in the start function as
// *Trap (the effects of segments applied before the trap remain, as the
// spec says). The module must have been validated.
//
// Other threads of the store may be running meanwhile: instantiations
// are serialized, linking and allocation run with the world stopped (the
// store's types, instance list, function table and the heap's main
// buffer are not shared with running threads), and the start function,
// if the caller is not one of the store's threads while others exist,
// runs on a thread of its own (the main env may be busy).
func (s *Store) Instantiate(m *wasm.Module, r Resolver) (*Instance, error) {
	if m == nil {
		return nil, errors.New("instantiate: nil module")
	}
	if s.env.Slots == nil {
		return nil, errors.New("instantiate: the store is closed")
	}
	s.instMu.Lock()
	defer s.instMu.Unlock()
	s.StopTheWorld()
	inst, err := s.link(m, r)
	s.StartTheWorld()
	if err != nil || m.Start == nil {
		return inst, err
	}
	f := inst.funcAt(*m.Start)
	if f == nil {
		return nil, fmt.Errorf("instantiate: unknown start function %d", *m.Start)
	}
	env, temp := s.startEnv()
	if temp {
		var err error
		if env, err = s.NewThread(); err != nil {
			return nil, err
		}
		defer env.Exit()
	}
	if _, err := env.Call(f, nil); err != nil {
		return nil, err
	}
	return inst, nil
}

// startEnv returns the env to run a start function on: the calling
// thread's, the main env when it is idle, or (temp) none: the caller is
// not a thread of the store and the main env is busy (its call runs on
// another goroutine), so it needs a thread of its own.
func (s *Store) startEnv() (env *ExecEnv, temp bool) {
	w := &s.world
	w.mu.Lock()
	defer w.mu.Unlock()
	if e := w.current(); e != nil {
		return e, false
	}
	// Outside Wasm, its Depth is not changing (it changes only while it
	// runs; the state word's atomic store on leaving orders its last
	// Depth write before this read).
	if s.env.getState() == envOutside && s.env.Depth == 0 {
		return s.env, false
	}
	return nil, true
}

// link is Instantiate up to the start function.
func (s *Store) link(m *wasm.Module, r Resolver) (inst *Instance, err error) {
	defer func() {
		if p := recover(); p != nil {
			inst, err = nil, fmt.Errorf("internal error: instantiate: %v", p)
		}
	}()
	if m == nil {
		return nil, errors.New("instantiate: nil module")
	}
	if r == nil {
		r = s
	}
	inst = &Instance{Store: s, Module: m, exports: map[string]Extern{}}
	if m.Names != nil {
		inst.Name = m.Names.Module
	}
	if inst.Types, err = s.Types.DefineModule(m); err != nil {
		return nil, err
	}
	if err := s.resolveImports(inst, r); err != nil {
		return nil, err
	}
	if s.engine == nil {
		return nil, errors.New("instantiate: no execution engine (import engine/interp)")
	}
	if err := s.engine.Check(inst); err != nil {
		return nil, err
	}
	s.instances = append(s.instances, inst)
	if err := s.allocate(inst); err != nil {
		return nil, err
	}
	if err := s.initSegments(inst); err != nil {
		return nil, err
	}
	for i := range m.Exports {
		if e := inst.extern(m.Exports[i].Kind, m.Exports[i].Index); e != nil {
			inst.export(m.Exports[i].Name, e)
		}
	}
	if err := s.applySegments(inst); err != nil {
		return nil, err
	}
	if p, ok := s.engine.(ThreadPreparer); ok && len(s.Threads()) > 1 {
		// Threads run: the new code must not compile lazily under them.
		if err := p.PrepareThreads(s); err != nil {
			return nil, err
		}
	}
	return inst, nil
}

func (inst *Instance) funcAt(i uint32) *Func {
	if int(i) < len(inst.Funcs) {
		return inst.Funcs[i]
	}
	return nil
}

// extern returns the item of kind k at index i, or nil.
func (inst *Instance) extern(k wasm.ExternKind, i uint32) Extern {
	n := int(i)
	switch k {
	case wasm.ExternFunc:
		if n < len(inst.Funcs) {
			return inst.Funcs[n]
		}
	case wasm.ExternTable:
		if n < len(inst.Tables) {
			return inst.Tables[n]
		}
	case wasm.ExternMemory:
		if n < len(inst.Mems) {
			return inst.Mems[n]
		}
	case wasm.ExternGlobal:
		if n < len(inst.Globals) {
			return inst.Globals[n]
		}
	case wasm.ExternTag:
		if n < len(inst.Tags) {
			return inst.Tags[n]
		}
	}
	return nil
}

// allocate creates the module's own functions, tags, globals, memories and
// tables, in the order later ones may refer to earlier ones.
func (s *Store) allocate(inst *Instance) error {
	m := inst.Module
	nImp := uint32(len(inst.Funcs))
	for i := range m.Funcs {
		d := inst.TypeDef(m.Funcs[i].TypeIndex)
		if d == nil || d.Comp.Kind != wasm.CompFunc {
			return fmt.Errorf("func %d: bad type %d", nImp+uint32(i), m.Funcs[i].TypeIndex)
		}
		idx := nImp + uint32(i)
		f := &Func{Type: d, Inst: inst, Index: idx, Def: &m.Funcs[i], Name: m.FuncName(idx)}
		if err := s.addFunc(f); err != nil {
			return err
		}
		inst.Funcs = append(inst.Funcs, f)
	}
	for i := range m.Tags {
		d := inst.TypeDef(m.Tags[i].Type.TypeIndex)
		if d == nil {
			return fmt.Errorf("tag %d: bad type", i)
		}
		inst.Tags = append(inst.Tags, s.addTag(d))
	}
	for i := range m.Globals {
		g := &m.Globals[i]
		v, err := s.evalConst(inst, g.Init, g.Type.Val)
		if err != nil {
			return fmt.Errorf("global %d: %w", len(inst.Globals), err)
		}
		inst.Globals = append(inst.Globals, &Global{
			Type: wasm.GlobalType{Val: Canon(g.Type.Val, inst.Types), Mutable: g.Type.Mutable},
			Bits: v.Bits,
			Hi:   v.Hi,
		})
	}
	for i := range m.Memories {
		mem, err := NewMemory(m.Memories[i].Type)
		if err != nil {
			return err
		}
		inst.Mems = append(inst.Mems, mem)
	}
	for i := range m.Tables {
		t := &m.Tables[i]
		tt := t.Type
		tt.Elem = Canon(tt.Elem, inst.Types)
		var init Ref
		if t.Init != nil {
			v, err := s.evalConst(inst, t.Init, t.Type.Elem)
			if err != nil {
				return fmt.Errorf("table %d: %w", len(inst.Tables), err)
			}
			init = Ref(v.Bits)
		}
		inst.Tables = append(inst.Tables, NewTable(tt, init))
	}
	return nil
}

// initSegments evaluates every element segment's items and keeps every
// data segment's bytes, for the table.init, array.new_elem and similar
// instructions (and for applying the active ones).
func (s *Store) initSegments(inst *Instance) error {
	m := inst.Module
	inst.Elems = make([][]Ref, len(m.Elems))
	for i := range m.Elems {
		seg := &m.Elems[i]
		refs := make([]Ref, 0, len(seg.Init))
		inst.Elems[i] = refs // rooted while the rest evaluate
		for _, e := range seg.Init {
			v, err := s.evalConst(inst, e, seg.Type)
			if err != nil {
				return fmt.Errorf("elem %d: %w", i, err)
			}
			refs = append(refs, Ref(v.Bits))
			inst.Elems[i] = refs
		}
	}
	inst.Datas = make([][]byte, len(m.Datas))
	for i := range m.Datas {
		inst.Datas[i] = m.Datas[i].Init
		if inst.Datas[i] == nil {
			inst.Datas[i] = []byte{}
		}
	}
	return nil
}

// applySegments copies active segments into their tables and memories, in
// order, and drops active and declarative segments.
func (s *Store) applySegments(inst *Instance) error {
	m := inst.Module
	for i := range m.Elems {
		seg := &m.Elems[i]
		switch seg.Mode {
		case wasm.SegmentDeclarative:
			inst.Elems[i] = nil
		case wasm.SegmentActive:
			if int(seg.Table) >= len(inst.Tables) {
				return fmt.Errorf("elem %d: unknown table %d", i, seg.Table)
			}
			tb := inst.Tables[seg.Table]
			off, err := s.evalConst(inst, seg.Offset, tb.Type.AddrType())
			if err != nil {
				return fmt.Errorf("elem %d: %w", i, err)
			}
			o := addrOf(off, tb.Type.Addr64)
			items := inst.Elems[i]
			if o > tb.Size() || uint64(len(items)) > tb.Size()-o {
				return &Trap{Msg: "out of bounds table access"}
			}
			copy(tb.Elems[o:], items)
			inst.Elems[i] = nil
		}
	}
	for i := range m.Datas {
		seg := &m.Datas[i]
		if seg.Mode != wasm.SegmentActive {
			continue
		}
		if int(seg.Memory) >= len(inst.Mems) {
			return fmt.Errorf("data %d: unknown memory %d", i, seg.Memory)
		}
		mem := inst.Mems[seg.Memory]
		off, err := s.evalConst(inst, seg.Offset, mem.Type.AddrType())
		if err != nil {
			return fmt.Errorf("data %d: %w", i, err)
		}
		o := addrOf(off, mem.Type.Addr64)
		data := mem.Bytes() // an imported shared memory may have grown
		if o > uint64(len(data)) || uint64(len(seg.Init)) > uint64(len(data))-o {
			return &Trap{Msg: "out of bounds memory access"}
		}
		copy(data[o:], seg.Init)
		inst.Datas[i] = nil
	}
	return nil
}

func addrOf(v Value, addr64 bool) uint64 {
	if addr64 {
		return v.Bits
	}
	return uint64(uint32(v.Bits))
}
