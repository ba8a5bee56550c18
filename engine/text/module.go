package text

import (
	"unicode/utf8"

	"github.com/gcscope/gcscope/engine/wasm"
)

// ParseModule parses one text module, written as (module $id? field*) or
// as bare module fields, as a .wat file may be.
func ParseModule(src []byte) (*wasm.Module, error) {
	root, err := parseSexprs(src)
	if err != nil {
		return nil, err
	}
	if len(root.kids) == 1 && root.kids[0].is("module") {
		mod := root.kids[0]
		c := newCursor(mod, 1)
		id, _, _ := c.optID()
		if c.peek().isKeyword("binary") || c.peek().isKeyword("quote") || c.peek().isKeyword("definition") {
			return nil, tokenError(c.peek())
		}
		return buildModule(mod, c.i, id)
	}
	for _, k := range root.kids {
		if k.is("module") {
			return nil, wasm.MalformedPos(k.pos(), "unexpected token: module inside bare module fields")
		}
	}
	return buildModule(root, 0, "")
}

// Index spaces of a module.
const (
	spType = iota
	spFunc
	spTable
	spMem
	spGlobal
	spTag
	spElem
	spData
	numSpaces
)

// spaceWhat names each index space as the spec's error messages do.
var spaceWhat = [numSpaces]string{"type", "function", "table", "memory", "global", "tag", "elem segment", "data segment"}

// space is one index space: how many entries so far and their $ids.
type space struct {
	ids map[string]uint32
	n   uint32
}

// builder converts one module's S-expression into a wasm.Module.
type builder struct {
	m        *wasm.Module
	names    *wasm.Names
	spaces   [numSpaces]space
	fieldIDs map[uint32]map[string]uint32 // struct field ids per type
	// slot and importSlot remember what the binding passes assigned to
	// each field (its index, its entry in Imports), so the conversion pass
	// does not recount.
	slot       map[*sexpr]uint32
	importSlot map[*sexpr]int
	sigIndex   map[string]uint32 // see funcTypeIndex
	endPos     wasm.Pos          // the module's closing parenthesis, for errors at its end
}

func buildModule(mod *sexpr, skip int, id string) (m *wasm.Module, err error) {
	b := &builder{
		m:          &wasm.Module{},
		names:      &wasm.Names{Module: id},
		fieldIDs:   map[uint32]map[string]uint32{},
		slot:       map[*sexpr]uint32{},
		importSlot: map[*sexpr]int{},
		endPos:     mod.end,
	}
	for i := range b.spaces {
		b.spaces[i].ids = map[string]uint32{}
	}
	fields := mod.kids[skip:]
	if err := b.bindTypes(fields); err != nil {
		return nil, err
	}
	if err := b.bindImports(fields); err != nil {
		return nil, err
	}
	if err := b.bindDefinitions(fields); err != nil {
		return nil, err
	}
	if err := b.convertTypes(fields); err != nil {
		return nil, err
	}
	for _, f := range fields {
		if err := b.field(f); err != nil {
			return nil, err
		}
	}
	if err := b.annotations(mod, skip); err != nil {
		return nil, err
	}
	b.m.Names = b.names
	return b.m, nil
}

// bind assigns the next index of a space, recording the $id if any.
func (b *builder) bind(sp int, id string, pos wasm.Pos) (uint32, error) {
	s := &b.spaces[sp]
	idx := s.n
	s.n++
	if id == "" {
		return idx, nil
	}
	if _, dup := s.ids[id]; dup {
		return 0, wasm.MalformedPos(pos, "duplicate %s $%s", spaceWhat[sp], id)
	}
	s.ids[id] = idx
	b.setName(sp, idx, id)
	return idx, nil
}

