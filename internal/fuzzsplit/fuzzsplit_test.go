package fuzzsplit

import (
	"bytes"
	"testing"
)

func TestSplitJoin(t *testing.T) {
	const align = 4096
	file := func(head, text int) []byte {
		b := bytes.Repeat([]byte{0xab}, head)
		if text == 0 {
			return b
		}
		b = append(b, make([]byte, (head+align-1)/align*align-head)...)
		return append(b, bytes.Repeat([]byte{0xcd}, text)...)
	}
	for _, c := range []struct{ head, text int }{{0, 0}, {10, 0}, {900, 0}, {2000, 0}, {300, 16}, {1500, 700}, {4000, 90}, {3000, 1000}, {9000, 4000}} {
		data := file(c.head, c.text)
		h, tl := Split(data, align)
		// Every piece is Len bytes or an equal share of its group.
		for i, p := range h {
			if limit := max(Len, (c.head+Head-1)/Head); len(p) > limit {
				t.Errorf("%+v: head piece %d has %d bytes, more than %d", c, i, len(p), limit)
			}
		}
		for i, p := range tl {
			if limit := max(Len, (c.text+Tail-1)/Tail); len(p) > limit {
				t.Errorf("%+v: tail piece %d has %d bytes, more than %d", c, i, len(p), limit)
			}
		}
		if got := Join(h, tl, align); !bytes.Equal(got, data) {
			t.Errorf("%+v: Join(Split) gives %d bytes, want %d", c, len(got), len(data))
		}
		if c.text > 0 && len(bytes.Join(tl[:], nil)) != c.text {
			t.Errorf("%+v: the tail is not the text", c)
		}
	}
}
