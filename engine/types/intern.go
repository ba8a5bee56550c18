package types

import (
	"encoding/binary"
	"fmt"

	"github.com/gcscope/gcscope/engine/wasm"
)

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
	groups, err := recGroups(m)
	if err != nil {
		return nil, err
	}
	ids := make([]TypeID, len(m.Types))
	r.mu.Lock()
	defer r.mu.Unlock()
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

// recGroups returns the module's rec groups, checking that they tile the
// type section in order. A module that lists no groups at all is read as
// one group per type, the form types written outside `rec` take.
func recGroups(m *wasm.Module) ([]wasm.RecGroup, error) {
	if len(m.RecGroups) == 0 {
		gs := make([]wasm.RecGroup, len(m.Types))
		for i := range gs {
			gs[i] = wasm.RecGroup{First: uint32(i), Count: 1}
		}
		return gs, nil
	}
	next := uint64(0)
	for _, g := range m.RecGroups {
		if uint64(g.First) != next {
			return nil, invalidType(m, int64(next), "unknown type: rec groups do not cover the type section")
		}
		next += uint64(g.Count)
	}
	if next != uint64(len(m.Types)) {
		return nil, invalidType(m, -1, "unknown type: rec groups cover %d types, the section has %d", next, len(m.Types))
	}
	return m.RecGroups, nil
}

func invalidType(m *wasm.Module, ti int64, format string, args ...any) *wasm.Error {
	e := wasm.Errorf(wasm.Invalid, format, args...)
	if ti >= 0 && ti < int64(len(m.Types)) {
		e.Pos = m.Types[ti].Pos
		e.Msg += fmt.Sprintf(" (type %d)", ti)
	}
	return e
}

// checkGroupRefs checks that every type index in the group refers to an
// earlier group or into the group itself, and the supertype rules that do
// not need structure.
func checkGroupRefs(m *wasm.Module, g wasm.RecGroup) error {
	end := uint64(g.First) + uint64(g.Count)
	for ti := uint64(g.First); ti < end; ti++ {
		st := &m.Types[ti]
		var bad wasm.HeapType
		found := false
		forEachHeap(&st.Comp, func(h wasm.HeapType) {
			if !found && ((h >= 0 && uint64(h) >= end) || (h < 0 && !knownAbstract(h))) {
				bad, found = h, true
			}
		})
		if found {
			if bad < 0 {
				return invalidType(m, int64(ti), "unknown type: heap type code %d", int64(bad))
			}
			return invalidType(m, int64(ti), "unknown type %d", int64(bad))
		}
		if err := checkShape(&st.Comp); err != "" {
			return invalidType(m, int64(ti), "%s", err)
		}
		if len(st.Supers) > 1 {
			return invalidType(m, int64(ti), "sub type: multiple supertypes")
		}
		for _, s := range st.Supers {
			if uint64(s) >= end {
				return invalidType(m, int64(ti), "unknown type %d", s)
			}
			if uint64(s) >= ti {
				return invalidType(m, int64(ti), "sub type: supertype %d must be defined before type %d", s, ti)
			}
		}
	}
	return nil
}

// knownAbstract reports whether h is one of the abstract heap types a
// module may name.
func knownAbstract(h wasm.HeapType) bool {
	return h >= wasm.HeapExn && h <= wasm.HeapNoExn
}

// forEachHeap calls f with every heap type a composite type mentions.
func forEachHeap(c *wasm.CompositeType, f func(wasm.HeapType)) {
	for _, t := range c.Params {
		if t.Kind == wasm.KindRef {
			f(t.Heap)
		}
	}
	for _, t := range c.Results {
		if t.Kind == wasm.KindRef {
			f(t.Heap)
		}
	}
	for _, fl := range c.Fields {
		if fl.Storage.Packed == wasm.NotPacked && fl.Storage.Val.Kind == wasm.KindRef {
			f(fl.Storage.Val.Heap)
		}
	}
}

// groupKey encodes a group so that two groups get the same key exactly when
// they are iso-recursively equal: references into the group are written as
// their position in it, references outside as canonical ids (which the
// earlier groups' ids already fix).
func groupKey(key []byte, m *wasm.Module, g wasm.RecGroup, ids []TypeID) []byte {
	key = binary.AppendUvarint(key, uint64(g.Count))
	ref := func(h wasm.HeapType) {
		switch {
		case h < 0:
			key = append(key, 'a')
			key = binary.AppendVarint(key, int64(h))
		case uint32(h) >= g.First:
			key = append(key, 'r')
			key = binary.AppendUvarint(key, uint64(uint32(h)-g.First))
		default:
			key = append(key, 'c')
			key = binary.AppendUvarint(key, uint64(ids[h]))
		}
	}
	val := func(t wasm.ValType) {
		key = append(key, byte(t.Kind))
		if t.Kind == wasm.KindRef {
			if t.Nullable {
				key = append(key, 1)
			} else {
				key = append(key, 0)
			}
			ref(t.Heap)
		}
	}
	for ti := g.First; ti < g.First+g.Count; ti++ {
		st := &m.Types[ti]
		if st.Final {
			key = append(key, 'F')
		} else {
			key = append(key, 'O')
		}
		key = binary.AppendUvarint(key, uint64(len(st.Supers)))
		for _, s := range st.Supers {
			ref(wasm.HeapType(s))
		}
		c := &st.Comp
		key = append(key, byte(c.Kind))
		key = binary.AppendUvarint(key, uint64(len(c.Params)))
		for _, t := range c.Params {
			val(t)
		}
		key = binary.AppendUvarint(key, uint64(len(c.Results)))
		for _, t := range c.Results {
			val(t)
		}
		key = binary.AppendUvarint(key, uint64(len(c.Fields)))
		for _, fl := range c.Fields {
			key = append(key, byte(fl.Storage.Packed))
			if fl.Mutable {
				key = append(key, 1)
			} else {
				key = append(key, 0)
			}
			if fl.Storage.Packed == wasm.NotPacked {
				val(fl.Storage.Val)
			}
		}
	}
	return key
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

// checkShape rejects composite types no decoder or parser produces (bad
// kinds, arrays without exactly one element type), so later code can rely
// on their shape.
func checkShape(c *wasm.CompositeType) string {
	okVal := func(t wasm.ValType) bool { return t.Kind >= wasm.KindI32 && t.Kind <= wasm.KindRef }
	switch c.Kind {
	case wasm.CompFunc:
		if len(c.Fields) != 0 {
			return "type mismatch: function type with fields"
		}
	case wasm.CompStruct, wasm.CompArray:
		if len(c.Params) != 0 || len(c.Results) != 0 {
			return "type mismatch: struct or array type with params or results"
		}
		if c.Kind == wasm.CompArray && len(c.Fields) != 1 {
			return "type mismatch: array type needs exactly one element type"
		}
	default:
		return fmt.Sprintf("type mismatch: unknown composite type kind %d", c.Kind)
	}
	for _, ts := range [][]wasm.ValType{c.Params, c.Results} {
		for _, t := range ts {
			if !okVal(t) {
				return fmt.Sprintf("type mismatch: invalid value type kind %d", t.Kind)
			}
		}
	}
	for _, f := range c.Fields {
		if f.Storage.Packed > wasm.PackedI16 || (f.Storage.Packed == wasm.NotPacked && !okVal(f.Storage.Val)) {
			return "type mismatch: invalid field storage type"
		}
	}
	return ""
}
