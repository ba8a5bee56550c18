package text

import (
	"github.com/gcscope/gcscope/engine/wasm"
)

// Element and data segments.

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
