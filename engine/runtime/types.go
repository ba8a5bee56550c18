package runtime

import (
	"sync"

	"github.com/gcscope/gcscope/engine/types"
	"github.com/gcscope/gcscope/engine/wasm"
)

// TypeID is a canonical type id (engine/types): two iso-recursively equal
// types from different modules of a store get the same id. In canonical
// value types, a concrete heap type is a TypeID.
type TypeID = types.TypeID

// TypeDef is the runtime's record of a canonical type: the registry's
// record plus what execution needs at hand.
type TypeDef struct {
	ID    TypeID
	Final bool
	// Display lists the type's ancestors by depth, ending with the type
	// itself, so a subtype test is one index and one compare.
	Display []TypeID
	// Comp is the composite type with every concrete heap type a TypeID.
	Comp wasm.CompositeType
}

// Depth is the length of the supertype chain above the type.
func (d *TypeDef) Depth() int { return len(d.Display) - 1 }

// Types is the store's view of its engine/types registry.
type Types struct {
	// Registry is the store's canonical type registry.
	Registry *types.Registry
	mu       sync.Mutex
	defs     []*TypeDef
}

func newTypes() *Types { return &Types{Registry: types.NewRegistry()} }

// Def returns the record of a canonical id, or nil.
func (r *Types) Def(id TypeID) *TypeDef {
	r.mu.Lock()
	defer r.mu.Unlock()
	if int(id) < len(r.defs) && r.defs[id] != nil {
		return r.defs[id]
	}
	t := r.Registry.Type(id)
	if t == nil {
		return nil
	}
	for int(id) >= len(r.defs) {
		r.defs = append(r.defs, nil)
	}
	d := &TypeDef{ID: id, Final: t.Final, Display: t.Display, Comp: t.Comp}
	r.defs[id] = d
	return d
}

// DefineModule canonicalizes the module's types and returns the canonical
// id of each module type index.
func (r *Types) DefineModule(m *wasm.Module) ([]TypeID, error) {
	return r.Registry.Intern(m)
}

// IsSubID reports whether canonical type a is b or a declared descendant.
func (r *Types) IsSubID(a, b TypeID) bool { return a == b || r.Registry.IsSubtype(a, b) }

// HeapSub reports whether heap type a is a subtype of b (both canonical).
func (r *Types) HeapSub(a, b wasm.HeapType) bool { return r.Registry.HeapSubtype(a, b) }

// ValSub reports whether value type a matches b (canonical types).
func (r *Types) ValSub(a, b wasm.ValType) bool { return r.Registry.ValSubtype(a, b) }

// Canon rewrites a module-local value type to its canonical form.
func Canon(t wasm.ValType, ids []TypeID) wasm.ValType {
	if t.Kind == wasm.KindRef && t.Heap >= 0 && int(t.Heap) < len(ids) {
		t.Heap = wasm.HeapType(ids[t.Heap])
	}
	return t
}
