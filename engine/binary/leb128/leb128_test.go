package leb128

import (
	"math"
	"testing"
)

type lebCase struct {
	in   []byte
	want int64 // compared as the decoder's type converted to int64
	n    int
	err  error
}

func run[T int32 | int64 | uint32 | uint64](t *testing.T, name string, dec func([]byte) (T, int, error), cases []lebCase) {
	t.Helper()
	for _, c := range cases {
		v, n, err := dec(c.in)
		if err != c.err || n != c.n || (err == nil && int64(v) != c.want) {
			t.Errorf("%s(% x) = %d, %d, %v; want %d, %d, %v", name, c.in, v, n, err, c.want, c.n, c.err)
		}
	}
}

func TestUint32(t *testing.T) {
	run(t, "Uint32", Uint32, []lebCase{
		{[]byte{0x00}, 0, 1, nil},
		{[]byte{0x7f}, 127, 1, nil},
		{[]byte{0x80, 0x01}, 128, 2, nil},
		{[]byte{0xe5, 0x8e, 0x26, 0xff}, 624485, 3, nil},
		{[]byte{0x80, 0x80, 0x80, 0x80, 0x00}, 0, 5, nil}, // padded zero is allowed
		{[]byte{0xff, 0xff, 0xff, 0xff, 0x0f}, math.MaxUint32, 5, nil},
		{[]byte{0xff, 0xff, 0xff, 0xff, 0x1f}, 0, 4, ErrTooLarge},       // bit 32 set
		{[]byte{0xff, 0xff, 0xff, 0xff, 0x70}, 0, 4, ErrTooLarge},       // unused bits set
		{[]byte{0x80, 0x80, 0x80, 0x80, 0x80, 0x00}, 0, 5, ErrTooLong},  // sixth byte
		{[]byte{0x80, 0x80, 0x80, 0x80, 0x8f, 0x00}, 0, 5, ErrTooLong},  // continuation on the fifth
		{[]byte{0x80, 0x80, 0x80, 0x80, 0x90, 0x00}, 0, 4, ErrTooLarge}, // too large wins over too long
		{[]byte{}, 0, 0, ErrUnexpectedEnd},
		{[]byte{0x80}, 0, 1, ErrUnexpectedEnd},
		{[]byte{0xff, 0xff}, 0, 2, ErrUnexpectedEnd},
	})
}

func TestInt32(t *testing.T) {
	run(t, "Int32", Int32, []lebCase{
		{[]byte{0x00}, 0, 1, nil},
		{[]byte{0x3f}, 63, 1, nil},
		{[]byte{0x40}, -64, 1, nil},
		{[]byte{0x7f}, -1, 1, nil},
		{[]byte{0x80, 0x7f}, -128, 2, nil},
		{[]byte{0xff, 0x00}, 127, 2, nil},
		{[]byte{0x80, 0x80, 0x80, 0x80, 0x78}, math.MinInt32, 5, nil},
		{[]byte{0xff, 0xff, 0xff, 0xff, 0x07}, math.MaxInt32, 5, nil},
		{[]byte{0xff, 0xff, 0xff, 0xff, 0x7f}, -1, 5, nil}, // padded -1
		// The unused bits of the last byte must copy the sign bit (0x08).
		{[]byte{0xff, 0xff, 0xff, 0xff, 0x0f}, 0, 4, ErrTooLarge},
		{[]byte{0x80, 0x80, 0x80, 0x80, 0x70}, 0, 4, ErrTooLarge},
		{[]byte{0x80, 0x80, 0x80, 0x80, 0x1f}, 0, 4, ErrTooLarge},
		{[]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0x7f}, 0, 5, ErrTooLong},
		{[]byte{0x80}, 0, 1, ErrUnexpectedEnd},
	})
}

