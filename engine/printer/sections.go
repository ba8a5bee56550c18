package printer

import (
	"strconv"

	"github.com/gcscope/gcscope/engine/wasm"
)

// The module's fields other than types and function bodies, in the order
// Print writes them. Every kind's imports come before its definitions, as
// the text format requires for the indices to come out the same.

func (p *printer) imports() {
	var counts [5]uint32 // next index per extern kind
	for i := range p.m.Imports {
		im := &p.m.Imports[i]
		line := p.o.newLine(1)
		p.o.str("(import ")
		p.o.bytes(appendString(p.buf[:0], []byte(im.Module), true))
		p.o.str(" ")
		p.o.bytes(appendString(p.buf[:0], []byte(im.Name), true))
		p.o.str(" ")
		var idx uint32
		if int(im.Kind) < len(counts) {
			idx = counts[im.Kind]
			counts[im.Kind]++
		}
		switch im.Kind {
		case wasm.ExternFunc:
			p.lm.setFuncStart(idx, line)
			p.o.str("(func")
			p.nameAndIndex(p.names.funcs.get(idx), idx)
			p.funcNameAnnotation(idx)
			p.o.bytes(p.appendTypeUse(p.buf[:0], im.TypeIndex))
		case wasm.ExternTable:
			p.o.str("(table")
			p.nameAndIndex(p.names.tables.get(idx), idx)
			p.o.bytes(p.appendTableType(p.buf[:0], im.Table))
		case wasm.ExternMemory:
			p.o.str("(memory")
			p.nameAndIndex(p.names.mems.get(idx), idx)
			p.o.bytes(appendMemoryType(p.buf[:0], im.Memory))
		case wasm.ExternGlobal:
			p.o.str("(global")
			p.nameAndIndex(p.names.globals.get(idx), idx)
			p.o.bytes(p.appendGlobalType(p.buf[:0], im.Global))
		case wasm.ExternTag:
			p.o.str("(tag")
			p.nameAndIndex(p.names.tags.get(idx), idx)
			p.tagNameAnnotation(idx)
			p.o.bytes(p.appendTypeUse(p.buf[:0], im.TypeIndex))
		default:
			p.o.str("(func (;unknown import kind ")
			p.o.bytes(strconv.AppendUint(p.buf[:0], uint64(im.Kind), 10))
			p.o.str(";)")
		}
		p.o.str("))")
	}
}

// appendTypeUse writes " (type $t)" followed by the function type's params
// and results when the index names a function type.
func (p *printer) appendTypeUse(b []byte, ti uint32) []byte {
	b = append(b, " (type "...)
	b = appendRef(b, p.names.types, ti)
	b = append(b, ')')
	if c, ok := p.funcType(ti); ok {
		b = p.appendValTypes(b, "param", c.Params)
		b = p.appendValTypes(b, "result", c.Results)
	}
	return b
}

func appendLimits(b []byte, addr64 bool, l wasm.Limits) []byte {
	if addr64 {
		b = append(b, " i64"...)
	}
	b = append(b, ' ')
	b = strconv.AppendUint(b, l.Min, 10)
	if l.HasMax {
		b = append(b, ' ')
		b = strconv.AppendUint(b, l.Max, 10)
	}
	return b
}

func (p *printer) appendTableType(b []byte, t wasm.TableType) []byte {
	b = appendLimits(b, t.Addr64, t.Limits)
	b = append(b, ' ')
	return p.appendValType(b, t.Elem)
}

func appendMemoryType(b []byte, t wasm.MemoryType) []byte {
	b = appendLimits(b, t.Addr64, t.Limits)
	if t.Shared {
		b = append(b, " shared"...)
	}
	return b
}

func (p *printer) appendGlobalType(b []byte, t wasm.GlobalType) []byte {
	b = append(b, ' ')
	if t.Mutable {
		b = append(b, "(mut "...)
		b = p.appendValType(b, t.Val)
		return append(b, ')')
	}
	return p.appendValType(b, t.Val)
}

// appendExpr writes a constant expression as a sequence of folded
// instructions without operands, " (i32.const 1)" or " (global.get 0)
// (i32.const 8) (i32.add)", which reads back as the same sequence. The
// closing end is implied by the parenthesis around the whole.
func (p *printer) appendExpr(b []byte, e wasm.Expr) []byte {
	for i := range e {
		in := &e[i]
		if in.Op == wasm.OpEnd && i == len(e)-1 {
			break
		}
		b = append(b, " ("...)
		b = p.appendInstr(b, in)
		b = append(b, ')')
	}
	return b
}

func (p *printer) tables() {
	base := uint32(p.m.NumImported(wasm.ExternTable))
	for i := range p.m.Tables {
		t := &p.m.Tables[i]
		idx := base + uint32(i)
		p.def("table", p.names.tables.get(idx), idx)
		b := p.appendTableType(p.buf[:0], t.Type)
		if t.Init != nil {
			b = p.appendExpr(b, t.Init)
		}
		p.buf = b
		p.o.bytes(b)
		p.o.str(")")
	}
}

func (p *printer) memories() {
	base := uint32(p.m.NumImported(wasm.ExternMemory))
	for i := range p.m.Memories {
		idx := base + uint32(i)
		p.def("memory", p.names.mems.get(idx), idx)
		p.o.bytes(appendMemoryType(p.buf[:0], p.m.Memories[i].Type))
		p.o.str(")")
	}
}

func (p *printer) tags() {
	base := uint32(p.m.NumImported(wasm.ExternTag))
	for i := range p.m.Tags {
		idx := base + uint32(i)
		p.def("tag", p.names.tags.get(idx), idx)
		p.tagNameAnnotation(idx)
		p.o.bytes(p.appendTypeUse(p.buf[:0], p.m.Tags[i].Type.TypeIndex))
		p.o.str(")")
	}
}

