package mem

import "encoding/binary"

// Span returns b[addr:addr+n] if that range lies inside b, without
// overflowing for any addr and n.
func Span(b []byte, addr, n uint64) ([]byte, bool) {
	l := uint64(len(b))
	if addr > l || n > l-addr {
		return nil, false
	}
	return b[addr : addr+n : addr+n], true
}

// The typed accessors read and write little-endian values at a byte address
// of b, reporting false instead of panicking when the access is out of
// bounds: the interpreter turns false into the trap
// "out of bounds memory access".

// Load8 reads one byte.
func Load8(b []byte, addr uint64) (uint8, bool) {
	if addr >= uint64(len(b)) {
		return 0, false
	}
	return b[addr], true
}

// Load16 reads a little-endian uint16.
func Load16(b []byte, addr uint64) (uint16, bool) {
	s, ok := Span(b, addr, 2)
	if !ok {
		return 0, false
	}
	return binary.LittleEndian.Uint16(s), true
}

// Load32 reads a little-endian uint32.
func Load32(b []byte, addr uint64) (uint32, bool) {
	s, ok := Span(b, addr, 4)
	if !ok {
		return 0, false
	}
	return binary.LittleEndian.Uint32(s), true
}

// Load64 reads a little-endian uint64.
func Load64(b []byte, addr uint64) (uint64, bool) {
	s, ok := Span(b, addr, 8)
	if !ok {
		return 0, false
	}
	return binary.LittleEndian.Uint64(s), true
}

// Store8 writes one byte.
func Store8(b []byte, addr uint64, v uint8) bool {
	if addr >= uint64(len(b)) {
		return false
	}
	b[addr] = v
	return true
}

// Store16 writes a little-endian uint16.
func Store16(b []byte, addr uint64, v uint16) bool {
	s, ok := Span(b, addr, 2)
	if ok {
		binary.LittleEndian.PutUint16(s, v)
	}
	return ok
}

// Store32 writes a little-endian uint32.
func Store32(b []byte, addr uint64, v uint32) bool {
	s, ok := Span(b, addr, 4)
	if ok {
		binary.LittleEndian.PutUint32(s, v)
	}
	return ok
}

// Store64 writes a little-endian uint64.
func Store64(b []byte, addr uint64, v uint64) bool {
	s, ok := Span(b, addr, 8)
	if ok {
		binary.LittleEndian.PutUint64(s, v)
	}
	return ok
}
