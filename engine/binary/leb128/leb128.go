// Package leb128 reads and writes the LEB128 variable-length integers of the
// WebAssembly binary format, with the format's strict limits: at most
// ceil(N/7) bytes for an N-bit integer, and the unused bits of the last byte
// zero (unsigned) or copies of the sign bit (signed).
package leb128

import "errors"

// The ways a LEB128 integer can be malformed. Their texts are the spec
// interpreter's wording, so callers can use them as error messages.
var (
	ErrUnexpectedEnd = errors.New("unexpected end")
	ErrTooLong       = errors.New("integer representation too long")
	ErrTooLarge      = errors.New("integer too large")
)

// Uint32 decodes an unsigned 32-bit integer from the start of b. It returns
// the value and the number of bytes read; on error, n is the index in b of
// the byte at fault (len(b) for a truncated integer).
func Uint32(b []byte) (v uint32, n int, err error) {
	if len(b) > 0 && b[0] < 0x80 {
		return uint32(b[0]), 1, nil // the common one-byte case
	}
	x, n, err := unsigned(b, 32)
	return uint32(x), n, err
}

// Uint64 decodes an unsigned 64-bit integer (see Uint32 for the results).
func Uint64(b []byte) (v uint64, n int, err error) {
	return unsigned(b, 64)
}

// Int32 decodes a signed 32-bit integer (see Uint32 for the results).
func Int32(b []byte) (v int32, n int, err error) {
	x, n, err := signed(b, 32)
	return int32(x), n, err
}

// Int33 decodes the signed 33-bit integers that block types and heap types
// use (see Uint32 for the results).
func Int33(b []byte) (v int64, n int, err error) {
	return signed(b, 33)
}

// Int64 decodes a signed 64-bit integer (see Uint32 for the results).
func Int64(b []byte) (v int64, n int, err error) {
	return signed(b, 64)
}

// unsigned decodes an unsigned integer of the given width. Every byte but the
// last carries 7 bits; the last byte may only use the bits that remain, and a
// continuation past the last allowed byte is "too long".
func unsigned(b []byte, bits int) (uint64, int, error) {
	var x uint64
	var shift int
	for i := 0; ; i++ {
		left := bits - shift // bits this byte may still contribute
		if left <= 0 {
			return 0, i, ErrTooLong
		}
		if i >= len(b) {
			return 0, i, ErrUnexpectedEnd
		}
		c := b[i]
		if left < 7 && uint64(c&0x7f) >= 1<<uint(left) {
			return 0, i, ErrTooLarge
		}
		x |= uint64(c&0x7f) << uint(shift)
		shift += 7
		if c < 0x80 {
			return x, i + 1, nil
		}
	}
}

// signed decodes a signed integer of the given width: in the last allowed
// byte, the bits beyond the width must all equal the sign bit.
func signed(b []byte, bits int) (int64, int, error) {
	var x int64
	var shift int
	for i := 0; ; i++ {
		left := bits - shift
		if left <= 0 {
			return 0, i, ErrTooLong
		}
		if i >= len(b) {
			return 0, i, ErrUnexpectedEnd
		}
		c := b[i]
		if left < 7 {
			// The sign bit and the unused bits above it, within the 7
			// payload bits: all clear or all set.
			mask := byte(0x7f<<uint(left-1)) & 0x7f
			if m := c & mask; m != 0 && m != mask {
				return 0, i, ErrTooLarge
			}
		}
		x |= int64(c&0x7f) << uint(shift)
		shift += 7
		if c < 0x80 {
			if shift < 64 && c&0x40 != 0 {
				x |= -1 << uint(shift) // sign-extend
			}
			return x, i + 1, nil
		}
	}
}

// AppendUint32 appends the shortest encoding of v.
func AppendUint32(dst []byte, v uint32) []byte {
	return AppendUint64(dst, uint64(v))
}

// AppendUint64 appends the shortest encoding of v.
func AppendUint64(dst []byte, v uint64) []byte {
	for v >= 0x80 {
		dst = append(dst, byte(v)|0x80)
		v >>= 7
	}
	return append(dst, byte(v))
}

// AppendInt64 appends the shortest signed encoding of v; it serves every
// signed width (32, 33 and 64 bits), since the shortest form of a value that
// fits a width is valid for that width.
func AppendInt64(dst []byte, v int64) []byte {
	for {
		c := byte(v & 0x7f)
		v >>= 7
		if (v == 0 && c&0x40 == 0) || (v == -1 && c&0x40 != 0) {
			return append(dst, c)
		}
		dst = append(dst, c|0x80)
	}
}

// AppendInt32 appends the shortest signed encoding of v.
func AppendInt32(dst []byte, v int32) []byte { return AppendInt64(dst, int64(v)) }

// SizeUint32 is the length of the shortest encoding of v.
func SizeUint32(v uint32) int {
	n := 1
	for v >= 0x80 {
		v >>= 7
		n++
	}
	return n
}
