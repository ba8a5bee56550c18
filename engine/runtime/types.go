package runtime

import (
	"fmt"
	"strconv"
	"strings"
	"sync"

	"github.com/gcscope/gcscope/engine/wasm"
)

// TypeID is a canonical type id, shared by every module of a store: two
// iso-recursively equal types from different modules get the same id. In
// canonical value types (see TypeDef), a concrete heap type is a TypeID.
//
// This registry stands in for engine/types until that package lands; it
// is kept behind the Store so that swapping it touches one file.
type TypeID uint32

// TypeDef is the runtime record of a canonical type.
type TypeDef struct {
	ID    TypeID
	Final bool
	// Display lists the type's ancestors by depth, ending with the type
	// itself, so a subtype test is one index and one compare.
	Display []TypeID
	// Comp is the composite type with every concrete heap type rewritten
	// to its canonical TypeID.
	Comp wasm.CompositeType
	// RefFields says which struct fields (or, for an array, element 0)
	// hold references: the collector traces exactly these.
	RefFields []bool
}

// Depth is the length of the supertype chain above the type.
func (d *TypeDef) Depth() int { return len(d.Display) - 1 }

// Types canonicalizes rec groups for one store.
type Types struct {
	mu     sync.Mutex
	defs   []*TypeDef
	groups map[string]TypeID // rec group key → id of its first type
}

func newTypes() *Types { return &Types{groups: map[string]TypeID{}} }

// Def returns the record of a canonical id, or nil.
func (r *Types) Def(id TypeID) *TypeDef {
	r.mu.Lock()
	defer r.mu.Unlock()
	if int(id) < len(r.defs) {
		return r.defs[id]
	}
	return nil
}

// DefineModule canonicalizes the module's types and returns the canonical
// id of each module type index.
func (r *Types) DefineModule(m *wasm.Module) ([]TypeID, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	ids := make([]TypeID, len(m.Types))
	groups := m.RecGroups
	if len(groups) == 0 && len(m.Types) > 0 {
		// A module built by hand may leave RecGroups empty: one type, one group.
		for i := range m.Types {
			groups = append(groups, wasm.RecGroup{First: uint32(i), Count: 1})
		}
	}
	for _, g := range groups {
		if uint64(g.First)+uint64(g.Count) > uint64(len(m.Types)) {
			return nil, fmt.Errorf("rec group %d+%d out of range", g.First, g.Count)
		}
		key, err := groupKey(m, g, ids)
		if err != nil {
			return nil, err
		}
		base, ok := r.groups[key]
		if !ok {
			base = TypeID(len(r.defs))
			if err := r.addGroup(m, g, ids, base); err != nil {
				return nil, err
			}
			r.groups[key] = base
		}
		for i := uint32(0); i < g.Count; i++ {
			ids[g.First+i] = base + TypeID(i)
		}
	}
	return ids, nil
}

// groupKey serializes a rec group so that equal keys mean iso-recursively
// equal groups: references inside the group are written relative to it,
// references outside by their canonical id.
func groupKey(m *wasm.Module, g wasm.RecGroup, ids []TypeID) (string, error) {
	var b strings.Builder
	ref := func(i uint32) error {
		switch {
		case i >= g.First && i < g.First+g.Count:
			b.WriteString("r" + strconv.Itoa(int(i-g.First)))
		case i < g.First:
			b.WriteString("c" + strconv.Itoa(int(ids[i])))
		default:
			return fmt.Errorf("unknown type %d", i)
		}
		return nil
	}
	val := func(t wasm.ValType) error {
		b.WriteString(strconv.Itoa(int(t.Kind)))
		if t.Kind == wasm.KindRef {
			if t.Nullable {
				b.WriteByte('?')
			}
			if t.Heap >= 0 {
				return ref(uint32(t.Heap))
			}
			b.WriteString("h" + strconv.Itoa(int(t.Heap)))
		}
		return nil
	}
	for i := uint32(0); i < g.Count; i++ {
		st := &m.Types[g.First+i]
		fmt.Fprintf(&b, "{%v %d ", st.Final, st.Comp.Kind)
		for _, s := range st.Supers {
			if err := ref(s); err != nil {
				return "", err
			}
		}
		b.WriteString("|")
		for _, p := range st.Comp.Params {
			if err := val(p); err != nil {
				return "", err
			}
			b.WriteByte(',')
		}
		b.WriteString("->")
		for _, p := range st.Comp.Results {
			if err := val(p); err != nil {
				return "", err
			}
			b.WriteByte(',')
		}
		b.WriteString("|")
		for _, f := range st.Comp.Fields {
			fmt.Fprintf(&b, "%v%d", f.Mutable, f.Storage.Packed)
			if err := val(f.Storage.Val); err != nil {
				return "", err
			}
			b.WriteByte(',')
		}
		b.WriteString("}")
	}
	return b.String(), nil
}

