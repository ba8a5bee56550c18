package text

import (
	"encoding/binary"

	"github.com/gcscope/gcscope/engine/wasm"
)

// Value, heap, field and composite types, type definitions and type uses.

var numTypes = map[string]wasm.ValType{
	"i32": wasm.I32, "i64": wasm.I64, "f32": wasm.F32, "f64": wasm.F64, "v128": wasm.V128,
}

// refShorthands are the abbreviations of nullable abstract reference types.
var refShorthands = map[string]wasm.ValType{
	"funcref": wasm.FuncRef, "externref": wasm.ExternRef, "anyref": wasm.AnyRef,
	"eqref": wasm.EqRef, "i31ref": wasm.I31Ref, "structref": wasm.StructRef,
	"arrayref": wasm.ArrayRef, "exnref": wasm.ExnRef, "nullref": wasm.NullRef,
	"nullfuncref":   wasm.RefType(true, wasm.HeapNoFunc),
	"nullexternref": wasm.RefType(true, wasm.HeapNoExtern),
	"nullexnref":    wasm.RefType(true, wasm.HeapNoExn),
}

func (b *builder) valType(n *sexpr) (wasm.ValType, error) {
	if n == nil {
		return wasm.ValType{}, wasm.MalformedPos(b.endPos, "unexpected token: missing type")
	}
	if n.isAtom(tKeyword) {
		if t, ok := numTypes[n.tok.text]; ok {
			return t, nil
		}
		if t, ok := refShorthands[n.tok.text]; ok {
			return t, nil
		}
		return wasm.ValType{}, keywordError(n)
	}
	if n.is("ref") {
		return b.refType(n)
	}
	return wasm.ValType{}, tokenError(n)
}

// refType reads (ref null? heaptype) or a shorthand like funcref.
func (b *builder) refType(n *sexpr) (wasm.ValType, error) {
	if n.isAtom(tKeyword) {
		if t, ok := refShorthands[n.tok.text]; ok {
			return t, nil
		}
	}
	if !n.is("ref") {
		return wasm.ValType{}, wasm.MalformedPos(n.pos(), "unexpected token: expected a reference type")
	}
	c := newCursor(n, 1)
	nullable := false
	if c.peek().isKeyword("null") {
		nullable = true
		c.next()
	}
	ht, err := b.heapType(c.next(), c)
	if err != nil {
		return wasm.ValType{}, err
	}
	if !c.done() {
		return wasm.ValType{}, unexpected(c.peek(), c)
	}
	return wasm.RefType(nullable, ht), nil
}

// heapType reads an abstract heap type keyword or a type index.
func (b *builder) heapType(n *sexpr, c *cursor) (wasm.HeapType, error) {
	if n == nil {
		return 0, unexpected(nil, c)
	}
	if n.isAtom(tKeyword) {
		if h, ok := wasm.AbstractHeapByName[n.tok.text]; ok {
			return h, nil
		}
		return 0, wasm.MalformedPos(n.pos(), "unknown operator %s", n.tok.text)
	}
	idx, err := b.index(spType, n)
	if err != nil {
		return 0, err
	}
	return wasm.HeapType(idx), nil
}

func (b *builder) storageType(n *sexpr) (wasm.StorageType, error) {
	if n.isKeyword("i8") {
		return wasm.StorageType{Packed: wasm.PackedI8, Val: wasm.I32}, nil
	}
	if n.isKeyword("i16") {
		return wasm.StorageType{Packed: wasm.PackedI16, Val: wasm.I32}, nil
	}
	t, err := b.valType(n)
	return wasm.StorageType{Val: t}, err
}

func (b *builder) fieldType(n *sexpr) (wasm.FieldType, error) {
	if n.is("mut") {
		c := newCursor(n, 1)
		s, err := b.storageType(c.next())
		if err == nil && !c.done() {
			err = unexpected(c.peek(), c)
		}
		return wasm.FieldType{Storage: s, Mutable: true}, err
	}
	s, err := b.storageType(n)
	return wasm.FieldType{Storage: s}, err
}

