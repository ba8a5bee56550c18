package runtime

import (
	"github.com/gcscope/gcscope/engine/wasm"
)

// Instance is an instantiated module, or a host module built in Go (then
// Module is nil). Index spaces follow the module: imports first.
type Instance struct {
	Store  *Store
	Module *wasm.Module
	// Name is the name the instance was registered or created under, used
	// in backtraces.
	Name    string
	Types   []TypeID // module type index → canonical id
	Funcs   []*Func
	Tables  []*Table
	Mems    []*Memory
	Globals []*Global
	Tags    []*Tag
	// Elems are the element segments' references; a dropped segment is nil.
	Elems [][]Ref
	// Datas are the data segments' bytes; a dropped segment is nil.
	Datas   [][]byte
	exports map[string]Extern
	order   []string
	// EngineData is the engine's per-instance state.
	EngineData any
}

// Export returns the export called name, or nil.
func (inst *Instance) Export(name string) Extern { return inst.exports[name] }

// ExportedFunc returns the exported function called name, or nil.
func (inst *Instance) ExportedFunc(name string) *Func {
	f, _ := inst.exports[name].(*Func)
	return f
}

// ExportNames lists the export names in order.
func (inst *Instance) ExportNames() []string { return inst.order }

func (inst *Instance) export(name string, e Extern) {
	if _, ok := inst.exports[name]; !ok {
		inst.order = append(inst.order, name)
	}
	inst.exports[name] = e
}

// TypeDef returns the canonical record of module type index i, or nil.
func (inst *Instance) TypeDef(i uint32) *TypeDef {
	if int(i) >= len(inst.Types) {
		return nil
	}
	return inst.Store.Types.Def(inst.Types[i])
}

// NewHostInstance creates an empty host module; add exports with
// DefineFunc, DefineGlobal, DefineTable, DefineMemory and DefineTag, then
// Register it.
func (s *Store) NewHostInstance(name string) *Instance {
	inst := &Instance{Store: s, Name: name, exports: map[string]Extern{}}
	s.instances = append(s.instances, inst)
	return inst
}

// canonFuncType canonicalizes a standalone function type; host signatures
// use abstract heap types only.
func (s *Store) canonFuncType(ft wasm.CompositeType) (*TypeDef, error) {
	ft.Kind = wasm.CompFunc
	m := &wasm.Module{Types: []wasm.SubType{{Final: true, Comp: ft}}}
	ids, err := s.Types.DefineModule(m)
	if err != nil {
		return nil, err
	}
	return s.Types.Def(ids[0]), nil
}

// DefineFunc adds a host function export with signature ft.
func (inst *Instance) DefineFunc(name string, ft wasm.CompositeType, fn HostFunc) (*Func, error) {
	d, err := inst.Store.canonFuncType(ft)
	if err != nil {
		return nil, err
	}
	f := &Func{Type: d, Inst: inst, Index: uint32(len(inst.Funcs)), Host: fn, Name: name}
	if err := inst.Store.addFunc(f); err != nil {
		return nil, err
	}
	inst.Funcs = append(inst.Funcs, f)
	inst.export(name, f)
	return f, nil
}

// DefineGlobal adds a global export (abstract reference types only).
func (inst *Instance) DefineGlobal(name string, t wasm.GlobalType, v Value) *Global {
	g := &Global{Type: t, Bits: v.Bits, Hi: v.Hi}
	inst.Globals = append(inst.Globals, g)
	inst.export(name, g)
	return g
}

// DefineTable adds a table export filled with null.
func (inst *Instance) DefineTable(name string, t wasm.TableType) *Table {
	tb := NewTable(t, 0)
	inst.Tables = append(inst.Tables, tb)
	inst.export(name, tb)
	return tb
}

// DefineMemory adds a memory export.
func (inst *Instance) DefineMemory(name string, t wasm.MemoryType) (*Memory, error) {
	m, err := NewMemory(t)
	if err != nil {
		return nil, err
	}
	inst.Mems = append(inst.Mems, m)
	inst.export(name, m)
	return m, nil
}

// DefineTag adds a tag export whose payload is params.
func (inst *Instance) DefineTag(name string, params []wasm.ValType) (*Tag, error) {
	d, err := inst.Store.canonFuncType(wasm.CompositeType{Params: params})
	if err != nil {
		return nil, err
	}
	tg := inst.Store.addTag(d)
	inst.Tags = append(inst.Tags, tg)
	inst.export(name, tg)
	return tg, nil
}
