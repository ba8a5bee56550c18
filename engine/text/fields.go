package text

import (
	"github.com/gcscope/gcscope/engine/wasm"
)

// Module fields other than types and functions: imports, exports, tables,
// memories, globals, tags, segments, start, and their inline abbreviations.

// importNames reads (import "module" "name").
func importNames(n *sexpr) (string, string, error) {
	c := newCursor(n, 1)
	mod, err := name(c.next())
	if err != nil {
		return "", "", err
	}
	nm, err := name(c.next())
	if err != nil {
		return "", "", err
	}
	if !c.done() {
		return "", "", unexpected(c.peek(), c)
	}
	return mod, nm, nil
}

func (b *builder) importField(f *sexpr) error {
	c := newCursor(f, 1)
	mod, err := name(c.next())
	if err != nil {
		return err
	}
	nm, err := name(c.next())
	if err != nil {
		return err
	}
	d := c.next()
	if !c.done() {
		return unexpected(c.peek(), c)
	}
	dc := newCursor(d, 1)
	dc.optID()
	return b.importDesc(f, d.head(), dc, mod, nm)
}

// importDesc fills the import slot of field f from the description that
// follows the id (and, for inline imports, the import clause).
func (b *builder) importDesc(f *sexpr, kind string, c *cursor, mod, nm string) error {
	imp := &b.m.Imports[b.importSlot[f]]
	imp.Module, imp.Name = mod, nm
	imp.Kind = externKinds[kind]
	switch kind {
	case "func", "tag":
		idx, _, err := b.typeUse(c, true)
		if err != nil {
			return err
		}
		imp.TypeIndex = idx
	case "table":
		tt, err := b.tableType(c)
		if err != nil {
			return err
		}
		imp.Table = tt
	case "memory":
		mt, err := b.memoryType(c)
		if err != nil {
			return err
		}
		imp.Memory = mt
	case "global":
		gt, err := b.globalType(c.next())
		if err != nil {
			return err
		}
		imp.Global = gt
	}
	if !c.done() {
		return unexpected(c.peek(), c)
	}
	return nil
}

// addrType consumes an optional i32/i64 address type.
func addrType(c *cursor) bool {
	if c.peek().isKeyword("i64") {
		c.next()
		return true
	}
	if c.peek().isKeyword("i32") {
		c.next()
	}
	return false
}

// limits reads min max?.
func limits(c *cursor, addr64 bool) (wasm.Limits, error) {
	var l wasm.Limits
	n := c.next()
	if !n.isAtom(tAtom) {
		return l, unexpected(n, c)
	}
	v, msg := parseU64(n.tok.text)
	if msg != "" {
		return l, wasm.MalformedPos(n.pos(), "%s", msg)
	}
	l.Min = v
	if c.peek().isAtom(tAtom) {
		n = c.next()
		v, msg = parseU64(n.tok.text)
		if msg != "" {
			return l, wasm.MalformedPos(n.pos(), "%s", msg)
		}
		l.Max, l.HasMax = v, true
	}
	return l, nil
}

func (b *builder) tableType(c *cursor) (wasm.TableType, error) {
	var tt wasm.TableType
	tt.Addr64 = addrType(c)
	l, err := limits(c, tt.Addr64)
	if err != nil {
		return tt, err
	}
	tt.Limits = l
	rt := c.next()
	if rt == nil {
		return tt, unexpected(nil, c)
	}
	tt.Elem, err = b.refType(rt)
	return tt, err
}

func (b *builder) memoryType(c *cursor) (wasm.MemoryType, error) {
	var mt wasm.MemoryType
	mt.Addr64 = addrType(c)
	l, err := limits(c, mt.Addr64)
	if err != nil {
		return mt, err
	}
	mt.Limits = l
	if c.peek().isKeyword("shared") {
		c.next()
		mt.Shared = true
	} else if c.peek().isKeyword("unshared") {
		c.next()
	}
	return mt, nil
}

