package text

import (
	"github.com/gcscope/gcscope/engine/wasm"
)

// Instruction sequences, plain and folded, flattened into the binary
// format's shape: folded operands come first, structured instructions get
// explicit else/catch/end instructions.

// funcCtx is the state of one function body or constant expression.
type funcCtx struct {
	b      *builder
	locals map[string]uint32 // nil in constant expressions
	labels []string          // enclosing block labels, innermost last ("" if unnamed)
	body   []wasm.Instr
	// funcIdx is the function being converted (-1 in constant
	// expressions), and blocks counts its blocks: the name section numbers
	// labels by block, in order of appearance.
	funcIdx int64
	blocks  uint32
}

// frame is a plain (unfolded) structured instruction awaiting its end.
type frame struct {
	op  wasm.Opcode
	pos wasm.Pos
}

func (fc *funcCtx) emit(in wasm.Instr) { fc.body = append(fc.body, in) }

// constExpr reads the instructions left in c as an expression ending at end.
func (b *builder) constExpr(c *cursor, end wasm.Pos) (wasm.Expr, error) {
	fc := &funcCtx{b: b, funcIdx: -1}
	if err := fc.instrs(c); err != nil {
		return nil, err
	}
	fc.emit(wasm.Instr{Op: wasm.OpEnd, Pos: end})
	return fc.body, nil
}

// instrs converts the instruction sequence remaining in c. Plain block
// instructions open frames closed by a later end in the same sequence.
func (fc *funcCtx) instrs(c *cursor) error {
	var open []frame
	for !c.done() {
		n := c.peek()
		if n.list {
			c.next()
			if err := fc.folded(n); err != nil {
				return err
			}
			continue
		}
		if !n.isAtom(tKeyword) {
			return tokenError(n)
		}
		c.next()
		op := n.tok.text
		pos := n.pos()
		switch op {
		case "block", "loop", "if", "try", "try_table":
			in, err := fc.blockHead(op, c, pos)
			if err != nil {
				return err
			}
			fc.emit(in)
			open = append(open, frame{in.Op, pos})
		case "end", "else", "catch", "catch_all", "delegate":
			if len(open) == 0 {
				return wasm.MalformedPos(pos, "unexpected token %s", op)
			}
			top := &open[len(open)-1]
			switch op {
			case "end":
				if err := fc.endLabel(c); err != nil {
					return err
				}
				fc.labels = fc.labels[:len(fc.labels)-1]
				open = open[:len(open)-1]
				fc.emit(wasm.Instr{Op: wasm.OpEnd, Pos: pos})
			case "else":
				if top.op != wasm.OpIf {
					return wasm.MalformedPos(pos, "unexpected token else")
				}
				if err := fc.endLabel(c); err != nil {
					return err
				}
				top.op = wasm.OpElse
				fc.emit(wasm.Instr{Op: wasm.OpElse, Pos: pos})
			case "catch":
				if top.op != wasm.OpTry && top.op != wasm.OpCatch {
					return wasm.MalformedPos(pos, "unexpected token catch")
				}
				tag, err := fc.b.index(spTag, c.next())
				if err != nil {
					return err
				}
				top.op = wasm.OpCatch
				fc.emit(wasm.Instr{Op: wasm.OpCatch, Index: tag, Pos: pos})
			case "catch_all":
				if top.op != wasm.OpTry && top.op != wasm.OpCatch {
					return wasm.MalformedPos(pos, "unexpected token catch_all")
				}
				top.op = wasm.OpCatchAll
				fc.emit(wasm.Instr{Op: wasm.OpCatchAll, Pos: pos})
			case "delegate":
				if top.op != wasm.OpTry {
					return wasm.MalformedPos(pos, "unexpected token delegate")
				}
				// The delegate target is named in the context outside the try.
				fc.labels = fc.labels[:len(fc.labels)-1]
				open = open[:len(open)-1]
				l, err := fc.label(c.next(), c)
				if err != nil {
					return err
				}
				fc.emit(wasm.Instr{Op: wasm.OpDelegate, Index: l, Pos: pos})
			}
		default:
			in, err := fc.plain(op, pos, c)
			if err != nil {
				return err
			}
			fc.emit(in)
		}
	}
	if len(open) > 0 {
		return wasm.MalformedPos(c.pos(), "unexpected token: missing end for block opened at %v", open[len(open)-1].pos)
	}
	return nil
}

