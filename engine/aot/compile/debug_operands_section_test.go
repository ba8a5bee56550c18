package compile

import (
	"encoding/binary"
	"slices"
	"strings"
	"testing"
)

// TestDebugOperandsSection: the debugoperands section round-trips and
// every malformed payload is refused with what is wrong.
func TestDebugOperandsSection(t *testing.T) {
	homes := []bool{false, true, false, false, true}
	b := encodeDebugOperands(homes)
	got, err := DecodeDebugOperands(b, len(homes))
	if err != nil || !slices.Equal(got, homes) {
		t.Fatalf("round trip: %v %v, want %v", got, err, homes)
	}
	u32s := func(v ...uint32) []byte {
		var out []byte
		for _, x := range v {
			out = binary.LittleEndian.AppendUint32(out, x)
		}
		return out
	}
	for _, c := range []struct {
		name string
		b    []byte
		want string
	}{
		{"function count", u32s(4, 0), "lists 4 functions, the file has 5"},
		{"truncated counts", b[:6], "truncated"},
		{"missing entry", b[:len(b)-4], "names 2 functions in 4 bytes"},
		{"trailing bytes", append(slices.Clone(b), 0, 0, 0, 0), "names 2 functions in 12 bytes"},
		{"out of order", u32s(5, 2, 4, 1), "entry 1 names function 1, after 4"},
		{"repeated", u32s(5, 2, 1, 1), "entry 1 names function 1, after 1"},
		{"past the end", u32s(5, 1, 5), "names function 5"},
	} {
		if _, err := DecodeDebugOperands(c.b, len(homes)); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want an error saying %q", c.name, err, c.want)
		}
	}
}