func TestInt33(t *testing.T) {
	run(t, "Int33", Int33, []lebCase{
		{[]byte{0x40}, -64, 1, nil},
		{[]byte{0x70}, -16, 1, nil},
		{[]byte{0xf0, 0x7f}, -16, 2, nil}, // overlong but within five bytes
		{[]byte{0xff, 0xff, 0xff, 0xff, 0x0f}, math.MaxUint32, 5, nil},
		{[]byte{0x80, 0x80, 0x80, 0x80, 0x70}, -1 << 32, 5, nil},
		{[]byte{0xff, 0xff, 0xff, 0xff, 0x1f}, 0, 4, ErrTooLarge},
		{[]byte{0x80, 0x80, 0x80, 0x80, 0x60}, 0, 4, ErrTooLarge},
		{[]byte{0xe0, 0xff, 0xff, 0xff, 0xff, 0x7f}, 0, 5, ErrTooLong},
	})
}

func TestInt64(t *testing.T) {
	run(t, "Int64", Int64, []lebCase{
		{[]byte{0x7f}, -1, 1, nil},
		{[]byte{0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7f}, math.MinInt64, 10, nil},
		{[]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00}, math.MaxInt64, 10, nil},
		{[]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01}, 0, 9, ErrTooLarge},
		{[]byte{0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7e}, 0, 9, ErrTooLarge},
		{[]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f}, 0, 10, ErrTooLong},
	})
}

func TestUint64(t *testing.T) {
	run(t, "Uint64", func(b []byte) (int64, int, error) {
		v, n, err := Uint64(b)
		return int64(v), n, err
	}, []lebCase{
		{[]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01}, -1, 10, nil}, // MaxUint64
		{[]byte{0x82, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x70}, 0, 9, ErrTooLarge},
		{[]byte{0x82, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00}, 0, 10, ErrTooLong},
		{[]byte{0x82, 0x80, 0x80, 0x80, 0x80, 0x00}, 2, 6, nil},
	})
}

// TestAppendRoundTrip checks that every value written comes back, in the
// shortest form (one byte per started group of 7 significant bits).
func TestAppendRoundTrip(t *testing.T) {
	signed := []int64{0, 1, -1, 63, 64, -64, -65, 127, 128, -128, math.MaxInt32, math.MinInt32,
		math.MaxUint32, -1 << 32, math.MaxInt64, math.MinInt64}
	for _, v := range signed {
		b := AppendInt64(nil, v)
		got, n, err := Int64(b)
		if err != nil || got != v || n != len(b) {
			t.Errorf("Int64(AppendInt64(%d) = % x) = %d, %d, %v", v, b, got, n, err)
		}
		bits := 64
		for bits > 1 && (v>>(bits-2) == 0 || v>>(bits-2) == -1) {
			bits-- // the sign bit alone would still represent v
		}
		if want := (bits + 6) / 7; len(b) != want {
			t.Errorf("AppendInt64(%d) took %d bytes, want %d", v, len(b), want)
		}
		if v >= math.MinInt32 && v <= math.MaxInt32 {
			if got, _, err := Int32(AppendInt32(nil, int32(v))); err != nil || int64(got) != v {
				t.Errorf("Int32 round trip of %d: %d, %v", v, got, err)
			}
		}
		if v >= -1<<32 && v <= math.MaxUint32 {
			if got, _, err := Int33(b); err != nil || got != v {
				t.Errorf("Int33 round trip of %d: %d, %v", v, got, err)
			}
		}
	}
	for _, v := range []uint64{0, 127, 128, 16383, 16384, math.MaxUint32, math.MaxUint64} {
		b := AppendUint64(nil, v)
		got, n, err := Uint64(b)
		if err != nil || got != v || n != len(b) {
			t.Errorf("Uint64(AppendUint64(%d)) = %d, %d, %v", v, got, n, err)
		}
		if v <= math.MaxUint32 {
			if SizeUint32(uint32(v)) != len(b) {
				t.Errorf("SizeUint32(%d) = %d, want %d", v, SizeUint32(uint32(v)), len(b))
			}
			if got, _, err := Uint32(AppendUint32(nil, uint32(v))); err != nil || uint64(got) != v {
				t.Errorf("Uint32 round trip of %d: %d, %v", v, got, err)
			}
		}
	}
}