// setName records the debugging name of an index space entry.
func (b *builder) setName(sp int, idx uint32, id string) {
	var nm *wasm.NameMap
	switch sp {
	case spType:
		nm = &b.names.Types
	case spFunc:
		nm = &b.names.Funcs
	case spTable:
		nm = &b.names.Tables
	case spMem:
		nm = &b.names.Memories
	case spGlobal:
		nm = &b.names.Globals
	case spTag:
		nm = &b.names.Tags
	case spElem:
		nm = &b.names.Elems
	case spData:
		nm = &b.names.Datas
	}
	if *nm == nil {
		*nm = wasm.NameMap{}
	}
	(*nm)[idx] = id
}

// index resolves a reference to an index space entry: a number or an $id.
func (b *builder) index(sp int, n *sexpr) (uint32, error) {
	if n == nil {
		return 0, wasm.MalformedPos(b.endPos, "unexpected token: missing %s index", spaceWhat[sp])
	}
	switch {
	case n.isAtom(tID):
		if idx, ok := b.spaces[sp].ids[n.tok.text]; ok {
			return idx, nil
		}
		return 0, wasm.MalformedPos(n.pos(), "unknown %s $%s", spaceWhat[sp], n.tok.text)
	case n.isAtom(tAtom):
		v, msg := parseU32(n.tok.text)
		if msg != "" {
			return 0, wasm.MalformedPos(n.pos(), "%s", msg)
		}
		return v, nil
	}
	return 0, tokenError(n)
}

// isIndex reports whether n can be an index: a number or an $id.
func isIndex(n *sexpr) bool {
	if n.isAtom(tID) {
		return true
	}
	if n.isAtom(tAtom) {
		_, ok, _ := parseNat(n.tok.text)
		return ok
	}
	return false
}

// bindTypes binds the $ids of every explicit type, so that types may refer
// to each other in any order.
func (b *builder) bindTypes(fields []*sexpr) error {
	bindOne := func(t *sexpr) error {
		c := newCursor(t, 1)
		id, pos, _ := c.optID()
		idx, err := b.bind(spType, id, pos)
		b.slot[t] = idx
		return err
	}
	for _, f := range fields {
		switch f.head() {
		case "type":
			if err := bindOne(f); err != nil {
				return err
			}
			b.m.RecGroups = append(b.m.RecGroups, wasm.RecGroup{First: b.slot[f], Count: 1})
		case "rec":
			first := b.spaces[spType].n
			for _, t := range f.kids[1:] {
				if !t.is("type") {
					return tokenError(t)
				}
				if err := bindOne(t); err != nil {
					return err
				}
			}
			b.m.RecGroups = append(b.m.RecGroups, wasm.RecGroup{First: first, Count: b.spaces[spType].n - first})
		}
	}
	b.m.Types = make([]wasm.SubType, b.spaces[spType].n)
	return nil
}