func (b *builder) globalType(n *sexpr) (wasm.GlobalType, error) {
	if n.is("mut") {
		c := newCursor(n, 1)
		t, err := b.valType(c.next())
		if err == nil && !c.done() {
			err = unexpected(c.peek(), c)
		}
		return wasm.GlobalType{Val: t, Mutable: true}, err
	}
	t, err := b.valType(n)
	return wasm.GlobalType{Val: t}, err
}

// exportsAndImport handles the inline (export ...)* (import ...)? clauses
// of a definition field. It returns the import clause if there is one.
func (b *builder) exportsAndImport(c *cursor, kind wasm.ExternKind, idx uint32) (*sexpr, error) {
	for c.peek().is("export") {
		e := c.next()
		ec := newCursor(e, 1)
		nm, err := name(ec.next())
		if err != nil {
			return nil, err
		}
		if !ec.done() {
			return nil, unexpected(ec.peek(), ec)
		}
		b.m.Exports = append(b.m.Exports, wasm.Export{Name: nm, Kind: kind, Index: idx, Pos: e.pos()})
	}
	if c.peek().is("import") {
		return c.next(), nil
	}
	return nil, nil
}

// definitionHead reads a definition field's $id, inline exports and
// inline import; for an import it converts the rest and reports done.
func (b *builder) definitionHead(f *sexpr, kind string) (c *cursor, done bool, err error) {
	c = newCursor(f, 1)
	c.optID()
	imp, err := b.exportsAndImport(c, externKinds[kind], b.slot[f])
	if err != nil || imp == nil {
		return c, false, err
	}
	mod, nm, err := importNames(imp)
	if err != nil {
		return c, true, err
	}
	return c, true, b.importDesc(f, kind, c, mod, nm)
}

func (b *builder) tableField(f *sexpr) error {
	c, done, err := b.definitionHead(f, "table")
	if done || err != nil {
		return err
	}
	t := wasm.Table{Pos: f.pos()}
	t.Type.Addr64 = addrType(c)
	if n := c.peek(); n != nil && !n.isAtom(tAtom) {
		// (table addrtype? reftype (elem ...)): limits follow from the items.
		rt, err := b.refType(c.next())
		if err != nil {
			return err
		}
		t.Type.Elem = rt
		e := c.next()
		if !e.is("elem") || !c.done() {
			return unexpected(e, c)
		}
		ec := newCursor(e, 1)
		seg := wasm.ElemSegment{Mode: wasm.SegmentActive, Table: b.slot[f], Type: rt, Pos: e.pos()}
		seg.Offset = constOffset(t.Type.Addr64, e.pos())
		if ec.peek() != nil && !ec.peek().list {
			seg.Init, err = b.funcIndexItems(ec)
		} else {
			seg.Init, err = b.elemExprs(ec)
		}
		if err != nil {
			return err
		}
		n := uint64(len(seg.Init))
		t.Type.Limits = wasm.Limits{Min: n, Max: n, HasMax: true}
		b.m.Tables = append(b.m.Tables, t)
		b.m.Elems = append(b.m.Elems, seg)
		return nil
	}
	l, err := limits(c, t.Type.Addr64)
	if err != nil {
		return err
	}
	t.Type.Limits = l
	rt := c.next()
	if rt == nil {
		return unexpected(nil, c)
	}
	if t.Type.Elem, err = b.refType(rt); err != nil {
		return err
	}
	if !c.done() {
		if t.Init, err = b.constExpr(c, f.end); err != nil {
			return err
		}
	}
	b.m.Tables = append(b.m.Tables, t)
	return nil
}

// constOffset is the offset expression of an inline segment: 0 of the
// table's or memory's address type.
func constOffset(addr64 bool, pos wasm.Pos) wasm.Expr {
	in := wasm.Instr{Op: wasm.OpI32Const, Pos: pos}
	if addr64 {
		in.Op = wasm.OpI64Const
	}
	return wasm.Expr{in, {Op: wasm.OpEnd, Pos: pos}}
}