// typeDef converts (type $t? deftype) into Types[idx].
func (b *builder) typeDef(n *sexpr, idx uint32) error {
	c := newCursor(n, 1)
	c.optID()
	d := c.next()
	if d == nil || !c.done() {
		return unexpected(c.peek(), c)
	}
	st := wasm.SubType{Final: true, Pos: n.pos()}
	if d.is("sub") {
		sc := newCursor(d, 1)
		st.Final = false
		if sc.peek().isKeyword("final") {
			sc.next()
			st.Final = true
		}
		for !sc.done() && !sc.peek().list {
			sup, err := b.index(spType, sc.next())
			if err != nil {
				return err
			}
			st.Supers = append(st.Supers, sup)
		}
		d = sc.next()
		if d == nil || !sc.done() {
			return unexpected(sc.peek(), sc)
		}
	}
	comp, err := b.compType(d, idx)
	if err != nil {
		return err
	}
	st.Comp = comp
	b.m.Types[idx] = st
	return nil
}

// compType converts (func ...), (struct ...) or (array ...).
func (b *builder) compType(n *sexpr, idx uint32) (wasm.CompositeType, error) {
	c := newCursor(n, 1)
	switch n.head() {
	case "func":
		params, _, results, err := b.signature(c, true)
		if err != nil {
			return wasm.CompositeType{}, err
		}
		if !c.done() {
			return wasm.CompositeType{}, unexpected(c.peek(), c)
		}
		return wasm.CompositeType{Kind: wasm.CompFunc, Params: params, Results: results}, nil
	case "struct":
		ct := wasm.CompositeType{Kind: wasm.CompStruct}
		seen := map[string]bool{}
		for !c.done() {
			f := c.next()
			if !f.is("field") {
				return ct, tokenError(f)
			}
			fc := newCursor(f, 1)
			if id, pos, ok := fc.optID(); ok {
				if seen[id] {
					return ct, wasm.MalformedPos(pos, "duplicate field $%s", id)
				}
				seen[id] = true
				b.fieldName(idx, uint32(len(ct.Fields)), id)
				ft, err := b.fieldType(fc.next())
				if err != nil {
					return ct, err
				}
				if !fc.done() {
					return ct, unexpected(fc.peek(), fc)
				}
				ct.Fields = append(ct.Fields, ft)
				continue
			}
			for !fc.done() {
				ft, err := b.fieldType(fc.next())
				if err != nil {
					return ct, err
				}
				ct.Fields = append(ct.Fields, ft)
			}
		}
		return ct, nil
	case "array":
		ft, err := b.fieldType(c.next())
		if err != nil {
			return wasm.CompositeType{}, err
		}
		if !c.done() {
			return wasm.CompositeType{}, unexpected(c.peek(), c)
		}
		return wasm.CompositeType{Kind: wasm.CompArray, Fields: []wasm.FieldType{ft}}, nil
	}
	return wasm.CompositeType{}, tokenError(n)
}

// fieldName records a struct field's name for struct.get and the debugger.
func (b *builder) fieldName(typeIdx, fieldIdx uint32, id string) {
	if b.fieldIDs[typeIdx] == nil {
		b.fieldIDs[typeIdx] = map[string]uint32{}
	}
	b.fieldIDs[typeIdx][id] = fieldIdx
	if b.names.Fields == nil {
		b.names.Fields = wasm.IndirectNameMap{}
	}
	if b.names.Fields[typeIdx] == nil {
		b.names.Fields[typeIdx] = wasm.NameMap{}
	}
	b.names.Fields[typeIdx][fieldIdx] = id
}

// paramName is a parameter's $id (or "") and where it was written.
type paramName struct {
	id  string
	pos wasm.Pos
}

// signature reads (param ...)* (result ...)*. With allowNames, a param may
// bind one $id; otherwise an id there is an error (as in call_indirect).
func (b *builder) signature(c *cursor, allowNames bool) (params []wasm.ValType, names []paramName, results []wasm.ValType, err error) {
	for c.peek().is("param") {
		p := c.next()
		pc := newCursor(p, 1)
		if id, pos, ok := pc.optID(); ok {
			if !allowNames {
				return nil, nil, nil, wasm.MalformedPos(pos, "unexpected token $%s", id)
			}
			t, err := b.valType(pc.next())
			if err != nil {
				return nil, nil, nil, err
			}
			if !pc.done() {
				return nil, nil, nil, unexpected(pc.peek(), pc)
			}
			params = append(params, t)
			names = append(names, paramName{id, pos})
			continue
		}
		for !pc.done() {
			t, err := b.valType(pc.next())
			if err != nil {
				return nil, nil, nil, err
			}
			params = append(params, t)
			names = append(names, paramName{})
		}
	}
	for c.peek().is("result") || len(results) > 0 && c.peek().is("param") {
		if c.peek().is("param") {
			return nil, nil, nil, wasm.MalformedPos(c.pos(), "unexpected token: param after result")
		}
		rc := newCursor(c.next(), 1)
		for !rc.done() {
			t, err := b.valType(rc.next())
			if err != nil {
				return nil, nil, nil, err
			}
			results = append(results, t)
		}
	}
	return params, names, results, nil
}

