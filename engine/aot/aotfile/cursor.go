package aotfile

import "encoding/binary"

// cursor reads little-endian values from one region of the file (a section
// payload, the header) and turns every overrun into an *Error carrying the
// absolute offset. After the first error every read returns zero values, so
// decoders stay linear and stop at their loops' err checks.
type cursor struct {
	b       []byte
	base    int64 // absolute file offset of b[0]
	pos     int
	section string
	err     *Error
}

func newCursor(b []byte, base int64, section string) *cursor {
	return &cursor{b: b, base: base, section: section}
}

// abs is the absolute file offset of position p of the region.
func (c *cursor) abs(p int) int64 { return c.base + int64(p) }

// failAt records the first problem, at region position p.
func (c *cursor) failAt(p int, format string, args ...any) {
	if c.err == nil {
		c.err = errorf(c.abs(p), c.section, format, args...)
	}
}

func (c *cursor) remaining() int { return len(c.b) - c.pos }

// need checks that n more bytes are there for what.
func (c *cursor) need(n int, what string) bool {
	if c.err != nil {
		return false
	}
	if n > c.remaining() {
		c.failAt(len(c.b), "unexpected end of %s reading %s: need %d bytes, %d left", c.section, what, n, c.remaining())
		return false
	}
	return true
}

func (c *cursor) u8(what string) uint8 {
	if !c.need(1, what) {
		return 0
	}
	v := c.b[c.pos]
	c.pos++
	return v
}

func (c *cursor) u16(what string) uint16 {
	if !c.need(2, what) {
		return 0
	}
	v := binary.LittleEndian.Uint16(c.b[c.pos:])
	c.pos += 2
	return v
}

func (c *cursor) u32(what string) uint32 {
	if !c.need(4, what) {
		return 0
	}
	v := binary.LittleEndian.Uint32(c.b[c.pos:])
	c.pos += 4
	return v
}

func (c *cursor) u64(what string) uint64 {
	if !c.need(8, what) {
		return 0
	}
	v := binary.LittleEndian.Uint64(c.b[c.pos:])
	c.pos += 8
	return v
}

// bytes returns a copy of the next n bytes, so the decoded file never
// aliases the caller's buffer (the loader may unmap or reuse it).
func (c *cursor) bytes(n uint64, what string) []byte {
	if n > uint64(c.remaining()) {
		if c.err == nil {
			c.failAt(c.pos, "%s of %d bytes runs past the end of %s (%d bytes left)", what, n, c.section, c.remaining())
		}
		return nil
	}
	if !c.need(int(n), what) {
		return nil
	}
	out := make([]byte, n)
	copy(out, c.b[c.pos:])
	c.pos += int(n)
	return out
}

// count reads a u32 element count and checks that count elements of at least
// minSize bytes each fit in what is left, so that no slice is ever sized from
// an unchecked number.
func (c *cursor) count(minSize int, what string) int {
	at := c.pos
	n := c.u32(what + " count")
	if c.err != nil {
		return 0
	}
	if uint64(n)*uint64(minSize) > uint64(c.remaining()) {
		c.failAt(at, "%s count %d needs at least %d bytes, %d left in %s", what, n, uint64(n)*uint64(minSize), c.remaining(), c.section)
		return 0
	}
	return int(n)
}

// str reads a u32-length-prefixed string of printable ASCII.
func (c *cursor) str(what string) string {
	at := c.pos
	n := c.u32(what + " length")
	b := c.bytes(uint64(n), what)
	if c.err != nil {
		return ""
	}
	if i := badChar(b); i >= 0 {
		c.failAt(at+4+i, "%s: byte 0x%02x is not printable ASCII", what, b[i])
		return ""
	}
	return string(b)
}

// end checks that the region was consumed exactly.
func (c *cursor) end() {
	if c.err == nil && c.pos != len(c.b) {
		c.failAt(c.pos, "%d unused bytes at the end of %s", len(c.b)-c.pos, c.section)
	}
}

// errOrNil returns the recorded problem as an error interface value that is
// nil when there was none (avoiding a typed nil).
func (c *cursor) errOrNil() error {
	if c.err == nil {
		return nil
	}
	return c.err
}

// badChar returns the index of the first byte of b that is not printable
// ASCII, or -1.
func badChar(b []byte) int {
	for i, ch := range b {
		if ch < 0x20 || ch > 0x7e {
			return i
		}
	}
	return -1
}

// le is a little-endian appender the writer uses.
type le []byte

func (w le) u8(v uint8) le   { return append(w, v) }
func (w le) u16(v uint16) le { return binary.LittleEndian.AppendUint16(w, v) }
func (w le) u32(v uint32) le { return binary.LittleEndian.AppendUint32(w, v) }
func (w le) u64(v uint64) le { return binary.LittleEndian.AppendUint64(w, v) }
func (w le) str(s string) le { return append(w.u32(uint32(len(s))), s...) }

// fits32 reports whether n can be stored in a u32 field.
func fits32(n int) bool { return uint64(n) <= 0xFFFF_FFFF }
