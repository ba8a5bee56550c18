package text

import (
	"github.com/gcscope/gcscope/engine/wasm"
)

// Tables, memories, globals and tags, with their inline abbreviations:
// (table ... (elem ...)) and (memory (data ...)).

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
