package interp

import (
	"encoding/binary"
)

// vec is a v128 value as 16 little-endian bytes. In a frame it takes two
// slots: the low 8 bytes, then the high 8.
type vec [16]byte

func ldv(l []uint64, a uint32) (v vec) {
	binary.LittleEndian.PutUint64(v[:8], l[a])
	binary.LittleEndian.PutUint64(v[8:], l[a+1])
	return v
}

func stv(l []uint64, a uint32, v vec) {
	l[a] = binary.LittleEndian.Uint64(v[:8])
	l[a+1] = binary.LittleEndian.Uint64(v[8:])
}

// lane reads lane i of size bytes, zero-extended.
func (v *vec) lane(size, i int) uint64 {
	b := v[i*size:]
	switch size {
	case 1:
		return uint64(b[0])
	case 2:
		return uint64(binary.LittleEndian.Uint16(b))
	case 4:
		return uint64(binary.LittleEndian.Uint32(b))
	}
	return binary.LittleEndian.Uint64(b)
}

// setLane writes lane i of size bytes (x truncated).
func (v *vec) setLane(size, i int, x uint64) {
	b := v[i*size:]
	switch size {
	case 1:
		b[0] = byte(x)
	case 2:
		binary.LittleEndian.PutUint16(b, uint16(x))
	case 4:
		binary.LittleEndian.PutUint32(b, uint32(x))
	default:
		binary.LittleEndian.PutUint64(b, x)
	}
}

// sext sign-extends a lane value of size bytes.
func sext(x uint64, size int) int64 {
	switch size {
	case 1:
		return int64(int8(x))
	case 2:
		return int64(int16(x))
	case 4:
		return int64(int32(x))
	}
	return int64(x)
}

// mask is an all-ones lane for true, zero for false.
func mask(b bool) uint64 {
	if b {
		return ^uint64(0)
	}
	return 0
}

// satS and satU clamp to a lane's signed or unsigned range.
func satSLane(x int64, size int) uint64 {
	lo, hi := int64(-1)<<(8*size-1), int64(1)<<(8*size-1)-1
	return uint64(min(max(x, lo), hi))
}

func satULane(x int64, size int) uint64 {
	hi := int64(1)<<(8*size) - 1
	return uint64(min(max(x, 0), hi))
}

// Lanewise shapes.

func mapV(x vec, size int, f func(uint64) uint64) (r vec) {
	for i := 0; i < 16/size; i++ {
		r.setLane(size, i, f(x.lane(size, i)))
	}
	return r
}

func zipV(x, y vec, size int, f func(a, b uint64) uint64) (r vec) {
	for i := 0; i < 16/size; i++ {
		r.setLane(size, i, f(x.lane(size, i), y.lane(size, i)))
	}
	return r
}

func splat(size int, x uint64) (r vec) {
	for i := 0; i < 16/size; i++ {
		r.setLane(size, i, x)
	}
	return r
}