func (b *builder) memoryField(f *sexpr) error {
	c, done, err := b.definitionHead(f, "memory")
	if done || err != nil {
		return err
	}
	mem := wasm.Memory{Pos: f.pos()}
	if d := c.peek2(); c.peek().is("data") || d.is("data") && (c.peek().isKeyword("i64") || c.peek().isKeyword("i32")) {
		mem.Type.Addr64 = addrType(c)
		d := c.next()
		if !c.done() {
			return unexpected(c.peek(), c)
		}
		dc := newCursor(d, 1)
		data, err := dataStrings(dc)
		if err != nil {
			return err
		}
		pages := (uint64(len(data)) + 65535) / 65536
		mem.Type.Limits = wasm.Limits{Min: pages, Max: pages, HasMax: true}
		b.m.Memories = append(b.m.Memories, mem)
		b.m.Datas = append(b.m.Datas, wasm.DataSegment{Mode: wasm.SegmentActive, Memory: b.slot[f],
			Offset: constOffset(mem.Type.Addr64, d.pos()), Init: data, Pos: d.pos()})
		return nil
	}
	mt, err := b.memoryType(c)
	if err != nil {
		return err
	}
	if !c.done() {
		return unexpected(c.peek(), c)
	}
	mem.Type = mt
	b.m.Memories = append(b.m.Memories, mem)
	return nil
}

// dataStrings concatenates the strings that remain in c.
func dataStrings(c *cursor) ([]byte, error) {
	var out []byte
	for !c.done() {
		n := c.next()
		if !n.isAtom(tString) {
			return nil, tokenError(n)
		}
		out = append(out, n.tok.text...)
	}
	return out, nil
}

func (b *builder) globalField(f *sexpr) error {
	c, done, err := b.definitionHead(f, "global")
	if done || err != nil {
		return err
	}
	g := wasm.Global{Pos: f.pos()}
	if g.Type, err = b.globalType(c.next()); err != nil {
		return err
	}
	if g.Init, err = b.constExpr(c, f.end); err != nil {
		return err
	}
	b.m.Globals = append(b.m.Globals, g)
	return nil
}

func (b *builder) tagField(f *sexpr) error {
	c, done, err := b.definitionHead(f, "tag")
	if done || err != nil {
		return err
	}
	idx, _, err := b.typeUse(c, true)
	if err != nil {
		return err
	}
	if !c.done() {
		return unexpected(c.peek(), c)
	}
	b.m.Tags = append(b.m.Tags, wasm.Tag{Type: wasm.TagType{TypeIndex: idx}, Pos: f.pos()})
	return nil
}

func (b *builder) exportField(f *sexpr) error {
	c := newCursor(f, 1)
	nm, err := name(c.next())
	if err != nil {
		return err
	}
	d := c.next()
	if d == nil || !c.done() {
		return unexpected(c.peek(), c)
	}
	kind, ok := externKinds[d.head()]
	if !ok {
		return tokenError(d)
	}
	dc := newCursor(d, 1)
	idx, err := b.index(definitionSpace[d.head()], dc.next())
	if err != nil {
		return err
	}
	if !dc.done() {
		return unexpected(dc.peek(), dc)
	}
	b.m.Exports = append(b.m.Exports, wasm.Export{Name: nm, Kind: kind, Index: idx, Pos: f.pos()})
	return nil
}

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

