package text

import (
	"github.com/gcscope/gcscope/engine/wasm"
)

// funcField converts (func $f? (export ...)* (import ...)? typeuse
// (local ...)* instr*).
func (b *builder) funcField(f *sexpr) error {
	c, done, err := b.definitionHead(f, "func")
	if done || err != nil {
		return err
	}
	funcIdx := b.slot[f]
	typeIdx, params, err := b.typeUse(c, true)
	if err != nil {
		return err
	}
	fn := wasm.Func{TypeIndex: typeIdx, Pos: f.pos()}
	fc := &funcCtx{b: b, locals: map[string]uint32{}, funcIdx: int64(funcIdx)}
	var n uint32
	bindLocal := func(id string, pos wasm.Pos) error {
		if id != "" {
			if _, dup := fc.locals[id]; dup {
				return wasm.MalformedPos(pos, "duplicate local $%s", id)
			}
			fc.locals[id] = n
			b.localName(funcIdx, n, id)
		}
		n++
		return nil
	}
	for _, p := range params {
		if err := bindLocal(p.id, p.pos); err != nil {
			return err
		}
	}
	for c.peek().is("local") {
		l := c.next()
		lc := newCursor(l, 1)
		if id, pos, ok := lc.optID(); ok {
			t, err := b.valType(lc.next())
			if err != nil {
				return err
			}
			if !lc.done() {
				return unexpected(lc.peek(), lc)
			}
			if err := bindLocal(id, pos); err != nil {
				return err
			}
			fn.Locals = append(fn.Locals, t)
			continue
		}
		for !lc.done() {
			t, err := b.valType(lc.next())
			if err != nil {
				return err
			}
			n++
			fn.Locals = append(fn.Locals, t)
		}
	}
	if err := fc.instrs(c); err != nil {
		return err
	}
	fc.emit(wasm.Instr{Op: wasm.OpEnd, Pos: f.end})
	fn.Body = fc.body
	b.m.Funcs = append(b.m.Funcs, fn)
	return nil
}

func (b *builder) localName(funcIdx, localIdx uint32, id string) {
	if b.names.Locals == nil {
		b.names.Locals = wasm.IndirectNameMap{}
	}
	if b.names.Locals[funcIdx] == nil {
		b.names.Locals[funcIdx] = wasm.NameMap{}
	}
	b.names.Locals[funcIdx][localIdx] = id
}

// labelName records a block label's name, numbered as the name section's
// label subsection does: by the block's position among the function's
// blocks.
func (b *builder) labelName(funcIdx, blockIdx uint32, id string) {
	if b.names.Labels == nil {
		b.names.Labels = wasm.IndirectNameMap{}
	}
	if b.names.Labels[funcIdx] == nil {
		b.names.Labels[funcIdx] = wasm.NameMap{}
	}
	b.names.Labels[funcIdx][blockIdx] = id
}
