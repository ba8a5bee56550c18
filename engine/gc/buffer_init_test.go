package gc

import (
	"reflect"
	"testing"

	"github.com/gcscope/gcscope/engine/wasm"
)

// TestZeroSpans: the bytes of a struct no written field covers, padding
// included, in order and merged across unwritten fields.
func TestZeroSpans(t *testing.T) {
	// tMixed: i8@8 i16@10 i32@12 i64@16 f32@24 f64@32 ref@40 v128@48, size 64.
	l := NewLayout(structOf(packed(wasm.PackedI8), packed(wasm.PackedI16), field(wasm.I32), field(wasm.I64),
		field(wasm.F32), field(wasm.F64), field(anyRef), field(wasm.V128)))
	all := func(int) bool { return true }
	none := func(int) bool { return false }
	for _, c := range []struct {
		name    string
		written func(int) bool
		want    [][2]uint32
	}{
		{"all fields", all, [][2]uint32{{9, 10}, {28, 32}, {44, 48}}},
		{"no field", none, [][2]uint32{{8, 64}}},
		{"only the i32 and the ref", func(i int) bool { return i == 2 || i == 6 },
			[][2]uint32{{8, 12}, {16, 40}, {44, 64}}},
	} {
		if got := l.ZeroSpans(c.written); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
	if got := NewLayout(structOf()).ZeroSpans(all); got != nil {
		t.Errorf("empty struct: %v, want none", got)
	}
	// i32 then tail padding to 16.
	if got := NewLayout(structOf(field(wasm.I32))).ZeroSpans(all); !reflect.DeepEqual(got, [][2]uint32{{12, 16}}) {
		t.Errorf("struct {i32}: %v", got)
	}
}

// TestPoisonedBuffersHandOutZeroedObjects: with Poison, refilled buffer
// memory holds PoisonByte, and the Go fast path still returns objects
// whose every byte after the header is zero.
func TestPoisonedBuffersHandOutZeroedObjects(t *testing.T) {
	h := newTestHeap(t, Options{Poison: true})
	b := NewBuffer()
	if err := h.AttachBuffer(b); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 200; i++ {
		var r Ref
		var err error
		switch i % 3 {
		case 0:
			r, err = h.AllocStructIn(b, tMixed)
		case 1:
			r, err = h.AllocArrayIn(b, tI8Arr, uint32(i))
		default:
			r, err = h.AllocArrayIn(b, tV128, uint32(i%7))
		}
		if err != nil {
			t.Fatal(err)
		}
		o := h.ObjectBytes(r)
		for j := ArrayLenOffset; j < len(o); j++ {
			if i%3 != 0 && j < ArrayLenOffset+4 {
				continue // the length
			}
			if o[j] != 0 {
				t.Fatalf("object %d byte %d is %#x, want 0", i, j, o[j])
			}
		}
	}
	if c, l := *b.Cursor, *b.Limit; l <= c || h.b[c] != PoisonByte || h.b[l-1] != PoisonByte {
		t.Fatalf("buffer rest [%#x, %#x) is not poisoned", c, l)
	}
	if err := h.Verify(); err != nil {
		t.Fatal(err)
	}
}

// TestStressBuffersStayEmpty: in stress mode a buffer is never refilled,
// so code that bumps it inline always finds no room and takes the slow
// path, which collects.
func TestStressBuffersStayEmpty(t *testing.T) {
	h := newTestHeap(t, Options{Stress: true})
	b := NewBuffer()
	if err := h.AttachBuffer(b); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 10; i++ {
		if _, err := h.AllocStructIn(b, tNode); err != nil {
			t.Fatal(err)
		}
		if _, err := h.AllocArrayIn(b, tI8Arr, 3); err != nil {
			t.Fatal(err)
		}
		if *b.Cursor != 0 || *b.Limit != 0 {
			t.Fatalf("stress mode refilled the buffer: [%#x, %#x)", *b.Cursor, *b.Limit)
		}
	}
	if got := h.Stats().Collections; got != 20 {
		t.Fatalf("%d collections for 20 allocations", got)
	}
}
