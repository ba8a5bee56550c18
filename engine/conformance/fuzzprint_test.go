package conformance

import (
	"math"
	"strconv"
	"strings"
	"testing"
)

// This file prints numbers as binaryen's interpreter does in its
// --fuzz-exec output (Literal::printFloat/printDouble in
// src/wasm/literal.cpp, which use cashew::JSPrinter::numToString of
// src/emscripten-optimizer/simple_ast.h), so that our output can be
// compared with the recorded .fuzzexec.txt files byte for byte.

// binaryenF32 prints an f32 from its bits: NaNs with their payload, the
// rest as the double it widens to.
func binaryenF32(bits uint32) string {
	f := math.Float32frombits(bits)
	if f != f {
		return nanString(bits>>31 != 0, uint64(bits&^0xff800000))
	}
	return binaryenF64(math.Float64bits(float64(f)))
}

// binaryenF64 prints an f64 from its bits.
func binaryenF64(bits uint64) string {
	d := math.Float64frombits(bits)
	switch {
	case d == 0 && math.Signbit(d):
		return "-0"
	case d != d:
		return nanString(bits>>63 != 0, bits&^0xfff0000000000000)
	case math.IsInf(d, 1):
		return "inf"
	case math.IsInf(d, -1):
		return "-inf"
	}
	text := numToString(d)
	if strings.HasPrefix(text, ".") {
		return "0" + text
	}
	if strings.HasPrefix(text, "-.") {
		return "-0" + text[1:]
	}
	return text
}

// nanString prints a NaN as "nan" or "-nan", with ":0x" and its payload
// (the fraction bits, quiet bit included) in hex when they are not zero.
func nanString(neg bool, payload uint64) string {
	s := "nan"
	if neg {
		s = "-nan"
	}
	if payload != 0 {
		s += ":0x" + strconv.FormatUint(payload, 16)
	}
	return s
}

// numToString is JSPrinter::numToString for a finite number: it tries the
// plain (%f) and scientific (%e) forms with the fewest digits that read
// back exactly, trims zeros, writes integers ending in zeros as 12345e3,
// and keeps the more exact, then the shorter, of the two.
func numToString(d float64) string {
	neg := d < 0
	if neg {
		d = -d
	}
	integer := d == math.Trunc(d) && !math.IsInf(d, 0)
	var out [2]string
	var errs [2]float64
	for e := 0; e <= 1; e++ {
		format := byte('f')
		if e == 1 {
			format = 'e'
		}
		var buf string
		if !integer {
			for i := 0; i <= 18; i++ {
				buf = strconv.FormatFloat(d, format, i, 64)
				if readBack(buf) == d {
					break
				}
			}
		} else if d <= float64(math.MaxUint64) {
			buf = strconv.FormatUint(toUint64(d), 10)
		} else if e == 1 {
			buf = strconv.FormatFloat(d, 'e', 6, 64)
		} else {
			buf = strconv.FormatFloat(d, 'f', 0, 64)
		}
		errs[e] = math.Abs(readBack(buf) - d)
		if strings.Contains(buf, ".") {
			buf = trimFraction(buf)
		} else if !integer || e == 0 {
			buf = zerosToExponent(buf)
		}
		out[e] = buf
	}
	var ret string
	if errs[0] == errs[1] {
		ret = out[0]
		if len(out[1]) < len(out[0]) {
			ret = out[1]
		}
	} else if errs[1] < errs[0] {
		ret = out[1]
	} else {
		ret = out[0]
	}
	if neg {
		ret = "-" + ret
	}
	return ret
}

// readBack parses a number as sscanf("%lf") does.
func readBack(s string) float64 {
	f, err := strconv.ParseFloat(s, 64)
	if err != nil && !strings.Contains(err.Error(), "range") {
		panic("numToString: cannot read back " + s)
	}
	return f
}

// toUint64 is wasm::toUInteger64 for a non-negative integral double.
func toUint64(d float64) uint64 {
	if d < float64(math.MaxUint64) {
		return uint64(d)
	}
	return math.MaxUint64
}

// trimFraction removes the zeros that end the digits after the dot, then
// the zeros that start the number ("0.50" becomes ".5").
func trimFraction(s string) string {
	dot := strings.IndexByte(s, '.')
	end := dot + 1
	for end < len(s) && s[end] >= '0' && s[end] <= '9' {
		end++
	}
	digits := strings.TrimRight(s[dot+1:end], "0")
	s = s[:dot+1] + digits + s[end:]
	return strings.TrimLeft(s, "0")
}

// zerosToExponent writes a number without a dot that ends in three or
// more zeros (or has more than 25 digits, whose tail a double cannot
// hold) as its leading digits and a decimal exponent: "12345000" becomes
// "12345e3".
func zerosToExponent(s string) string {
	end := len(s) - 1
	test := end
	for (s[test] == '0' || test > 24) && test > 0 {
		test--
	}
	if num := end - test; num >= 3 {
		return s[:test+1] + "e" + strconv.Itoa(num)
	}
	return s
}

// TestBinaryenNumbers checks the printer on numbers whose binaryen
// spelling appears in the recorded .fuzzexec.txt files or follows from
// the algorithm by hand.
func TestBinaryenNumbers(t *testing.T) {
	f32 := func(f float32) uint32 { return math.Float32bits(f) }
	f64 := math.Float64bits
	cases := []struct {
		got, want string
	}{
		{binaryenF32(0x80800000), "-1.1754943508222875e-38"},  // fuzz2: -FLT_MIN
		{binaryenF32(f32(-0.147)), "-0.1469999998807907"},     // fuzz12
		{binaryenF32(0xffd431 | 0xff000000), "-nan:0x7fd431"}, // fuzz6 (bits 0xffffd431)
		{binaryenF64(0xfff0000000000000 | 0xfffffffffffd5), "-nan:0xfffffffffffd5"},
		{binaryenF64(0x7ff8000000000000), "nan:0x8000000000000"},
		{binaryenF64(f64(0.5)), "0.5"},
		{binaryenF64(f64(-0.25)), "-0.25"},
		{binaryenF64(f64(0)), "0"},
		{binaryenF64(f64(math.Copysign(0, -1))), "-0"},
		{binaryenF64(f64(1)), "1"},
		{binaryenF64(f64(100)), "100"},
		{binaryenF64(f64(1000)), "1e3"},
		{binaryenF64(f64(-12345000)), "-12345e3"},
		{binaryenF64(f64(1.5e-7)), "1.5e-07"},
		{binaryenF64(f64(math.Inf(-1))), "-inf"},
		{binaryenF64(f64(123.456)), "123.456"},
	}
	for _, c := range cases {
		if c.got != c.want {
			t.Errorf("got %s, want %s", c.got, c.want)
		}
	}
}
