package binary

import "github.com/gcscope/gcscope/engine/binary/leb128"

// A few helpers to assemble test binaries by hand, so that each test shows
// the bytes it is about.

func cat(parts ...[]byte) []byte {
	var out []byte
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

func u(v uint32) []byte { return leb128.AppendUint32(nil, v) }

// sec frames a section: id, size, contents.
func sec(id byte, content ...[]byte) []byte {
	c := cat(content...)
	return cat([]byte{id}, u(uint32(len(c))), c)
}

// vec prefixes items with their count.
func vec(items ...[]byte) []byte { return cat(append([][]byte{u(uint32(len(items)))}, items...)...) }

func str(s string) []byte { return cat(u(uint32(len(s))), []byte(s)) }

func module(sections ...[]byte) []byte {
	return cat([]byte("\x00asm\x01\x00\x00\x00"), cat(sections...))
}

// body frames a function body: size, then locals and code.
func body(localsAndCode ...[]byte) []byte {
	c := cat(localsAndCode...)
	return cat(u(uint32(len(c))), c)
}

// oneFunc is a module with type 0 = [] -> [] and one function of that type
// with the given body contents (locals vector included).
func oneFunc(extra [][]byte, code ...[]byte) []byte {
	s := [][]byte{
		sec(1, vec([]byte{0x60, 0x00, 0x00})),
		sec(3, vec([]byte{0x00})),
	}
	s = append(s, extra...)
	s = append(s, sec(10, vec(body(code...))))
	return module(s...)
}
