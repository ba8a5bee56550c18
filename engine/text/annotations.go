package text

import (
	"unicode/utf8"

	"github.com/gcscope/gcscope/engine/wasm"
)

// Annotations the parser understands: (@custom "name" place? "bytes"*)
// custom sections and the (@name "...") module name. All other
// annotations are ignored, as the spec allows.

// sectionOrder lists the known sections in binary order, for placing
// custom sections "before" or "after" one of them.
var sectionOrder = []struct {
	kw string
	id wasm.SectionID
}{
	{"type", wasm.SectionType}, {"import", wasm.SectionImport}, {"func", wasm.SectionFunction},
	{"table", wasm.SectionTable}, {"memory", wasm.SectionMemory}, {"tag", wasm.SectionTag},
	{"global", wasm.SectionGlobal}, {"export", wasm.SectionExport}, {"start", wasm.SectionStart},
	{"elem", wasm.SectionElement}, {"datacount", wasm.SectionDataCount}, {"code", wasm.SectionCode},
	{"data", wasm.SectionData},
}

// annotations converts the annotations written among the module fields
// and in the fields themselves.
func (b *builder) annotations(mod *sexpr, skip int) error {
	for _, f := range mod.kids[skip:] {
		if err := b.fieldAnnotations(f); err != nil {
			return err
		}
	}
	seenName := false
	for _, a := range mod.annots {
		switch a.node.annot {
		case "custom":
			if err := b.customAnnotation(a.node); err != nil {
				return err
			}
		case "name":
			if a.at != skip {
				return wasm.MalformedPos(a.node.pos(), "misplaced @name annotation")
			}
			if seenName {
				return wasm.MalformedPos(a.node.pos(), "@name annotation: multiple module names")
			}
			seenName = true
			c := newCursor(a.node, 0)
			n := c.next()
			if !n.isAtom(tString) || !c.done() {
				return wasm.MalformedPos(a.node.pos(), "@name annotation: unexpected token")
			}
			if !utf8.ValidString(n.tok.text) {
				return wasm.MalformedPos(n.pos(), "@name annotation: malformed UTF-8 encoding")
			}
			b.names.Module = n.tok.text
		}
	}
	return nil
}

func (b *builder) customAnnotation(n *sexpr) error {
	c := newCursor(n, 0)
	nm := c.next()
	if !nm.isAtom(tString) {
		return wasm.MalformedPos(n.pos(), "@custom annotation: missing section name")
	}
	if !utf8.ValidString(nm.tok.text) {
		return wasm.MalformedPos(nm.pos(), "@custom annotation: malformed UTF-8 encoding")
	}
	cs := wasm.Custom{Name: nm.tok.text, After: wasm.SectionData}
	if p := c.peek(); p != nil && p.list {
		c.next()
		pc := newCursor(p, 0)
		where, sec := pc.next(), pc.next()
		if !where.isKeyword("before") && !where.isKeyword("after") || !pc.done() {
			return wasm.MalformedPos(p.pos(), "@custom annotation: malformed placement")
		}
		found := false
		for i, s := range sectionOrder {
			if !sec.isKeyword(s.kw) {
				continue
			}
			found = true
			switch {
			case where.tok.text == "after":
				cs.After = s.id
			case i == 0:
				cs.After = wasm.SectionCustom
			default:
				cs.After = sectionOrder[i-1].id
			}
		}
		if !found {
			return wasm.MalformedPos(p.pos(), "@custom annotation: malformed section kind")
		}
	}
	for !c.done() {
		s := c.next()
		if !s.isAtom(tString) {
			return wasm.MalformedPos(s.pos(), "@custom annotation: unexpected token")
		}
		cs.Data = append(cs.Data, s.tok.text...)
	}
	b.m.Customs = append(b.m.Customs, cs)
	return nil
}

// nameSpaces are the fields whose (@name "...") annotation names the
// entity they define, and the name map it goes to.
var nameSpaces = map[string]int{
	"func": spFunc, "tag": spTag, "global": spGlobal, "table": spTable, "memory": spMem,
	"elem": spElem, "data": spData, "type": spType,
}

// fieldAnnotations applies (@name) annotations written right after a
// field's keyword or $id, and rejects custom sections and names anywhere
// else inside the field.
func (b *builder) fieldAnnotations(f *sexpr) error {
	sp, named := nameSpaces[f.head()]
	for _, a := range f.annots {
		switch a.node.annot {
		case "custom":
			return wasm.MalformedPos(a.node.pos(), "misplaced @custom annotation")
		case "name":
			ok := named && (a.at == 1 || a.at == 2 && f.kids[1].isAtom(tID))
			if !ok {
				return wasm.MalformedPos(a.node.pos(), "misplaced @name annotation")
			}
			c := newCursor(a.node, 0)
			n := c.next()
			if !n.isAtom(tString) || !c.done() {
				return wasm.MalformedPos(a.node.pos(), "@name annotation: unexpected token")
			}
			if !utf8.ValidString(n.tok.text) {
				return wasm.MalformedPos(n.pos(), "@name annotation: malformed UTF-8 encoding")
			}
			if idx, ok := b.slot[f]; ok {
				b.setName(sp, idx, n.tok.text)
			}
		}
	}
	for _, k := range f.kids {
		if k.list {
			if err := nestedAnnotations(k); err != nil {
				return err
			}
		}
	}
	return nil
}

// nestedAnnotations rejects custom sections and names below field level.
func nestedAnnotations(n *sexpr) error {
	for _, a := range n.annots {
		switch a.node.annot {
		case "custom", "name":
			return wasm.MalformedPos(a.node.pos(), "misplaced @%s annotation", a.node.annot)
		}
	}
	for _, k := range n.kids {
		if k.list {
			if err := nestedAnnotations(k); err != nil {
				return err
			}
		}
	}
	return nil
}
