package types

import "github.com/gcscope/gcscope/engine/wasm"

// Intern canonicalizes m's type section and returns the canonical id of
// each of its type indices. It also checks the type section's validity
// rules (references only to earlier types or types of the same rec group,
// at most one supertype, which must be defined earlier, not be final and be
// matched structurally), so an invalid group is never interned; the error
// is a *wasm.Error of phase Invalid.
//
// Rec groups of m that are already known (from m itself or from another
// module) are not duplicated: they get the ids they had.
func (r *Registry) Intern(m *wasm.Module) ([]TypeID, error) {
	if m == nil {
		return nil, wasm.Errorf(wasm.Invalid, "unknown type: no module")
	}
	groups, err := recGroups(m)
	if err != nil {
		return nil, err
	}
	ids := make([]TypeID, len(m.Types))
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.groups == nil {
		r.groups = make(map[string]TypeID)
	}
	var key []byte
	for _, g := range groups {
		if err := checkGroupRefs(m, g); err != nil {
			return nil, err
		}
		key = groupKey(key[:0], m, g, ids)
		if first, ok := r.groups[string(key)]; ok {
			for k := uint32(0); k < g.Count; k++ {
				ids[g.First+k] = first + TypeID(k)
			}
			continue
		}
		if err := r.addGroup(m, g, ids, string(key)); err != nil {
			return nil, err
		}
	}
	return ids, nil
}

// addGroup creates the canonical records of a new group, checks the
// structural subtype rules against them, and commits them, or rolls back.
// It runs with the write lock held.
func (r *Registry) addGroup(m *wasm.Module, g wasm.RecGroup, ids []TypeID, key string) error {
	first := TypeID(len(r.types))
	if uint64(first)+uint64(g.Count) > uint64(^uint32(0)) {
		return invalidType(m, int64(g.First), "unknown type: too many types")
	}
	for k := uint32(0); k < g.Count; k++ {
		ids[g.First+k] = first + TypeID(k)
	}
	canonHeap := func(h wasm.HeapType) wasm.HeapType {
		if h < 0 {
			return h
		}
		return wasm.HeapType(ids[h])
	}
	for k := uint32(0); k < g.Count; k++ {
		st := &m.Types[g.First+k]
		t := &Type{ID: first + TypeID(k), Group: first, GroupLen: g.Count, Index: k, Final: st.Final}
		t.Comp = canonComp(&st.Comp, canonHeap)
		if len(st.Supers) == 1 {
			// checkGroupRefs made sure the supertype comes earlier, so its
			// record (in this group or before) already exists.
			t.HasSuper = true
			t.Super = ids[st.Supers[0]]
			sup := r.types[t.Super]
			t.Depth = sup.Depth + 1
			t.Display = make([]TypeID, 0, t.Depth+1)
			t.Display = append(t.Display, sup.Display...)
		}
		t.Display = append(t.Display, t.ID)
		r.types = append(r.types, t)
	}
	for k := uint32(0); k < g.Count; k++ {
		t := r.types[first+TypeID(k)]
		if !t.HasSuper {
			continue
		}
		sup := r.types[t.Super]
		msg := ""
		switch {
		case sup.Final:
			msg = "sub type: supertype %d of type %d is final"
		case !r.compSubtype(&t.Comp, &sup.Comp):
			msg = "sub type: type %d does not match its supertype %d"
		}
		if msg != "" {
			r.types = r.types[:first]
			ti := g.First + k
			s := m.Types[ti].Supers[0]
			if sup.Final {
				return invalidType(m, int64(ti), msg, s, ti)
			}
			return invalidType(m, int64(ti), msg, ti, s)
		}
	}
	r.groups[key] = first
	return nil
}

// canonComp copies a composite type with its heap types rewritten.
func canonComp(c *wasm.CompositeType, heap func(wasm.HeapType) wasm.HeapType) wasm.CompositeType {
	val := func(t wasm.ValType) wasm.ValType {
		if t.Kind == wasm.KindRef {
			t.Heap = heap(t.Heap)
		}
		return t
	}
	out := wasm.CompositeType{Kind: c.Kind}
	if len(c.Params) > 0 {
		out.Params = make([]wasm.ValType, len(c.Params))
		for i, t := range c.Params {
			out.Params[i] = val(t)
		}
	}
	if len(c.Results) > 0 {
		out.Results = make([]wasm.ValType, len(c.Results))
		for i, t := range c.Results {
			out.Results[i] = val(t)
		}
	}
	if len(c.Fields) > 0 {
		out.Fields = make([]wasm.FieldType, len(c.Fields))
		for i, f := range c.Fields {
			if f.Storage.Packed == wasm.NotPacked {
				f.Storage.Val = val(f.Storage.Val)
			} else {
				f.Storage.Val = wasm.I32
			}
			out.Fields[i] = f
		}
	}
	return out
}

// Canonical rewrites a module value type into its canonical form, given
// the ids Intern returned for the module. It reports false if the type
// names a type index the module does not have or an unknown abstract heap
// type.
func Canonical(ids []TypeID, t wasm.ValType) (wasm.ValType, bool) {
	if t.Kind != wasm.KindRef {
		return t, t.Kind >= wasm.KindI32 && t.Kind <= wasm.KindV128
	}
	h, ok := CanonicalHeap(ids, t.Heap)
	t.Heap = h
	return t, ok
}

// CanonicalHeap rewrites a module heap type into its canonical form (see
// Canonical).
func CanonicalHeap(ids []TypeID, h wasm.HeapType) (wasm.HeapType, bool) {
	if h < 0 {
		return h, knownAbstract(h)
	}
	if int64(h) >= int64(len(ids)) {
		return h, false
	}
	return wasm.HeapType(ids[h]), true
}
