package text

import (
	"github.com/gcscope/gcscope/engine/wasm"
)

// Imports and exports, including the inline (import ...) and (export ...)
// clauses of definitions.

// importNames reads (import "module" "name").
func importNames(n *sexpr) (string, string, error) {
	c := newCursor(n, 1)
	mod, err := name(c)
	if err != nil {
		return "", "", err
	}
	nm, err := name(c)
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
	mod, err := name(c)
	if err != nil {
		return err
	}
	nm, err := name(c)
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

// exportsAndImport handles the inline (export ...)* (import ...)? clauses
// of a definition field. It returns the import clause if there is one.
func (b *builder) exportsAndImport(c *cursor, kind wasm.ExternKind, idx uint32) (*sexpr, error) {
	for c.peek().is("export") {
		e := c.next()
		ec := newCursor(e, 1)
		nm, err := name(ec)
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

func (b *builder) exportField(f *sexpr) error {
	c := newCursor(f, 1)
	nm, err := name(c)
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
