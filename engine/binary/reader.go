package binary

import (
	"unicode/utf8"

	"github.com/gcscope/gcscope/engine/binary/leb128"
	"github.com/gcscope/gcscope/engine/wasm"
)

// Messages for running out of bytes. Inside a section or function the spec
// interpreter says the longer form; reading the header and section framing it
// says the short one (the long one begins with the short one, so scripts
// expecting either match).
const (
	msgEnd        = "unexpected end"
	msgEndSection = "unexpected end of section or function"
)

// reader walks the module's bytes. Errors are sticky: after the first one,
// reads return zero values and leave pos alone, and loops stop when they see
// err set. This keeps the decoding code linear without losing the place and
// wording of the first problem.
type reader struct {
	b   []byte
	pos int
	err *wasm.Error
	// endMsg is what running out of bytes is called at the moment.
	endMsg string
	// fn is the function index (in the function index space) whose body is
	// being read, or -1; errors carry it.
	fn int64
	// scratch and slab hold instruction sequences (see exactInstrs).
	scratch, slab []wasm.Instr
}

func newReader(b []byte) *reader {
	return &reader{b: b, endMsg: msgEnd, fn: -1}
}

// failAt records the first error.
func (r *reader) failAt(off int, format string, args ...any) {
	if r.err != nil {
		return
	}
	r.err = wasm.MalformedAt(int64(off), format, args...)
	r.err.Func = r.fn
}

func (r *reader) failEnd() { r.failAt(len(r.b), "%s", r.endMsg) }

func (r *reader) remaining() int { return len(r.b) - r.pos }

func (r *reader) eof() bool { return r.pos >= len(r.b) }

// byte reads one byte.
func (r *reader) byte() byte {
	if r.err != nil {
		return 0
	}
	if r.pos >= len(r.b) {
		r.failEnd()
		return 0
	}
	c := r.b[r.pos]
	r.pos++
	return c
}

// peek returns the next byte without consuming it, and false at the end.
func (r *reader) peek() (byte, bool) {
	if r.err != nil || r.pos >= len(r.b) {
		return 0, false
	}
	return r.b[r.pos], true
}

// bytes reads n raw bytes (sharing the input's memory); none is nil, as
// elsewhere in a decoded module.
func (r *reader) bytes(n int) []byte {
	if r.err != nil || n == 0 {
		return nil
	}
	if n < 0 || n > r.remaining() {
		r.failEnd()
		return nil
	}
	s := r.b[r.pos : r.pos+n : r.pos+n]
	r.pos += n
	return s
}

// lebErr turns a LEB128 failure at input index r.pos+n into a module error.
func (r *reader) lebErr(n int, err error) {
	if err == leb128.ErrUnexpectedEnd {
		r.failEnd()
		return
	}
	r.failAt(r.pos+n, "%s", err.Error())
}

func (r *reader) u32() uint32 {
	if r.err != nil {
		return 0
	}
	if r.pos < len(r.b) && r.b[r.pos] < 0x80 {
		v := r.b[r.pos]
		r.pos++
		return uint32(v)
	}
	v, n, err := leb128.Uint32(r.b[r.pos:])
	if err != nil {
		r.lebErr(n, err)
		return 0
	}
	r.pos += n
	return v
}

func (r *reader) u64() uint64 {
	if r.err != nil {
		return 0
	}
	v, n, err := leb128.Uint64(r.b[r.pos:])
	if err != nil {
		r.lebErr(n, err)
		return 0
	}
	r.pos += n
	return v
}

func (r *reader) s32() int32 {
	if r.err != nil {
		return 0
	}
	v, n, err := leb128.Int32(r.b[r.pos:])
	if err != nil {
		r.lebErr(n, err)
		return 0
	}
	r.pos += n
	return v
}

func (r *reader) s33() int64 {
	if r.err != nil {
		return 0
	}
	v, n, err := leb128.Int33(r.b[r.pos:])
	if err != nil {
		r.lebErr(n, err)
		return 0
	}
	r.pos += n
	return v
}

func (r *reader) s64() int64 {
	if r.err != nil {
		return 0
	}
	v, n, err := leb128.Int64(r.b[r.pos:])
	if err != nil {
		r.lebErr(n, err)
		return 0
	}
	r.pos += n
	return v
}

// fixed32 and fixed64 read little-endian words (float immediates).
func (r *reader) fixed32() uint32 {
	s := r.bytes(4)
	if s == nil {
		return 0
	}
	return uint32(s[0]) | uint32(s[1])<<8 | uint32(s[2])<<16 | uint32(s[3])<<24
}

func (r *reader) fixed64() uint64 {
	lo := uint64(r.fixed32())
	return lo | uint64(r.fixed32())<<32
}

// count reads a vector length. It is not checked against the bytes left:
// reading the elements runs into the end of the input soon enough, with the
// error the spec interpreter gives. Callers size allocations with capFor,
// never with the count itself.
func (r *reader) count() int {
	return int(r.u32())
}

// capFor bounds a preallocation for n elements of at least minSize bytes
// each by what the remaining input can hold, so a huge count in a small
// file allocates nothing large.
func (r *reader) capFor(n, minSize int) int {
	if most := r.remaining() / minSize; n > most {
		return most
	}
	return n
}

// name reads a length-prefixed UTF-8 string.
func (r *reader) name() string {
	start := r.pos
	n := r.u32()
	if r.err != nil {
		return ""
	}
	if uint64(n) > uint64(r.remaining()) {
		r.failAt(start, "length out of bounds: name of %d bytes, %d left", n, r.remaining())
		return ""
	}
	s := r.bytes(int(n))
	if !utf8.Valid(s) {
		r.failAt(start, "malformed UTF-8 encoding")
		return ""
	}
	return string(s)
}

// expectZero reads a reserved byte that must be zero.
func (r *reader) expectZero() {
	at := r.pos
	if c := r.byte(); c != 0 && r.err == nil {
		r.failAt(at, "zero byte expected")
	}
}