// endLabel checks the optional $label after end or else against the
// innermost block's label.
func (fc *funcCtx) endLabel(c *cursor) error {
	id, pos, ok := c.optID()
	if !ok {
		return nil
	}
	if fc.labels[len(fc.labels)-1] != id {
		return wasm.MalformedPos(pos, "mismatching label $%s", id)
	}
	return nil
}

// blockHead reads a block instruction's label, block type and (try_table)
// catch clauses, and pushes its label.
func (fc *funcCtx) blockHead(op string, c *cursor, pos wasm.Pos) (wasm.Instr, error) {
	in := wasm.Instr{Op: wasm.LookupName(op)[0].Op, Pos: pos}
	label, _, _ := c.optID()
	bt, err := fc.blockType(c)
	if err != nil {
		return in, err
	}
	in.Block = bt
	if op == "try_table" {
		// Catch labels are resolved outside the try_table's own label.
		var catches []wasm.Catch
		for {
			n := c.peek()
			kind, ok := catchKinds[n.head()]
			if !ok {
				break
			}
			c.next()
			cc := newCursor(n, 1)
			ct := wasm.Catch{Kind: kind}
			if kind == wasm.CatchTag || kind == wasm.CatchTagRef {
				if ct.Tag, err = fc.b.index(spTag, cc.next()); err != nil {
					return in, err
				}
			}
			if ct.Label, err = fc.label(cc.next(), cc); err != nil {
				return in, err
			}
			if !cc.done() {
				return in, unexpected(cc.peek(), cc)
			}
			catches = append(catches, ct)
		}
		in.Ext = &wasm.InstrExt{Catches: catches}
	}
	fc.labels = append(fc.labels, label)
	if label != "" && fc.funcIdx >= 0 {
		fc.b.labelName(uint32(fc.funcIdx), fc.blocks, label)
	}
	fc.blocks++
	return in, nil
}

var catchKinds = map[string]wasm.CatchKind{
	"catch": wasm.CatchTag, "catch_ref": wasm.CatchTagRef,
	"catch_all": wasm.CatchAll, "catch_all_ref": wasm.CatchAllRef,
}

// blockType reads (type x)? (param t*)* (result t*)*.
func (fc *funcCtx) blockType(c *cursor) (wasm.BlockType, error) {
	b := fc.b
	if c.peek().is("type") {
		idx, _, err := b.typeUse(c, false)
		return wasm.BlockType{Kind: wasm.BlockFunc, Index: idx}, err
	}
	params, _, results, err := b.signature(c, false)
	if err != nil {
		return wasm.BlockType{}, err
	}
	switch {
	case len(params) == 0 && len(results) == 0:
		return wasm.BlockType{Kind: wasm.BlockEmpty}, nil
	case len(params) == 0 && len(results) == 1:
		return wasm.BlockType{Kind: wasm.BlockValue, Value: results[0]}, nil
	}
	return wasm.BlockType{Kind: wasm.BlockFunc, Index: b.funcTypeIndex(params, results)}, nil
}

// label resolves a label reference to its relative depth.
func (fc *funcCtx) label(n *sexpr, c *cursor) (uint32, error) {
	if n == nil {
		return 0, unexpected(nil, c)
	}
	if n.isAtom(tID) {
		for i := len(fc.labels) - 1; i >= 0; i-- {
			if fc.labels[i] == n.tok.text {
				return uint32(len(fc.labels) - 1 - i), nil
			}
		}
		return 0, wasm.MalformedPos(n.pos(), "unknown label $%s", n.tok.text)
	}
	if n.isAtom(tAtom) {
		v, msg := parseU32(n.tok.text)
		if msg != "" {
			return 0, wasm.MalformedPos(n.pos(), "%s", msg)
		}
		return v, nil
	}
	return 0, tokenError(n)
}

// folded converts a parenthesized instruction: operands first.
func (fc *funcCtx) folded(n *sexpr) error {
	if len(n.kids) == 0 || !n.kids[0].isAtom(tKeyword) {
		if len(n.kids) == 0 {
			return wasm.MalformedPos(n.pos(), "unexpected token: empty instruction")
		}
		return tokenError(n.kids[0])
	}
	op := n.kids[0].tok.text
	pos := n.kids[0].pos()
	c := newCursor(n, 1)
	switch op {
	case "block", "loop", "try_table":
		in, err := fc.blockHead(op, c, pos)
		if err != nil {
			return err
		}
		fc.emit(in)
		if err := fc.instrs(c); err != nil {
			return err
		}
		fc.labels = fc.labels[:len(fc.labels)-1]
		fc.emit(wasm.Instr{Op: wasm.OpEnd, Pos: n.end})
		return nil
	case "if":
		return fc.foldedIf(n, c, pos)
	case "else", "end", "catch", "catch_all", "delegate", "then", "do":
		return wasm.MalformedPos(pos, "unexpected token %s", op)
	case "try":
		return fc.foldedTry(n, c, pos)
	}
	in, err := fc.plain(op, pos, c)
	if err != nil {
		return err
	}
	for !c.done() {
		k := c.next()
		if !k.list {
			return tokenError(k)
		}
		if err := fc.folded(k); err != nil {
			return err
		}
	}
	fc.emit(in)
	return nil
}

