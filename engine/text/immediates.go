package text

import (
	"math/bits"
	"strings"

	"github.com/gcscope/gcscope/engine/wasm"
)

// plain reads the immediates of a non-block instruction whose mnemonic
// has been consumed, from c (the body stream, or a folded list).
func (fc *funcCtx) plain(op string, pos wasm.Pos, c *cursor) (wasm.Instr, error) {
	b := fc.b
	infos := wasm.LookupName(op)
	if len(infos) == 0 {
		return wasm.Instr{}, keywordError(&sexpr{tok: token{kind: tKeyword, text: op, pos: pos}})
	}
	info := infos[0]
	in := wasm.Instr{Op: info.Op, Pos: pos}
	var err error
	switch info.Imm {
	case wasm.ImmNone, wasm.ImmFence:
		if op == "select" {
			return fc.selectInstr(in, c)
		}
	case wasm.ImmBlock, wasm.ImmTryTable:
		return in, wasm.MalformedPos(pos, "unexpected token %s", op)
	case wasm.ImmLabel:
		in.Index, err = fc.label(c.next(), c)
	case wasm.ImmBrTable:
		ext := &wasm.InstrExt{}
		for isIndex(c.peek()) {
			l, err := fc.label(c.next(), c)
			if err != nil {
				return in, err
			}
			ext.Labels = append(ext.Labels, l)
		}
		if len(ext.Labels) == 0 {
			return in, unexpected(c.peek(), c)
		}
		in.Ext = ext
	case wasm.ImmFunc:
		in.Index, err = b.index(spFunc, c.next())
	case wasm.ImmCallIndirect:
		if isIndex(c.peek()) {
			if in.Index2, err = b.index(spTable, c.next()); err != nil {
				return in, err
			}
		}
		in.Index, _, err = b.typeUse(c, false)
	case wasm.ImmType:
		in.Index, err = b.index(spType, c.next())
	case wasm.ImmLocal:
		in.Index, err = fc.local(c.next(), c)
	case wasm.ImmGlobal:
		in.Index, err = b.index(spGlobal, c.next())
	case wasm.ImmTable:
		in.Index, err = fc.optIndex(spTable, c)
	case wasm.ImmMemory:
		in.Index, err = fc.optIndex(spMem, c)
	case wasm.ImmTag:
		in.Index, err = b.index(spTag, c.next())
	case wasm.ImmData:
		in.Index, err = b.index(spData, c.next())
	case wasm.ImmElem:
		in.Index, err = b.index(spElem, c.next())
	case wasm.ImmMemArg:
		if in.Index, err = fc.optIndex(spMem, c); err == nil {
			err = fc.memArg(info, &in, c)
		}
	case wasm.ImmMemArgLane:
		// memidx? memarg lane: a leading index is the memory only when
		// another number (the lane) follows the memarg.
		if isIndex(c.peek()) && laneFollows(c) {
			if in.Index, err = b.index(spMem, c.next()); err != nil {
				return in, err
			}
		}
		if err = fc.memArg(info, &in, c); err == nil {
			in.Lane, err = lane(c, false)
		}
	case wasm.ImmI32:
		in.Value, err = intImm(c, 32)
	case wasm.ImmI64:
		in.Value, err = intImm(c, 64)
	case wasm.ImmF32:
		in.Value, err = floatImm(c, f32Format)
	case wasm.ImmF64:
		in.Value, err = floatImm(c, f64Format)
	case wasm.ImmV128:
		var v [16]byte
		v, err = v128Const(c, pos)
		in.Ext = &wasm.InstrExt{Bytes: v}
	case wasm.ImmSelectT:
		return fc.selectInstr(in, c)
	case wasm.ImmHeapType:
		var h wasm.HeapType
		h, err = b.heapType(c.next(), c)
		in.Ref = wasm.RefType(true, h)
	case wasm.ImmRefType:
		n := c.next()
		if n == nil {
			return in, unexpected(nil, c)
		}
		if in.Ref, err = b.refType(n); err != nil {
			return in, err
		}
		if in.Ref.Nullable {
			if op == "ref.test" {
				in.Op = wasm.OpRefTestNull
			} else {
				in.Op = wasm.OpRefCastNull
			}
		}
	case wasm.ImmTypeField:
		if in.Index, err = b.index(spType, c.next()); err != nil {
			return in, err
		}
		in.Index2, err = b.fieldIndex(in.Index, c.next(), c)
	case wasm.ImmTypeCount:
		if in.Index, err = b.index(spType, c.next()); err != nil {
			return in, err
		}
		in.Index2, err = u32Imm(c)
	case wasm.ImmTypeData:
		if in.Index, err = b.index(spType, c.next()); err == nil {
			in.Index2, err = b.index(spData, c.next())
		}
	case wasm.ImmTypeElem:
		if in.Index, err = b.index(spType, c.next()); err == nil {
			in.Index2, err = b.index(spElem, c.next())
		}
	case wasm.ImmTypeType:
		if in.Index, err = b.index(spType, c.next()); err == nil {
			in.Index2, err = b.index(spType, c.next())
		}
	case wasm.ImmBrOnCast:
		if in.Index, err = fc.label(c.next(), c); err != nil {
			return in, err
		}
		for _, rt := range []*wasm.ValType{&in.Ref2, &in.Ref} {
			n := c.next()
			if n == nil {
				return in, unexpected(nil, c)
			}
			if *rt, err = b.refType(n); err != nil {
				return in, err
			}
		}
	case wasm.ImmDataMem:
		// memory.init memidx? dataidx
		if isIndex(c.peek()) && isIndex(c.peek2()) {
			if in.Index2, err = b.index(spMem, c.next()); err != nil {
				return in, err
			}
		}
		in.Index, err = b.index(spData, c.next())
	case wasm.ImmElemTable:
		// table.init tableidx? elemidx
		if isIndex(c.peek()) && isIndex(c.peek2()) {
			if in.Index2, err = b.index(spTable, c.next()); err != nil {
				return in, err
			}
		}
		in.Index, err = b.index(spElem, c.next())
	case wasm.ImmMemMem:
		if isIndex(c.peek()) {
			if in.Index, err = b.index(spMem, c.next()); err == nil {
				in.Index2, err = b.index(spMem, c.next())
			}
		}
	case wasm.ImmTableTable:
		if isIndex(c.peek()) {
			if in.Index, err = b.index(spTable, c.next()); err == nil {
				in.Index2, err = b.index(spTable, c.next())
			}
		}
	case wasm.ImmLane:
		in.Lane, err = lane(c, false)
	case wasm.ImmShuffle:
		var v [16]byte
		v, err = shuffleLanes(c, pos)
		in.Ext = &wasm.InstrExt{Bytes: v}
	}
	return in, err
}

