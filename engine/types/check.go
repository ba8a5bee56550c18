package types

import (
	"fmt"

	"github.com/gcscope/gcscope/engine/wasm"
)

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
