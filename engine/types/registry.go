package types

import (
	"sync"

	"github.com/gcscope/gcscope/engine/wasm"
)

// TypeID is a canonical type's identity in a Registry. Two module types
// have the same TypeID exactly when they are equal under iso-recursive
// type equivalence.
type TypeID uint32

// Type is the record of one canonical type. It never changes once interned,
// so callers may keep the pointer and read it without locking.
type Type struct {
	ID TypeID
	// Group is the id of the first type of the rec group this type belongs
	// to, and GroupLen the group's size; Index is the position within it.
	Group    TypeID
	GroupLen uint32
	Index    uint32
	Final    bool
	// HasSuper says whether the type declares a supertype, Super.
	HasSuper bool
	Super    TypeID
	// Depth is the number of declared supertypes above the type.
	Depth uint32
	// Display lists the ancestors by depth: Display[d] is the ancestor at
	// depth d and Display[Depth] is the type itself.
	Display []TypeID
	// Comp is the composite type with concrete heap types as TypeIDs.
	Comp wasm.CompositeType
}

// Kind is the composite kind (func, struct or array).
func (t *Type) Kind() wasm.CompKind { return t.Comp.Kind }

// SubtypeOf reports whether t is u or declares it as an ancestor. It reads
// only the two immutable records, so a runtime cast that holds them needs
// no lock: one bounds check and one comparison.
func (t *Type) SubtypeOf(u *Type) bool {
	return u.Depth < uint32(len(t.Display)) && t.Display[u.Depth] == u.ID
}

// Registry interns recursion groups and answers subtyping queries over
// canonical types. The zero value is an empty registry, as is the result
// of NewRegistry. It is safe for concurrent use. Interned types are never
// removed: a registry lives as long as the store that owns it, and ids
// stay valid for all that time.
type Registry struct {
	mu     sync.RWMutex
	types  []*Type
	groups map[string]TypeID // group key -> id of its first type
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry {
	return &Registry{groups: make(map[string]TypeID)}
}

// Len returns the number of canonical types interned so far.
func (r *Registry) Len() int {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return len(r.types)
}

// Type returns the record of a canonical type, or nil if id is unknown.
func (r *Registry) Type(id TypeID) *Type {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.get(id)
}

// get is Type without locking, for use under the registry's lock.
func (r *Registry) get(id TypeID) *Type {
	if int64(id) < int64(len(r.types)) {
		return r.types[id]
	}
	return nil
}

// Comp returns the canonical composite type of id (concrete heap types in
// it are TypeIDs), or nil if id is unknown. It is shared: do not modify it.
func (r *Registry) Comp(id TypeID) *wasm.CompositeType {
	if t := r.Type(id); t != nil {
		return &t.Comp
	}
	return nil
}

// Super returns the declared supertype of id, and false if it has none.
func (r *Registry) Super(id TypeID) (TypeID, bool) {
	if t := r.Type(id); t != nil && t.HasSuper {
		return t.Super, true
	}
	return 0, false
}

// Final reports whether id is final (cannot be subtyped).
func (r *Registry) Final(id TypeID) bool {
	t := r.Type(id)
	return t != nil && t.Final
}

// Depth returns the number of declared supertypes above id.
func (r *Registry) Depth(id TypeID) uint32 {
	if t := r.Type(id); t != nil {
		return t.Depth
	}
	return 0
}

// Display returns id's supertype display: its ancestors by depth, ending
// with id itself. The slice must not be modified.
func (r *Registry) Display(id TypeID) []TypeID {
	if t := r.Type(id); t != nil {
		return t.Display
	}
	return nil
}

// IsSubtype reports whether canonical type a is a subtype of (or equal to)
// canonical type b, following declared supertypes. It costs one lookup and
// one comparison thanks to the display.
func (r *Registry) IsSubtype(a, b TypeID) bool {
	if a == b {
		return true
	}
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.isSubtype(a, b)
}

func (r *Registry) isSubtype(a, b TypeID) bool {
	if a == b {
		return true
	}
	ta, tb := r.get(a), r.get(b)
	if ta == nil || tb == nil {
		return false
	}
	return tb.Depth < uint32(len(ta.Display)) && ta.Display[tb.Depth] == b
}