func (b *builder) convertTypes(fields []*sexpr) error {
	for _, f := range fields {
		switch f.head() {
		case "type":
			if err := b.typeDef(f, b.slot[f]); err != nil {
				return err
			}
		case "rec":
			for _, t := range f.kids[1:] {
				if err := b.typeDef(t, b.slot[t]); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// definitionSpace maps the module fields that define entities to their
// index space.
var definitionSpace = map[string]int{
	"func": spFunc, "table": spTable, "memory": spMem, "global": spGlobal, "tag": spTag,
}

var externKinds = map[string]wasm.ExternKind{
	"func": wasm.ExternFunc, "table": wasm.ExternTable, "memory": wasm.ExternMemory,
	"global": wasm.ExternGlobal, "tag": wasm.ExternTag,
}

// inlineImport returns the (import ...) clause of a definition field, if
// it has one (after its optional $id and inline exports).
func inlineImport(f *sexpr) *sexpr {
	c := newCursor(f, 1)
	c.optID()
	for c.peek().is("export") {
		c.next()
	}
	if c.peek().is("import") {
		return c.peek()
	}
	return nil
}

// bindImports binds every import first, explicit or inline, because
// imports precede definitions in each index space.
func (b *builder) bindImports(fields []*sexpr) error {
	var firstDef *sexpr
	for _, f := range fields {
		h := f.head()
		var sp int
		var id string
		var pos wasm.Pos
		switch {
		case h == "import":
			c := newCursor(f, 1)
			c.next()
			c.next()
			d := c.next()
			s, ok := definitionSpace[d.head()]
			if !ok {
				if d == nil {
					return wasm.MalformedPos(f.end, "unexpected token: missing import description")
				}
				return tokenError(d)
			}
			sp = s
			dc := newCursor(d, 1)
			id, pos, _ = dc.optID()
		case isDefinition(h):
			if inlineImport(f) == nil {
				if firstDef == nil {
					firstDef = f
				}
				continue
			}
			sp = definitionSpace[h]
			c := newCursor(f, 1)
			id, pos, _ = c.optID()
		default:
			continue
		}
		if firstDef != nil {
			what := firstDef.head()
			if what == "func" {
				what = "function"
			}
			return wasm.MalformedPos(f.pos(), "import after %s", what)
		}
		idx, err := b.bind(sp, id, pos)
		if err != nil {
			return err
		}
		b.slot[f] = idx
		b.importSlot[f] = len(b.m.Imports)
		b.m.Imports = append(b.m.Imports, wasm.Import{Pos: f.pos()})
	}
	return nil
}

// bindDefinitions binds the entities the module defines, and the
// segments (including those written inline in tables and memories).
func (b *builder) bindDefinitions(fields []*sexpr) error {
	for _, f := range fields {
		h := f.head()
		c := newCursor(f, 1)
		id, pos, _ := c.optID()
		switch h {
		case "func", "table", "memory", "global", "tag":
			if inlineImport(f) != nil {
				continue
			}
			idx, err := b.bind(definitionSpace[h], id, pos)
			if err != nil {
				return err
			}
			b.slot[f] = idx
			if seg := inlineSegmentKeyword[h]; seg != "" {
				for _, k := range c.kids[c.i:] {
					if k.is(seg) {
						sp := spElem
						if h == "memory" {
							sp = spData
						}
						// The segment's index follows from its place in
						// the text, like any other segment's.
						_, _ = b.bind(sp, "", pos)
						break
					}
				}
			}
		case "elem":
			idx, err := b.bind(spElem, id, pos)
			if err != nil {
				return err
			}
			b.slot[f] = idx
		case "data":
			idx, err := b.bind(spData, id, pos)
			if err != nil {
				return err
			}
			b.slot[f] = idx
		}
	}
	return nil
}

// name reads the next child as a string that must be a valid UTF-8 name.
func name(c *cursor) (string, error) {
	n := c.next()
	if !n.isAtom(tString) {
		return "", unexpected(n, c)
	}
	if !utf8.ValidString(n.tok.text) {
		return "", wasm.MalformedPos(n.pos(), "malformed UTF-8 encoding")
	}
	return n.tok.text, nil
}

// field converts one module field.
func (b *builder) field(f *sexpr) error {
	if !f.list {
		return tokenError(f)
	}
	switch f.head() {
	case "type", "rec":
		return nil // converted first
	case "import":
		return b.importField(f)
	case "func":
		return b.funcField(f)
	case "table":
		return b.tableField(f)
	case "memory":
		return b.memoryField(f)
	case "global":
		return b.globalField(f)
	case "tag":
		return b.tagField(f)
	case "export":
		return b.exportField(f)
	case "start":
		return b.startField(f)
	case "elem":
		return b.elemField(f)
	case "data":
		return b.dataField(f)
	}
	return tokenError(f)
}

// inlineSegmentKeyword is the segment a table or memory may carry inline.
var inlineSegmentKeyword = map[string]string{"table": "elem", "memory": "data"}

func isDefinition(h string) bool {
	_, ok := definitionSpace[h]
	return ok
}

// startField converts (start x); a module has at most one.
func (b *builder) startField(f *sexpr) error {
	if b.m.Start != nil {
		return wasm.MalformedPos(f.pos(), "multiple start sections")
	}
	c := newCursor(f, 1)
	idx, err := b.index(spFunc, c.next())
	if err != nil {
		return err
	}
	if !c.done() {
		return unexpected(c.peek(), c)
	}
	b.m.Start = &idx
	return nil
}