// optIndex reads an optional index, defaulting to 0.
func (fc *funcCtx) optIndex(sp int, c *cursor) (uint32, error) {
	if isIndex(c.peek()) {
		return fc.b.index(sp, c.next())
	}
	return 0, nil
}

// local resolves a local by number or $id.
func (fc *funcCtx) local(n *sexpr, c *cursor) (uint32, error) {
	if n.isAtom(tID) {
		if idx, ok := fc.locals[n.tok.text]; ok {
			return idx, nil
		}
		return 0, wasm.MalformedPos(n.pos(), "unknown local $%s", n.tok.text)
	}
	if n.isAtom(tAtom) {
		v, msg := parseU32(n.tok.text)
		if msg != "" {
			return 0, wasm.MalformedPos(n.pos(), "%s", msg)
		}
		return v, nil
	}
	return 0, unexpected(n, c)
}

// fieldIndex resolves a struct field of type typeIdx by number or $id.
func (b *builder) fieldIndex(typeIdx uint32, n *sexpr, c *cursor) (uint32, error) {
	if n.isAtom(tID) {
		if idx, ok := b.fieldIDs[typeIdx][n.tok.text]; ok {
			return idx, nil
		}
		return 0, wasm.MalformedPos(n.pos(), "unknown field $%s", n.tok.text)
	}
	if n.isAtom(tAtom) {
		v, msg := parseU32(n.tok.text)
		if msg != "" {
			return 0, wasm.MalformedPos(n.pos(), "%s", msg)
		}
		return v, nil
	}
	return 0, unexpected(n, c)
}

// selectInstr reads select's optional (result t*)* annotations.
func (fc *funcCtx) selectInstr(in wasm.Instr, c *cursor) (wasm.Instr, error) {
	if !c.peek().is("result") {
		in.Op = wasm.OpSelect
		return in, nil
	}
	in.Op = wasm.OpSelectT
	ext := &wasm.InstrExt{Types: []wasm.ValType{}}
	for c.peek().is("result") {
		rc := newCursor(c.next(), 1)
		for !rc.done() {
			t, err := fc.b.valType(rc.next())
			if err != nil {
				return in, err
			}
			ext.Types = append(ext.Types, t)
		}
	}
	in.Ext = ext
	return in, nil
}

