package mem

import (
	"errors"
	"sync/atomic"
	"unsafe"
)

// Errors of the atomic accessors, worded as the spec's traps.
var (
	ErrOutOfBounds = errors.New("out of bounds memory access")
	ErrUnaligned   = errors.New("unaligned atomic")
)

// RMWOp is the operation of an atomic read-modify-write.
type RMWOp uint8

// The read-modify-write operations of the threads proposal.
const (
	RMWAdd RMWOp = iota
	RMWSub
	RMWAnd
	RMWOr
	RMWXor
	RMWXchg
)

func (op RMWOp) apply(old, v uint64) uint64 {
	switch op {
	case RMWAdd:
		return old + v
	case RMWSub:
		return old - v
	case RMWAnd:
		return old & v
	case RMWOr:
		return old | v
	case RMWXor:
		return old ^ v
	}
	return v
}

// The atomic accessors work on width-byte values (1, 2, 4 or 8) at addr of
// b, which must be a linear memory's bytes (or any slice whose first byte is
// 8-byte aligned and whose length is a multiple of 4). Bounds are checked
// before alignment, as the spec does. Values are little-endian, the byte
// order of every host gcscope targets. 8- and 16-bit accesses are done on
// the aligned 32-bit word that contains them, so they are atomic with
// respect to every other access made through this file.

// check validates an access and returns the address of its aligned 32-bit
// word (for widths below 4) or of the value itself.
func check(b []byte, addr uint64, width int) (unsafe.Pointer, error) {
	w := uint64(width)
	if width != 1 && width != 2 && width != 4 && width != 8 {
		return nil, errors.New("mem: bad atomic width")
	}
	if _, ok := Span(b, addr, w); !ok {
		return nil, ErrOutOfBounds
	}
	if addr%w != 0 {
		return nil, ErrUnaligned
	}
	if width < 4 {
		word := addr &^ 3
		if _, ok := Span(b, word, 4); !ok {
			return nil, ErrOutOfBounds
		}
		return unsafe.Pointer(&b[word]), nil
	}
	return unsafe.Pointer(&b[addr]), nil
}

// subword returns the shift and mask of a 1- or 2-byte value inside its
// little-endian 32-bit word.
func subword(addr uint64, width int) (shift uint, mask uint32) {
	shift = uint(addr&3) * 8
	mask = uint32(1)<<(8*width) - 1
	return shift, mask << shift
}

// AtomicLoad reads a width-byte value atomically, zero-extended.
func AtomicLoad(b []byte, addr uint64, width int) (uint64, error) {
	p, err := check(b, addr, width)
	if err != nil {
		return 0, err
	}
	switch width {
	case 8:
		return atomic.LoadUint64((*uint64)(p)), nil
	case 4:
		return uint64(atomic.LoadUint32((*uint32)(p))), nil
	}
	shift, mask := subword(addr, width)
	return uint64(atomic.LoadUint32((*uint32)(p)) & mask >> shift), nil
}

// AtomicStore writes the low width bytes of v atomically.
func AtomicStore(b []byte, addr uint64, width int, v uint64) error {
	_, err := AtomicRMW(b, addr, width, RMWXchg, v)
	return err
}

// AtomicRMW applies op with operand v to the width-byte value at addr
// atomically and returns the old value, zero-extended.
func AtomicRMW(b []byte, addr uint64, width int, op RMWOp, v uint64) (uint64, error) {
	p, err := check(b, addr, width)
	if err != nil {
		return 0, err
	}
	switch width {
	case 8:
		w := (*uint64)(p)
		for {
			old := atomic.LoadUint64(w)
			if atomic.CompareAndSwapUint64(w, old, op.apply(old, v)) {
				return old, nil
			}
		}
	case 4:
		w := (*uint32)(p)
		for {
			old := atomic.LoadUint32(w)
			if atomic.CompareAndSwapUint32(w, old, uint32(op.apply(uint64(old), v))) {
				return uint64(old), nil
			}
		}
	}
	shift, mask := subword(addr, width)
	w := (*uint32)(p)
	for {
		word := atomic.LoadUint32(w)
		old := word & mask >> shift
		nv := uint32(op.apply(uint64(old), v)) << shift & mask
		if atomic.CompareAndSwapUint32(w, word, word&^mask|nv) {
			return uint64(old), nil
		}
	}
}

// AtomicCmpxchg replaces the width-byte value at addr with replacement if it
// equals expected (both truncated to width), atomically, and returns the old
// value, zero-extended.
func AtomicCmpxchg(b []byte, addr uint64, width int, expected, replacement uint64) (uint64, error) {
	p, err := check(b, addr, width)
	if err != nil {
		return 0, err
	}
	switch width {
	case 8:
		w := (*uint64)(p)
		for {
			old := atomic.LoadUint64(w)
			if old != expected {
				return old, nil
			}
			if atomic.CompareAndSwapUint64(w, old, replacement) {
				return old, nil
			}
		}
	case 4:
		w := (*uint32)(p)
		for {
			old := atomic.LoadUint32(w)
			if old != uint32(expected) {
				return uint64(old), nil
			}
			if atomic.CompareAndSwapUint32(w, old, uint32(replacement)) {
				return uint64(old), nil
			}
		}
	}
	shift, mask := subword(addr, width)
	w := (*uint32)(p)
	exp := uint32(expected) << shift & mask
	rep := uint32(replacement) << shift & mask
	for {
		word := atomic.LoadUint32(w)
		if word&mask != exp {
			return uint64(word & mask >> shift), nil
		}
		if atomic.CompareAndSwapUint32(w, word, word&^mask|rep) {
			return uint64(exp >> shift), nil
		}
	}
}