// foldedIf converts (if label? bt cond* (then instr*) (else instr*)?).
func (fc *funcCtx) foldedIf(n *sexpr, c *cursor, pos wasm.Pos) error {
	first := fc.blocks
	in, err := fc.blockHead("if", c, pos)
	if err != nil {
		return err
	}
	// The conditions come first in the binary: they are outside the if's
	// label, and their blocks are numbered before it.
	label := fc.labels[len(fc.labels)-1]
	fc.labels = fc.labels[:len(fc.labels)-1]
	fc.blocks = first
	if label != "" && fc.funcIdx >= 0 {
		delete(fc.b.names.Labels[uint32(fc.funcIdx)], first)
	}
	for !c.done() && !c.peek().is("then") {
		k := c.next()
		if !k.list {
			return tokenError(k)
		}
		if err := fc.folded(k); err != nil {
			return err
		}
	}
	fc.emit(in)
	fc.labels = append(fc.labels, label)
	if label != "" && fc.funcIdx >= 0 {
		fc.b.labelName(uint32(fc.funcIdx), fc.blocks, label)
	}
	fc.blocks++
	then := c.next()
	if !then.is("then") {
		return unexpected(then, c)
	}
	if err := fc.instrs(newCursor(then, 1)); err != nil {
		return err
	}
	if els := c.peek(); els.is("else") {
		c.next()
		fc.emit(wasm.Instr{Op: wasm.OpElse, Pos: els.kids[0].pos()})
		if err := fc.instrs(newCursor(els, 1)); err != nil {
			return err
		}
	}
	if !c.done() {
		return unexpected(c.peek(), c)
	}
	fc.labels = fc.labels[:len(fc.labels)-1]
	fc.emit(wasm.Instr{Op: wasm.OpEnd, Pos: n.end})
	return nil
}

// foldedTry converts the legacy (try label? bt (do instr*) (catch $t
// instr*)* (catch_all instr*)?) and (try ... (do ...) (delegate l)).
func (fc *funcCtx) foldedTry(n *sexpr, c *cursor, pos wasm.Pos) error {
	in, err := fc.blockHead("try", c, pos)
	if err != nil {
		return err
	}
	fc.emit(in)
	do := c.next()
	if !do.is("do") {
		return unexpected(do, c)
	}
	if err := fc.instrs(newCursor(do, 1)); err != nil {
		return err
	}
	if d := c.peek(); d.is("delegate") {
		c.next()
		fc.labels = fc.labels[:len(fc.labels)-1]
		dc := newCursor(d, 1)
		l, err := fc.label(dc.next(), dc)
		if err != nil {
			return err
		}
		if !dc.done() || !c.done() {
			return unexpected(c.peek(), c)
		}
		fc.emit(wasm.Instr{Op: wasm.OpDelegate, Index: l, Pos: d.kids[0].pos()})
		return nil
	}
	for c.peek().is("catch") {
		k := c.next()
		kc := newCursor(k, 1)
		tag, err := fc.b.index(spTag, kc.next())
		if err != nil {
			return err
		}
		fc.emit(wasm.Instr{Op: wasm.OpCatch, Index: tag, Pos: k.kids[0].pos()})
		if err := fc.instrs(kc); err != nil {
			return err
		}
	}
	if k := c.peek(); k.is("catch_all") {
		c.next()
		fc.emit(wasm.Instr{Op: wasm.OpCatchAll, Pos: k.kids[0].pos()})
		if err := fc.instrs(newCursor(k, 1)); err != nil {
			return err
		}
	}
	if !c.done() {
		return unexpected(c.peek(), c)
	}
	fc.labels = fc.labels[:len(fc.labels)-1]
	fc.emit(wasm.Instr{Op: wasm.OpEnd, Pos: n.end})
	return nil
}