func (r *Types) addGroup(m *wasm.Module, g wasm.RecGroup, ids []TypeID, base TypeID) error {
	canon := func(i uint32) TypeID {
		if i >= g.First {
			return base + TypeID(i-g.First)
		}
		return ids[i]
	}
	cv := func(t wasm.ValType) wasm.ValType {
		if t.Kind == wasm.KindRef && t.Heap >= 0 {
			t.Heap = wasm.HeapType(canon(uint32(t.Heap)))
		}
		return t
	}
	for i := uint32(0); i < g.Count; i++ {
		r.defs = append(r.defs, nil)
	}
	for i := uint32(0); i < g.Count; i++ {
		st := &m.Types[g.First+i]
		d := &TypeDef{ID: base + TypeID(i), Final: st.Final}
		d.Comp.Kind = st.Comp.Kind
		for _, p := range st.Comp.Params {
			d.Comp.Params = append(d.Comp.Params, cv(p))
		}
		for _, p := range st.Comp.Results {
			d.Comp.Results = append(d.Comp.Results, cv(p))
		}
		for _, f := range st.Comp.Fields {
			f.Storage.Val = cv(f.Storage.Val)
			d.Comp.Fields = append(d.Comp.Fields, f)
			d.RefFields = append(d.RefFields, f.Storage.Packed == wasm.NotPacked && f.Storage.Val.IsRef())
		}
		if len(st.Supers) > 0 {
			sid := canon(st.Supers[0])
			var sup *TypeDef
			if int(sid) < len(r.defs) {
				sup = r.defs[sid]
			}
			if sup == nil {
				// A supertype later in the same group is invalid; keep going.
				d.Display = []TypeID{d.ID}
			} else {
				d.Display = append(append([]TypeID(nil), sup.Display...), d.ID)
			}
		} else {
			d.Display = []TypeID{d.ID}
		}
		r.defs[d.ID] = d
	}
	return nil
}

// IsSubID reports whether canonical type a is b or a declared descendant.
func (r *Types) IsSubID(a, b TypeID) bool {
	if a == b {
		return true
	}
	da, db := r.Def(a), r.Def(b)
	if da == nil || db == nil {
		return false
	}
	d := db.Depth()
	return d < len(da.Display) && da.Display[d] == b
}

// kindOf returns the composite kind of a canonical concrete heap type.
func (r *Types) kindOf(h wasm.HeapType) wasm.CompKind {
	if d := r.Def(TypeID(h)); d != nil {
		return d.Comp.Kind
	}
	return 0
}

// HeapSub reports whether heap type a is a subtype of b (both canonical).
func (r *Types) HeapSub(a, b wasm.HeapType) bool {
	if a == b || a == wasm.HeapBot {
		return true
	}
	if a >= 0 && b >= 0 {
		return r.IsSubID(TypeID(a), TypeID(b))
	}
	if a >= 0 {
		switch r.kindOf(a) {
		case wasm.CompFunc:
			return b == wasm.HeapFunc
		case wasm.CompStruct:
			return b == wasm.HeapStruct || b == wasm.HeapEq || b == wasm.HeapAny
		case wasm.CompArray:
			return b == wasm.HeapArray || b == wasm.HeapEq || b == wasm.HeapAny
		}
		return false
	}
	switch a {
	case wasm.HeapNone:
		if b >= 0 {
			k := r.kindOf(b)
			return k == wasm.CompStruct || k == wasm.CompArray
		}
		return b == wasm.HeapI31 || b == wasm.HeapStruct || b == wasm.HeapArray || b == wasm.HeapEq || b == wasm.HeapAny
	case wasm.HeapNoFunc:
		return b == wasm.HeapFunc || (b >= 0 && r.kindOf(b) == wasm.CompFunc)
	case wasm.HeapNoExtern:
		return b == wasm.HeapExtern
	case wasm.HeapNoExn:
		return b == wasm.HeapExn
	case wasm.HeapI31, wasm.HeapStruct, wasm.HeapArray:
		return b == wasm.HeapEq || b == wasm.HeapAny
	case wasm.HeapEq:
		return b == wasm.HeapAny
	}
	return false
}

// ValSub reports whether value type a matches b (canonical types).
func (r *Types) ValSub(a, b wasm.ValType) bool {
	if a.Kind != b.Kind {
		return a.Kind == wasm.KindBot
	}
	if a.Kind != wasm.KindRef {
		return true
	}
	if a.Nullable && !b.Nullable {
		return false
	}
	return r.HeapSub(a.Heap, b.Heap)
}

// Canon rewrites a module-local value type to its canonical form.
func Canon(t wasm.ValType, ids []TypeID) wasm.ValType {
	if t.Kind == wasm.KindRef && t.Heap >= 0 && int(t.Heap) < len(ids) {
		t.Heap = wasm.HeapType(ids[t.Heap])
	}
	return t
}
