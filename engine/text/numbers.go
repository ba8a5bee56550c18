package text

import (
	"math"
	"math/bits"
	"strconv"
	"strings"
)

// Number literals follow the spec's lexical grammar exactly: underscores
// only between digits, hex with 0x, hex floats with an optional p exponent,
// inf, nan and nan:0xPAYLOAD. Errors are reported as the two messages the
// spec interpreter uses: "unknown operator" for text that is not a number
// at all, and "constant out of range" for numbers that do not fit.

const (
	errNotNumber  = "unknown operator"
	errOutOfRange = "constant out of range"
)

// cleanDigits checks that s is a digit sequence (hex digits if hex) with
// single underscores only between digits, and returns it without them.
func cleanDigits(s string, hex bool) (string, bool) {
	if s == "" {
		return "", false
	}
	var b strings.Builder
	prevDigit := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '_' {
			if !prevDigit || i == len(s)-1 {
				return "", false
			}
			prevDigit = false
			continue
		}
		if hex && hexVal(c) < 0 || !hex && (c < '0' || c > '9') {
			return "", false
		}
		prevDigit = true
		b.WriteByte(c)
	}
	return b.String(), true
}

// parseNat reads an unsigned integer (decimal or 0x hex). overflow is set
// when it is well-formed but does not fit in 64 bits.
func parseNat(s string) (v uint64, ok, overflow bool) {
	hex := false
	if strings.HasPrefix(s, "0x") {
		hex = true
		s = s[2:]
	}
	d, ok := cleanDigits(s, hex)
	if !ok {
		return 0, false, false
	}
	for i := 0; i < len(d); i++ {
		var digit uint64
		var hi, lo uint64
		if hex {
			digit = uint64(hexVal(d[i]))
			hi, lo = bits.Mul64(v, 16)
		} else {
			digit = uint64(d[i] - '0')
			hi, lo = bits.Mul64(v, 10)
		}
		sum, carry := bits.Add64(lo, digit, 0)
		if hi != 0 || carry != 0 {
			overflow = true
		}
		v = sum
	}
	return v, true, overflow
}

// parseU32 reads an index or other u32 immediate.
func parseU32(s string) (uint32, string) {
	v, ok, over := parseNat(s)
	switch {
	case !ok:
		return 0, errNotNumber
	case over || v > math.MaxUint32:
		return 0, errOutOfRange
	}
	return uint32(v), ""
}

// parseU64 reads a u64 immediate (memory offsets, limits).
func parseU64(s string) (uint64, string) {
	v, ok, over := parseNat(s)
	switch {
	case !ok:
		return 0, errNotNumber
	case over:
		return 0, errOutOfRange
	}
	return v, ""
}

// parseInt reads an integer literal of the given width, accepting both the
// signed and the unsigned range, and returns its two's complement bits.
func parseInt(s string, width uint) (uint64, string) {
	neg := false
	if s != "" && (s[0] == '+' || s[0] == '-') {
		neg = s[0] == '-'
		s = s[1:]
	}
	v, ok, over := parseNat(s)
	if !ok {
		return 0, errNotNumber
	}
	if over {
		return 0, errOutOfRange
	}
	mask := uint64(math.MaxUint64)
	if width < 64 {
		mask = 1<<width - 1
	}
	if neg {
		if v > 1<<(width-1) {
			return 0, errOutOfRange
		}
		return -v & mask, ""
	}
	if v > mask {
		return 0, errOutOfRange
	}
	return v, ""
}

// floatFormat describes f32 or f64 for literal parsing.
type floatFormat struct {
	bits     int // 32 or 64
	mantBits uint
	expMask  uint64 // all exponent bits set
	signBit  uint64
}

var (
	f32Format = floatFormat{bits: 32, mantBits: 23, expMask: 0x7F800000, signBit: 1 << 31}
	f64Format = floatFormat{bits: 64, mantBits: 52, expMask: 0x7FF0000000000000, signBit: 1 << 63}
)

// parseFloat reads a float literal and returns its IEEE bits.
func parseFloat(s string, f floatFormat) (uint64, string) {
	var sign uint64
	if s != "" && (s[0] == '+' || s[0] == '-') {
		if s[0] == '-' {
			sign = f.signBit
		}
		s = s[1:]
	}
	switch {
	case s == "inf":
		return sign | f.expMask, ""
	case s == "nan":
		return sign | f.expMask | 1<<(f.mantBits-1), ""
	case strings.HasPrefix(s, "nan:0x"):
		p, ok := cleanDigits(s[6:], true)
		if !ok {
			return 0, errNotNumber
		}
		v, ok, over := parseNat("0x" + p)
		if !ok {
			return 0, errNotNumber
		}
		if over || v == 0 || v >= 1<<f.mantBits {
			return 0, errOutOfRange
		}
		return sign | f.expMask | v, ""
	}
	clean, ok := cleanFloat(s)
	if !ok {
		return 0, errNotNumber
	}
	v, err := strconv.ParseFloat(clean, f.bits)
	if err != nil {
		if ne, isNum := err.(*strconv.NumError); isNum && ne.Err == strconv.ErrRange && !math.IsInf(v, 0) {
			// Underflow to zero or a subnormal is a correctly rounded value.
			err = nil
		}
	}
	if err != nil || math.IsInf(v, 0) {
		return 0, errOutOfRange
	}
	if f.bits == 32 {
		return sign | uint64(math.Float32bits(float32(v))), ""
	}
	return sign | math.Float64bits(v), ""
}

// cleanFloat validates an unsigned decimal or hex float literal and returns
// it in the form strconv.ParseFloat reads (no underscores, hex floats with
// an explicit p exponent).
func cleanFloat(s string) (string, bool) {
	hex := strings.HasPrefix(s, "0x")
	body := s
	if hex {
		body = s[2:]
	}
	expChars := "eE"
	if hex {
		expChars = "pP"
	}
	mant, exp := body, ""
	hasExp := false
	if i := strings.IndexAny(body, expChars); i >= 0 {
		mant, exp = body[:i], body[i+1:]
		hasExp = true
	}
	intPart, frac := mant, ""
	hasDot := false
	if i := strings.IndexByte(mant, '.'); i >= 0 {
		intPart, frac = mant[:i], mant[i+1:]
		hasDot = true
	}
	ip, ok := cleanDigits(intPart, hex)
	if !ok {
		return "", false
	}
	fp := ""
	if hasDot && frac != "" {
		if fp, ok = cleanDigits(frac, hex); !ok {
			return "", false
		}
	}
	var b strings.Builder
	if hex {
		b.WriteString("0x")
	}
	b.WriteString(ip)
	if fp != "" {
		b.WriteByte('.')
		b.WriteString(fp)
	}
	if hasExp {
		esign := ""
		if exp != "" && (exp[0] == '+' || exp[0] == '-') {
			esign = exp[:1]
			exp = exp[1:]
		}
		e, ok := cleanDigits(exp, false)
		if !ok {
			return "", false
		}
		// Clamp huge exponents: strconv copes, but keep the string short.
		e = strings.TrimLeft(e, "0")
		if e == "" {
			e = "0"
		}
		if len(e) > 9 {
			e = "999999999"
		}
		if hex {
			b.WriteByte('p')
		} else {
			b.WriteByte('e')
		}
		b.WriteString(esign)
		b.WriteString(e)
	} else if hex {
		b.WriteString("p0")
	}
	return b.String(), true
}