func (p *printer) globals() {
	base := uint32(p.m.NumImported(wasm.ExternGlobal))
	for i := range p.m.Globals {
		g := &p.m.Globals[i]
		idx := base + uint32(i)
		p.def("global", p.names.globals.get(idx), idx)
		b := p.appendGlobalType(p.buf[:0], g.Type)
		p.buf = p.appendExpr(b, g.Init)
		p.o.bytes(p.buf)
		p.o.str(")")
	}
}

func (p *printer) exports() {
	for i := range p.m.Exports {
		e := &p.m.Exports[i]
		p.o.newLine(1)
		p.o.str("(export ")
		b := appendString(p.buf[:0], []byte(e.Name), true)
		b = append(b, " ("...)
		b = append(b, e.Kind.String()...)
		b = append(b, ' ')
		b = appendRef(b, p.spaceNames(e.Kind), e.Index)
		p.buf = append(b, "))"...)
		p.o.bytes(p.buf)
	}
}

// spaceNames returns the identifiers of an extern kind's index space.
func (p *printer) spaceNames(k wasm.ExternKind) nameTable {
	switch k {
	case wasm.ExternFunc:
		return p.names.funcs
	case wasm.ExternTable:
		return p.names.tables
	case wasm.ExternMemory:
		return p.names.mems
	case wasm.ExternGlobal:
		return p.names.globals
	case wasm.ExternTag:
		return p.names.tags
	}
	return nil
}

func (p *printer) start() {
	if p.m.Start == nil {
		return
	}
	p.o.newLine(1)
	p.o.str("(start ")
	p.o.bytes(appendRef(p.buf[:0], p.names.funcs, *p.m.Start))
	p.o.str(")")
}

// appendOffset writes an active segment's offset: the folded instruction
// alone when there is one, (offset ...) around a longer expression.
func (p *printer) appendOffset(b []byte, e wasm.Expr) []byte {
	n := len(e)
	if n > 0 && e[n-1].Op == wasm.OpEnd {
		n--
	}
	if n == 1 {
		return p.appendExpr(b, e)
	}
	b = append(b, " (offset"...)
	b = p.appendExpr(b, e)
	return append(b, ')')
}

// elems writes element segments in their explicit form, a reference type
// and one (item ...) per element, shortened to the folded instruction when
// an item is a single one: (ref.func $f). The "func $f $g" shorthand is not
// used because its element type differs between spec versions.
func (p *printer) elems() {
	for i := range p.m.Elems {
		s := &p.m.Elems[i]
		p.def("elem", p.names.elems.get(uint32(i)), uint32(i))
		b := p.buf[:0]
		switch s.Mode {
		case wasm.SegmentActive:
			if s.Table != 0 {
				b = append(b, " (table "...)
				b = appendRef(b, p.names.tables, s.Table)
				b = append(b, ')')
			}
			b = p.appendOffset(b, s.Offset)
		case wasm.SegmentDeclarative:
			b = append(b, " declare"...)
		}
		b = append(b, ' ')
		b = p.appendValType(b, s.Type)
		for _, item := range s.Init {
			n := len(item)
			if n > 0 && item[n-1].Op == wasm.OpEnd {
				n--
			}
			if n == 1 {
				b = p.appendExpr(b, item)
				continue
			}
			b = append(b, " (item"...)
			b = p.appendExpr(b, item)
			b = append(b, ')')
		}
		p.buf = append(b, ')')
		p.o.bytes(p.buf)
	}
}

func (p *printer) datas() {
	for i := range p.m.Datas {
		s := &p.m.Datas[i]
		p.def("data", p.names.datas.get(uint32(i)), uint32(i))
		b := p.buf[:0]
		if s.Mode == wasm.SegmentActive {
			if s.Memory != 0 {
				b = append(b, " (memory "...)
				b = appendRef(b, p.names.mems, s.Memory)
				b = append(b, ')')
			}
			b = p.appendOffset(b, s.Offset)
		}
		b = append(b, ' ')
		b = appendString(b, s.Init, false)
		p.buf = append(b, ')')
		p.o.bytes(p.buf)
	}
}

// sectionKeywords are the custom-section placement keywords of the
// annotations proposal, by the section they name.
var sectionKeywords = map[wasm.SectionID]string{
	wasm.SectionType: "type", wasm.SectionImport: "import", wasm.SectionFunction: "func",
	wasm.SectionTable: "table", wasm.SectionMemory: "memory", wasm.SectionTag: "tag",
	wasm.SectionGlobal: "global", wasm.SectionExport: "export", wasm.SectionStart: "start",
	wasm.SectionElement: "elem", wasm.SectionDataCount: "datacount", wasm.SectionCode: "code",
	wasm.SectionData: "data",
}

// customs writes custom sections as (@custom "name" (after code) "bytes")
// annotations, which keep their bytes and place in the binary.
func (p *printer) customs() {
	for i := range p.m.Customs {
		c := &p.m.Customs[i]
		p.o.newLine(1)
		b := append(p.buf[:0], "(@custom "...)
		b = appendString(b, []byte(c.Name), true)
		if c.After == wasm.SectionCustom {
			b = append(b, " (before type)"...)
		} else if kw, ok := sectionKeywords[c.After]; ok {
			b = append(b, " (after "...)
			b = append(b, kw...)
			b = append(b, ')')
		}
		b = append(b, ' ')
		b = appendString(b, c.Data, false)
		p.buf = append(b, ')')
		p.o.bytes(p.buf)
	}
}