// typeUse reads (type x)? (param ...)* (result ...)* and returns the type
// index, appending a new function type when an inline signature matches
// none, as the spec's abbreviation rule says. paramIDs is nil when the
// parameters were not written inline.
func (b *builder) typeUse(c *cursor, allowNames bool) (uint32, []paramName, error) {
	start := c.pos()
	explicit := false
	var idx uint32
	if t := c.peek(); t.is("type") {
		c.next()
		tc := newCursor(t, 1)
		var err error
		if idx, err = b.index(spType, tc.next()); err != nil {
			return 0, nil, err
		}
		if !tc.done() {
			return 0, nil, unexpected(tc.peek(), tc)
		}
		explicit = true
	}
	hasSig := c.peek().is("param") || c.peek().is("result")
	params, names, results, err := b.signature(c, allowNames)
	if err != nil {
		return 0, nil, err
	}
	if explicit {
		if int64(idx) >= int64(len(b.m.Types)) {
			if hasSig {
				return 0, nil, wasm.MalformedPos(start, "unknown type %d", idx)
			}
			// Without an inline signature, the validator reports it.
			return idx, names, nil
		}
		ct := &b.m.Types[idx].Comp
		if hasSig {
			if ct.Kind != wasm.CompFunc || !sameTypes(ct.Params, params) || !sameTypes(ct.Results, results) {
				return 0, nil, wasm.MalformedPos(start, "inline function type does not match type %d", idx)
			}
			return idx, names, nil
		}
		if ct.Kind == wasm.CompFunc {
			names = make([]paramName, len(ct.Params))
		}
		return idx, names, nil
	}
	return b.funcTypeIndex(params, results), names, nil
}

// funcTypeIndex finds the first plain function type (final, no supertypes,
// alone in its rec group) with this signature, or appends one. The lookup
// goes through a map built on first use: every explicit type is converted
// before the first type use, and appended types are added as they come.
func (b *builder) funcTypeIndex(params, results []wasm.ValType) uint32 {
	if b.sigIndex == nil {
		b.sigIndex = map[string]uint32{}
		for _, g := range b.m.RecGroups {
			t := &b.m.Types[g.First]
			if g.Count != 1 || !t.Final || len(t.Supers) != 0 || t.Comp.Kind != wasm.CompFunc {
				continue
			}
			key := sigKey(t.Comp.Params, t.Comp.Results)
			if _, seen := b.sigIndex[key]; !seen {
				b.sigIndex[key] = g.First
			}
		}
	}
	key := sigKey(params, results)
	if idx, ok := b.sigIndex[key]; ok {
		return idx
	}
	idx := uint32(len(b.m.Types))
	b.m.Types = append(b.m.Types, wasm.SubType{Final: true, Comp: wasm.CompositeType{
		Kind: wasm.CompFunc, Params: params, Results: results}})
	b.m.RecGroups = append(b.m.RecGroups, wasm.RecGroup{First: idx, Count: 1})
	b.sigIndex[key] = idx
	return idx
}

// sigKey encodes a signature as a map key.
func sigKey(params, results []wasm.ValType) string {
	buf := make([]byte, 0, 10*(len(params)+len(results))+1)
	put := func(ts []wasm.ValType) {
		for _, t := range ts {
			null := byte(0)
			if t.Nullable {
				null = 1
			}
			buf = append(buf, byte(t.Kind), null)
			buf = binary.LittleEndian.AppendUint64(buf, uint64(t.Heap))
		}
	}
	put(params)
	buf = append(buf, 0xFF)
	put(results)
	return string(buf)
}

func sameTypes(a, b []wasm.ValType) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
