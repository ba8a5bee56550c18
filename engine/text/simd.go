package text

import (
	"encoding/binary"

	"github.com/gcscope/gcscope/engine/wasm"
)

// vecShape describes a v128 lane shape for v128.const.
type vecShape struct {
	lanes int
	width uint // lane width in bits
	float bool
}

var vecShapes = map[string]vecShape{
	"i8x16": {16, 8, false}, "i16x8": {8, 16, false}, "i32x4": {4, 32, false},
	"i64x2": {2, 64, false}, "f32x4": {4, 32, true}, "f64x2": {2, 64, true},
}

// putLane stores a lane's bits little-endian at lane index i.
func putLane(v *[16]byte, sh vecShape, i int, bits uint64) {
	switch sh.width {
	case 8:
		v[i] = byte(bits)
	case 16:
		binary.LittleEndian.PutUint16(v[i*2:], uint16(bits))
	case 32:
		binary.LittleEndian.PutUint32(v[i*4:], uint32(bits))
	case 64:
		binary.LittleEndian.PutUint64(v[i*8:], bits)
	}
}

// laneLiteral parses one lane of a shape.
func laneLiteral(n *sexpr, sh vecShape) (uint64, error) {
	if sh.float {
		f := f32Format
		if sh.width == 64 {
			f = f64Format
		}
		v, msg := parseFloat(n.tok.text, f)
		if msg != "" {
			return 0, wasm.MalformedPos(n.pos(), "%s", msg)
		}
		return v, nil
	}
	v, msg := parseInt(n.tok.text, sh.width)
	if msg != "" {
		return 0, wasm.MalformedPos(n.pos(), "%s", msg)
	}
	return v, nil
}

func isLaneToken(n *sexpr) bool {
	return n.isAtom(tAtom) || n.isAtom(tKeyword) && (n.tok.text == "inf" || len(n.tok.text) >= 3 && n.tok.text[:3] == "nan")
}

// v128Const reads "shape lane*" of v128.const.
func v128Const(c *cursor, pos wasm.Pos) ([16]byte, error) {
	var v [16]byte
	sn := c.next()
	if sn == nil {
		return v, unexpected(nil, c)
	}
	sh, ok := vecShapes[sn.tok.text]
	if !ok || sn.list {
		return v, wasm.MalformedPos(sn.pos(), "unexpected token: expected a vector shape")
	}
	count := 0
	for count < len(c.kids)-c.i && isLaneToken(c.kids[c.i+count]) {
		count++
	}
	if count != sh.lanes {
		return v, wasm.MalformedPos(c.pos(), "wrong number of lane literals")
	}
	for i := 0; i < sh.lanes; i++ {
		n := c.next()
		bits, err := laneLiteral(n, sh)
		if err != nil {
			return v, err
		}
		putLane(&v, sh, i, bits)
	}
	return v, nil
}

// shuffleLanes reads the 16 lane indices of i8x16.shuffle.
func shuffleLanes(c *cursor, pos wasm.Pos) ([16]byte, error) {
	var v [16]byte
	for i := 0; i < 16; i++ {
		if !isLaneToken(c.peek()) {
			return v, wasm.MalformedPos(c.pos(), "invalid lane length")
		}
		l, err := lane(c, true)
		if err != nil {
			return v, err
		}
		v[i] = l
	}
	if isLaneToken(c.peek()) {
		return v, wasm.MalformedPos(c.pos(), "invalid lane length")
	}
	return v, nil
}