// memArg reads offset=N? align=N?, defaulting to the natural alignment.
func (fc *funcCtx) memArg(info *wasm.OpInfo, in *wasm.Instr, c *cursor) error {
	in.Align = uint32(info.Align)
	if n := c.peek(); n.isAtom(tKeyword) && strings.HasPrefix(n.tok.text, "offset=") {
		c.next()
		v, msg := parseU64(n.tok.text[len("offset="):])
		if msg != "" {
			return wasm.MalformedPos(n.pos(), "%s", msg)
		}
		in.Value = v
	}
	if n := c.peek(); n.isAtom(tKeyword) && strings.HasPrefix(n.tok.text, "align=") {
		c.next()
		v, msg := parseU64(n.tok.text[len("align="):])
		if msg != "" {
			return wasm.MalformedPos(n.pos(), "%s", msg)
		}
		if v == 0 || v&(v-1) != 0 {
			return wasm.MalformedPos(n.pos(), "alignment must be a power of two")
		}
		in.Align = uint32(bits.TrailingZeros64(v))
	}
	return nil
}

// laneFollows reports whether, after the index at the cursor and any
// memarg keywords, another number follows (so the index is a memory).
func laneFollows(c *cursor) bool {
	i := c.i + 1
	for i < len(c.kids) && c.kids[i].isAtom(tKeyword) &&
		(strings.HasPrefix(c.kids[i].tok.text, "offset=") || strings.HasPrefix(c.kids[i].tok.text, "align=")) {
		i++
	}
	return i < len(c.kids) && c.kids[i].isAtom(tAtom)
}

// lane reads a lane index. As in the spec interpreter, an index that is
// not a small natural number is "i8 constant out of range" in a shuffle,
// while a signed or fractional one elsewhere is an unexpected token.
func lane(c *cursor, shuffle bool) (uint8, error) {
	n := c.next()
	if shuffle && isLaneToken(n) && n.tok.kind == tKeyword {
		return 0, wasm.MalformedPos(n.pos(), "i8 constant out of range")
	}
	if !n.isAtom(tAtom) {
		return 0, unexpected(n, c)
	}
	v, ok, over := parseNat(n.tok.text)
	if !ok {
		_, intErr := parseInt(n.tok.text, 64)
		_, floatErr := parseFloat(n.tok.text, f64Format)
		switch {
		case intErr == errNotNumber && floatErr == errNotNumber:
			return 0, wasm.MalformedPos(n.pos(), "unknown operator %s", n.tok.text)
		case shuffle:
			return 0, wasm.MalformedPos(n.pos(), "i8 constant out of range")
		}
		return 0, wasm.MalformedPos(n.pos(), "unexpected token %s", n.tok.text)
	}
	if over || v > 255 {
		return 0, wasm.MalformedPos(n.pos(), "i8 constant out of range")
	}
	return uint8(v), nil
}

func u32Imm(c *cursor) (uint32, error) {
	n := c.next()
	if !n.isAtom(tAtom) {
		return 0, unexpected(n, c)
	}
	v, msg := parseU32(n.tok.text)
	if msg != "" {
		return 0, wasm.MalformedPos(n.pos(), "%s", msg)
	}
	return v, nil
}

func intImm(c *cursor, width uint) (uint64, error) {
	n := c.next()
	if !n.isAtom(tAtom) {
		return 0, unexpected(n, c)
	}
	v, msg := parseInt(n.tok.text, width)
	if msg != "" {
		return 0, wasm.MalformedPos(n.pos(), "%s", msg)
	}
	return v, nil
}

func floatImm(c *cursor, f floatFormat) (uint64, error) {
	n := c.next()
	if n.isAtom(tKeyword) && (n.tok.text == "inf" || strings.HasPrefix(n.tok.text, "nan")) {
		// inf and nan start with a letter, so they lex as keywords.
	} else if !n.isAtom(tAtom) {
		return 0, unexpected(n, c)
	}
	if nanPattern(n) != 0 {
		return 0, wasm.MalformedPos(n.pos(), "unexpected token %s: NaN patterns are only allowed in scripts", n.tok.text)
	}
	v, msg := parseFloat(n.tok.text, f)
	if msg != "" {
		return 0, wasm.MalformedPos(n.pos(), "%s", msg)
	}
	return v, nil
}
