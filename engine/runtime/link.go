package runtime

import (
	"fmt"

	"github.com/gcscope/gcscope/engine/wasm"
)

// Resolver finds the extern a module imports as module.name.
type Resolver interface {
	Resolve(module, name string) (Extern, bool)
}

// resolveImports finds and type-checks every import of m.
func (s *Store) resolveImports(inst *Instance, r Resolver) error {
	m := inst.Module
	for i := range m.Imports {
		imp := &m.Imports[i]
		e, ok := r.Resolve(imp.Module, imp.Name)
		if !ok || e == nil {
			return &LinkError{Module: imp.Module, Name: imp.Name, Msg: "unknown import"}
		}
		if detail := s.matchImport(inst, imp, e); detail != "" {
			return &LinkError{Module: imp.Module, Name: imp.Name, Msg: "incompatible import type", Detail: detail}
		}
		switch x := e.(type) {
		case *Func:
			inst.Funcs = append(inst.Funcs, x)
		case *Table:
			inst.Tables = append(inst.Tables, x)
		case *Memory:
			inst.Mems = append(inst.Mems, x)
		case *Global:
			inst.Globals = append(inst.Globals, x)
		case *Tag:
			inst.Tags = append(inst.Tags, x)
		}
	}
	return nil
}

// matchImport says why e cannot satisfy imp, or "" if it can. Types are
// compared by canonical id with subtyping; limits use the provided
// object's current size, as the spec's extern-type matching does.
func (s *Store) matchImport(inst *Instance, imp *wasm.Import, e Extern) string {
	if e.kind() != imp.Kind {
		return fmt.Sprintf("expected %s, got %s", imp.Kind, e.kind())
	}
	canon := func(t wasm.ValType) wasm.ValType { return Canon(t, inst.Types) }
	switch x := e.(type) {
	case *Func:
		if int(imp.TypeIndex) >= len(inst.Types) {
			return "unknown type"
		}
		if !s.Types.IsSubID(x.Type.ID, inst.Types[imp.TypeIndex]) {
			return "function type mismatch"
		}
	case *Tag:
		if int(imp.TypeIndex) >= len(inst.Types) || x.Type.ID != inst.Types[imp.TypeIndex] {
			return "tag type mismatch"
		}
	case *Global:
		want := canon(imp.Global.Val)
		if x.Type.Mutable != imp.Global.Mutable {
			return "mutability mismatch"
		}
		if !s.Types.ValSub(x.Type.Val, want) || (x.Type.Mutable && !s.Types.ValSub(want, x.Type.Val)) {
			return "global type mismatch"
		}
	case *Table:
		want := canon(imp.Table.Elem)
		if x.Type.Addr64 != imp.Table.Addr64 {
			return "address type mismatch"
		}
		if !s.Types.ValSub(x.Type.Elem, want) || !s.Types.ValSub(want, x.Type.Elem) {
			return "element type mismatch"
		}
		if !limitsMatch(x.Size(), x.Type.Limits, imp.Table.Limits) {
			return "limits mismatch"
		}
	case *Memory:
		if x.Type.Addr64 != imp.Memory.Addr64 || x.Type.Shared != imp.Memory.Shared {
			return "memory type mismatch"
		}
		if !limitsMatch(x.Size(), x.Type.Limits, imp.Memory.Limits) {
			return "limits mismatch"
		}
	}
	return ""
}

func limitsMatch(size uint64, have, want wasm.Limits) bool {
	if size < want.Min {
		return false
	}
	if want.HasMax {
		return have.HasMax && have.Max <= want.Max
	}
	return true
}
