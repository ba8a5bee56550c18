package printer

import (
	"math"
	"strconv"
)

// appendF32 writes an f32 from its bits so that reading the text back gives
// the same bits: the shortest decimal that round-trips, inf, or nan with its
// payload when it is not the canonical one.
func appendF32(b []byte, bits uint32) []byte {
	const fracMask = 1<<23 - 1
	if bits>>23&0xff == 0xff {
		return appendSpecial(b, bits>>31 != 0, uint64(bits&fracMask), 1<<22)
	}
	return strconv.AppendFloat(b, float64(math.Float32frombits(bits)), 'g', -1, 32)
}

// appendF64 is appendF32 for f64.
func appendF64(b []byte, bits uint64) []byte {
	const fracMask = 1<<52 - 1
	if bits>>52&0x7ff == 0x7ff {
		return appendSpecial(b, bits>>63 != 0, bits&fracMask, 1<<51)
	}
	return strconv.AppendFloat(b, math.Float64frombits(bits), 'g', -1, 64)
}

// appendSpecial writes an infinity (frac 0) or a NaN; canonical is the
// payload that plain "nan" stands for.
func appendSpecial(b []byte, neg bool, frac, canonical uint64) []byte {
	if neg {
		b = append(b, '-')
	}
	switch frac {
	case 0:
		return append(b, "inf"...)
	case canonical:
		return append(b, "nan"...)
	}
	b = append(b, "nan:0x"...)
	return strconv.AppendUint(b, frac, 16)
}

// appendV128 writes a v128.const's operand as four i32 lanes in hex, the
// form that shows the bytes most plainly and reads back exactly.
func appendV128(b []byte, v *[16]byte) []byte {
	b = append(b, "i32x4"...)
	for lane := 0; lane < 4; lane++ {
		x := uint32(v[lane*4]) | uint32(v[lane*4+1])<<8 | uint32(v[lane*4+2])<<16 | uint32(v[lane*4+3])<<24
		b = append(b, " 0x"...)
		for shift := 28; shift >= 0; shift -= 4 {
			b = append(b, hexDigits[x>>uint(shift)&15])
		}
	}
	return b
}
