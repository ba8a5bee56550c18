package printer

import (
	"strconv"

	"github.com/gcscope/gcscope/engine/wasm"
)

// nullShorthand names the nullable references to abstract heap types that
// have a one-word form. The bottom types' shorthands do not follow the
// "<heap>ref" pattern (none -> nullref), so they are listed, not derived.
var nullShorthand = map[wasm.HeapType]string{
	wasm.HeapFunc: "funcref", wasm.HeapExtern: "externref", wasm.HeapAny: "anyref",
	wasm.HeapEq: "eqref", wasm.HeapI31: "i31ref", wasm.HeapStruct: "structref",
	wasm.HeapArray: "arrayref", wasm.HeapExn: "exnref", wasm.HeapNone: "nullref",
	wasm.HeapNoFunc: "nullfuncref", wasm.HeapNoExtern: "nullexternref", wasm.HeapNoExn: "nullexnref",
}

func (p *printer) appendHeapType(b []byte, h wasm.HeapType) []byte {
	if h.IsAbstract() {
		return append(b, h.String()...)
	}
	if h > 0xFFFFFFFF {
		return strconv.AppendInt(b, int64(h), 10)
	}
	return appendRef(b, p.names.types, h.Index())
}

// appendRefType writes a reference type, using a shorthand when one exists.
func (p *printer) appendRefType(b []byte, nullable bool, h wasm.HeapType) []byte {
	if nullable {
		if s, ok := nullShorthand[h]; ok {
			return append(b, s...)
		}
		b = append(b, "(ref null "...)
	} else {
		b = append(b, "(ref "...)
	}
	b = p.appendHeapType(b, h)
	return append(b, ')')
}

func (p *printer) appendValType(b []byte, t wasm.ValType) []byte {
	if t.Kind == wasm.KindRef {
		return p.appendRefType(b, t.Nullable, t.Heap)
	}
	return append(b, t.String()...)
}

// appendValTypes writes a parenthesised list such as "(param i32 i64)", or
// nothing when ts is empty.
func (p *printer) appendValTypes(b []byte, keyword string, ts []wasm.ValType) []byte {
	if len(ts) == 0 {
		return b
	}
	b = append(b, " ("...)
	b = append(b, keyword...)
	for _, t := range ts {
		b = append(b, ' ')
		b = p.appendValType(b, t)
	}
	return append(b, ')')
}

func (p *printer) appendFieldType(b []byte, f wasm.FieldType) []byte {
	if f.Mutable {
		b = append(b, "(mut "...)
	}
	if f.Storage.Packed != wasm.NotPacked {
		b = append(b, f.Storage.String()...)
	} else {
		b = p.appendValType(b, f.Storage.Val)
	}
	if f.Mutable {
		b = append(b, ')')
	}
	return b
}

// appendComposite writes "(func ...)", "(struct ...)" or "(array ...)"; ti
// is the type's index, for field names.
func (p *printer) appendComposite(b []byte, ti uint32, c *wasm.CompositeType) []byte {
	switch c.Kind {
	case wasm.CompFunc:
		b = append(b, "(func"...)
		b = p.appendValTypes(b, "param", c.Params)
		b = p.appendValTypes(b, "result", c.Results)
	case wasm.CompStruct:
		b = append(b, "(struct"...)
		fields := p.names.fields[ti]
		for i, f := range c.Fields {
			b = append(b, " (field "...)
			if s := fields.get(uint32(i)); s != "" {
				b = append(b, s...)
				b = append(b, ' ')
			}
			b = p.appendFieldType(b, f)
			b = append(b, ')')
		}
	case wasm.CompArray:
		b = append(b, "(array"...)
		if len(c.Fields) > 0 {
			b = append(b, ' ')
			b = p.appendFieldType(b, c.Fields[0])
		}
	default:
		b = append(b, "(func (;unknown composite type kind "...)
		b = strconv.AppendUint(b, uint64(c.Kind), 10)
		b = append(b, ";)"...)
	}
	return append(b, ')')
}

func (p *printer) appendSubType(b []byte, ti uint32, st *wasm.SubType) []byte {
	if st.Final && len(st.Supers) == 0 {
		return p.appendComposite(b, ti, &st.Comp)
	}
	b = append(b, "(sub"...)
	if st.Final {
		b = append(b, " final"...)
	}
	for _, s := range st.Supers {
		b = append(b, ' ')
		b = appendRef(b, p.names.types, s)
	}
	b = append(b, ' ')
	b = p.appendComposite(b, ti, &st.Comp)
	return append(b, ')')
}

// typeSection writes the types, grouping the members of multi-type
// recursion groups in (rec ...). A group of one is written bare, which
// means the same thing.
func (p *printer) typeSection() {
	next := uint32(0) // first type not yet printed
	n := uint32(len(p.m.Types))
	for _, g := range p.m.RecGroups {
		if g.First < next || g.First > n || g.Count > n-g.First {
			continue // overlapping or out of range: the loop below covers it
		}
		for ; next < g.First; next++ {
			p.typeDef(next, 1)
		}
		if g.Count == 1 {
			p.typeDef(next, 1)
			next++
			continue
		}
		p.o.newLine(1)
		p.o.str("(rec")
		for ; next < g.First+g.Count; next++ {
			p.typeDef(next, 2)
		}
		p.o.str(")")
	}
	for ; next < n; next++ {
		p.typeDef(next, 1)
	}
}

func (p *printer) typeDef(ti uint32, depth int) {
	p.o.newLine(depth)
	p.o.str("(type")
	p.nameAndIndex(p.names.types.get(ti), ti)
	p.o.str(" ")
	p.buf = p.appendSubType(p.buf[:0], ti, &p.m.Types[ti])
	p.o.bytes(p.buf)
	p.o.str(")")
}