// elemField converts the active, passive and declarative element segment
// forms, with item lists as expressions or function indices.
func (b *builder) elemField(f *sexpr) error {
	c := newCursor(f, 1)
	c.optID()
	seg := wasm.ElemSegment{Mode: wasm.SegmentPassive, Pos: f.pos()}
	active := false
	switch {
	case c.peek().isKeyword("declare"):
		c.next()
		seg.Mode = wasm.SegmentDeclarative
	case c.peek().is("table"):
		tc := newCursor(c.next(), 1)
		idx, err := b.index(spTable, tc.next())
		if err != nil {
			return err
		}
		if !tc.done() {
			return unexpected(tc.peek(), tc)
		}
		seg.Table = idx
		active = true
	case c.peek() != nil && c.peek().list && !c.peek().is("ref") && !c.peek().is("item"):
		active = true
	}
	if active {
		seg.Mode = wasm.SegmentActive
		off, err := b.offsetExpr(c, "offset")
		if err != nil {
			return err
		}
		seg.Offset = off
	}
	var err error
	switch n := c.peek(); {
	case n.isKeyword("func"):
		c.next()
		seg.Type = wasm.RefType(false, wasm.HeapFunc)
		seg.Init, err = b.funcIndexItems(c)
	case n == nil || isIndex(n):
		if !active && n != nil {
			return tokenError(n)
		}
		// The abbreviation (elem offset funcidx*) of the MVP.
		seg.Type = wasm.RefType(false, wasm.HeapFunc)
		seg.Init, err = b.funcIndexItems(c)
	default:
		if seg.Type, err = b.refType(c.next()); err != nil {
			return err
		}
		seg.Init, err = b.elemExprs(c)
	}
	if err != nil {
		return err
	}
	b.m.Elems = append(b.m.Elems, seg)
	return nil
}

// offsetExpr reads (offset instr*) or a single folded instruction.
func (b *builder) offsetExpr(c *cursor, kw string) (wasm.Expr, error) {
	n := c.next()
	if n == nil || !n.list {
		return nil, unexpected(n, c)
	}
	if n.is(kw) {
		return b.constExpr(newCursor(n, 1), n.end)
	}
	return b.constExpr(&cursor{n: n, kids: []*sexpr{n}}, n.end)
}

// funcIndexItems turns funcidx* into ref.func item expressions.
func (b *builder) funcIndexItems(c *cursor) ([]wasm.Expr, error) {
	var items []wasm.Expr
	for !c.done() {
		n := c.next()
		idx, err := b.index(spFunc, n)
		if err != nil {
			return nil, err
		}
		items = append(items, wasm.Expr{{Op: wasm.OpRefFunc, Index: idx, Pos: n.pos()}, {Op: wasm.OpEnd, Pos: n.pos()}})
	}
	return items, nil
}

// elemExprs reads (item instr*) or single folded instructions.
func (b *builder) elemExprs(c *cursor) ([]wasm.Expr, error) {
	var items []wasm.Expr
	for !c.done() {
		n := c.next()
		if !n.list {
			return nil, tokenError(n)
		}
		var e wasm.Expr
		var err error
		if n.is("item") {
			e, err = b.constExpr(newCursor(n, 1), n.end)
		} else {
			e, err = b.constExpr(&cursor{n: n, kids: []*sexpr{n}}, n.end)
		}
		if err != nil {
			return nil, err
		}
		items = append(items, e)
	}
	return items, nil
}

func (b *builder) dataField(f *sexpr) error {
	c := newCursor(f, 1)
	c.optID()
	seg := wasm.DataSegment{Mode: wasm.SegmentPassive, Pos: f.pos()}
	if n := c.peek(); n != nil && n.list {
		seg.Mode = wasm.SegmentActive
		if n.is("memory") {
			c.next()
			mc := newCursor(n, 1)
			idx, err := b.index(spMem, mc.next())
			if err != nil {
				return err
			}
			if !mc.done() {
				return unexpected(mc.peek(), mc)
			}
			seg.Memory = idx
		}
		off, err := b.offsetExpr(c, "offset")
		if err != nil {
			return err
		}
		seg.Offset = off
	}
	data, err := dataStrings(c)
	if err != nil {
		return err
	}
	seg.Init = data
	b.m.Datas = append(b.m.Datas, seg)
	return nil
}
