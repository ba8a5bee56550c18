package text

import (
	"math"
	"math/big"
	"math/rand"
	"strconv"
	"testing"
)

func TestParseInt(t *testing.T) {
	tests := []struct {
		in    string
		width uint
		want  uint64
		err   string
	}{
		{"0", 32, 0, ""},
		{"4294967295", 32, 0xFFFFFFFF, ""},
		{"-2147483648", 32, 0x80000000, ""},
		{"-1", 32, 0xFFFFFFFF, ""},
		{"0xffff_ffff", 32, 0xFFFFFFFF, ""},
		{"1_000_000", 32, 1000000, ""},
		{"+42", 32, 42, ""},
		{"4294967296", 32, 0, errOutOfRange},
		{"-2147483649", 32, 0, errOutOfRange},
		{"0x1_0000_0000", 32, 0, errOutOfRange},
		{"18446744073709551615", 64, math.MaxUint64, ""},
		{"-9223372036854775808", 64, 1 << 63, ""},
		{"18446744073709551616", 64, 0, errOutOfRange},
		{"-9223372036854775809", 64, 0, errOutOfRange},
		{"0x1_0000_0000_0000_0000", 64, 0, errOutOfRange},
		{"1__0", 32, 0, errNotNumber},
		{"_1", 32, 0, errNotNumber},
		{"1_", 32, 0, errNotNumber},
		{"0x_1", 32, 0, errNotNumber},
		{"0x", 32, 0, errNotNumber},
		{"", 32, 0, errNotNumber},
		{"-", 32, 0, errNotNumber},
		{"1.0", 32, 0, errNotNumber},
		{"0xg", 32, 0, errNotNumber},
	}
	for _, tc := range tests {
		got, err := parseInt(tc.in, tc.width)
		if err != tc.err || err == "" && got != tc.want {
			t.Errorf("parseInt(%q, %d) = %#x, %q; want %#x, %q", tc.in, tc.width, got, err, tc.want, tc.err)
		}
	}
}

func TestParseFloatExact(t *testing.T) {
	// Expected bits come from the spec suite (const.wast, float_literals.wast).
	tests := []struct {
		in   string
		f    floatFormat
		want uint64
		err  string
	}{
		// f32 ties round to even at the 24-bit boundary.
		{"1.000000059604644775390625", f32Format, 0x3f800000, ""},
		{"1.000000059604644775390626", f32Format, 0x3f800001, ""},
		{"1.000000178813934326171875", f32Format, 0x3f800002, ""},
		{"+0x1.00000100000000000p-50", f32Format, 0x26800000, ""},
		{"+0x1.00000100000000001p-50", f32Format, 0x26800001, ""},
		{"+0x1.000001fffffffffffp-50", f32Format, 0x26800001, ""},
		{"0x1.fffffep127", f32Format, 0x7f7fffff, ""},
		{"0x1.ffffffp127", f32Format, 0, errOutOfRange},
		{"1e39", f32Format, 0, errOutOfRange},
		{"0x1p-149", f32Format, 1, ""},
		{"0x1p-150", f32Format, 0, ""},
		{"0x1.8p-149", f32Format, 2, ""},
		{"0x1", f32Format, 0x3f800000, ""},
		{"0x1.", f32Format, 0x3f800000, ""},
		{"0x.8", f32Format, 0, errNotNumber},
		{"1.", f32Format, 0x3f800000, ""},
		{"1e1", f32Format, 0x41200000, ""},
		{"1_0.0_0e0_1", f32Format, 0x42c80000, ""},
		{"-0", f32Format, 0x80000000, ""},
		{"inf", f32Format, 0x7f800000, ""},
		{"-inf", f64Format, 0xfff0000000000000, ""},
		{"nan", f32Format, 0x7fc00000, ""},
		{"-nan", f32Format, 0xffc00000, ""},
		{"nan:0x200000", f32Format, 0x7fa00000, ""},
		{"-nan:0x7f_ffff", f32Format, 0xffffffff, ""},
		{"nan:0x0", f32Format, 0, errOutOfRange},
		{"nan:0x800000", f32Format, 0, errOutOfRange},
		{"nan:0xfffffffffffff", f64Format, 0x7fffffffffffffff, ""},
		{"nan:0x10000000000000", f64Format, 0, errOutOfRange},
		{"nan:1", f64Format, 0, errNotNumber},
		{"1.0e_1", f32Format, 0, errNotNumber},
		{"1._0", f32Format, 0, errNotNumber},
		{"0x1p", f32Format, 0, errNotNumber},
		{"0x1.0p+_1", f32Format, 0, errNotNumber},
		{"1e+1000000000000", f64Format, 0, errOutOfRange},
		{"1e-1000000000000", f64Format, 0, ""},
		{"0x1.fffffffffffff8p1023", f64Format, 0, errOutOfRange},
		{"0x1.fffffffffffff7ffffffp1023", f64Format, 0x7fefffffffffffff, ""},
		{"4.9406564584124654e-324", f64Format, 1, ""},
		{"2.4703282292062327e-324", f64Format, 0, ""},
		{"2.4703282292062328e-324", f64Format, 1, ""},
	}
	for _, tc := range tests {
		got, err := parseFloat(tc.in, tc.f)
		if err != tc.err || err == "" && got != tc.want {
			t.Errorf("parseFloat(%q, f%d) = %#x, %q; want %#x, %q", tc.in, tc.f.bits, got, err, tc.want, tc.err)
		}
	}
}

// TestParseFloatRounding checks decimal and hex literals against math/big,
// which rounds to nearest even at any precision.
func TestParseFloatRounding(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	for i := 0; i < 3000; i++ {
		var s string
		if i%2 == 0 {
			s = strconv.FormatUint(r.Uint64()>>uint(r.Intn(40)), 10) + "." +
				strconv.FormatUint(r.Uint64(), 10) + "e" + strconv.Itoa(r.Intn(90)-45)
		} else {
			s = "0x" + strconv.FormatUint(r.Uint64()>>uint(r.Intn(60)), 16) + "." +
				strconv.FormatUint(r.Uint64(), 16) + "p" + strconv.Itoa(r.Intn(300)-150)
		}
		exact, _, err := big.ParseFloat(s, 0, 2000, big.ToNearestEven)
		if err != nil {
			t.Fatalf("big.ParseFloat(%q): %v", s, err)
		}
		want32, _ := exact.Float32()
		want64, _ := exact.Float64()
		if got, e := parseFloat(s, f32Format); e == "" && uint32(got) != math.Float32bits(want32) ||
			e != "" && !math.IsInf(float64(want32), 0) {
			t.Errorf("f32 %s: got %#x %q, want %#x", s, got, e, math.Float32bits(want32))
		}
		if got, e := parseFloat(s, f64Format); e != "" || got != math.Float64bits(want64) {
			t.Errorf("f64 %s: got %#x %q, want %#x", s, got, e, math.Float64bits(want64))
		}
	}
}

func TestParseU32(t *testing.T) {
	if v, err := parseU32("0xFFFF_FFFF"); err != "" || v != math.MaxUint32 {
		t.Errorf("parseU32 max = %d, %q", v, err)
	}
	if _, err := parseU32("4294967296"); err != errOutOfRange {
		t.Errorf("parseU32 overflow: %q", err)
	}
	if _, err := parseU32("-1"); err != errNotNumber {
		t.Errorf("parseU32 negative: %q", err)
	}
}
