package gc

import (
	"testing"

	"github.com/gcscope/gcscope/engine/wasm"
)

func TestStructLayout(t *testing.T) {
	l := NewLayout(structOf(packed(wasm.PackedI8), field(wasm.I32), packed(wasm.PackedI16),
		field(wasm.I64), field(anyRef), field(wasm.V128), field(wasm.F32)))
	want := []struct{ off, size uint32 }{{8, 1}, {12, 4}, {16, 2}, {24, 8}, {32, 4}, {40, 16}, {56, 4}}
	if l.Kind != KindStruct || len(l.Fields) != len(want) {
		t.Fatalf("layout %+v", l)
	}
	for i, w := range want {
		if f := l.Fields[i]; f.Offset != w.off || f.Size != w.size {
			t.Errorf("field %d at %d size %d, want %d size %d", i, f.Offset, f.Size, w.off, w.size)
		}
	}
	if l.Size != 64 {
		t.Errorf("size %d, want 64", l.Size)
	}
	if len(l.RefOffsets) != 1 || l.RefOffsets[0] != 32 || !l.Fields[4].Ref() || l.Fields[3].Ref() {
		t.Errorf("ref offsets %v", l.RefOffsets)
	}
	if l.Fields[0].Packed != wasm.PackedI8 || l.Fields[0].Val != wasm.KindI32 {
		t.Errorf("packed field %+v", l.Fields[0])
	}
	if e := NewLayout(structOf()); e.Size != 8 || len(e.Fields) != 0 {
		t.Errorf("empty struct %+v", e)
	}
}

// A subtype appends fields, so every inherited field keeps its offset.
func TestSubtypePrefix(t *testing.T) {
	sup := NewLayout(structOf(packed(wasm.PackedI8), field(anyRef)))
	sub := NewLayout(structOf(packed(wasm.PackedI8), field(anyRef), field(wasm.I64), packed(wasm.PackedI8)))
	for i := range sup.Fields {
		if sup.Fields[i] != sub.Fields[i] {
			t.Fatalf("field %d moved: %+v vs %+v", i, sup.Fields[i], sub.Fields[i])
		}
	}
}

func TestArrayLayout(t *testing.T) {
	cases := []struct {
		f              wasm.FieldType
		off, size      uint32
		ref            bool
		n              uint32
		wantArraySize  uint64
		wantEmptyBytes uint64
	}{
		{packed(wasm.PackedI8), 12, 1, false, 5, 24, 16},
		{packed(wasm.PackedI16), 12, 2, false, 2, 16, 16},
		{field(anyRef), 12, 4, true, 3, 24, 16},
		{field(wasm.F64), 16, 8, false, 2, 32, 16},
		{field(wasm.V128), 16, 16, false, 1, 32, 16},
	}
	for i, c := range cases {
		l := NewLayout(arrayOf(c.f))
		if l.Kind != KindArray || l.ElemOffset != c.off || l.ElemSize != c.size || l.ElemRef != c.ref {
			t.Errorf("case %d: %+v", i, l)
		}
		if got := l.ArraySize(c.n); got != c.wantArraySize {
			t.Errorf("case %d: ArraySize(%d) = %d, want %d", i, c.n, got, c.wantArraySize)
		}
		if got := l.ArraySize(0); got != c.wantEmptyBytes {
			t.Errorf("case %d: empty array %d bytes", i, got)
		}
	}
	if got := NewLayout(arrayOf(field(wasm.V128))).ArraySize(^uint32(0)); got != 16+16*uint64(^uint32(0)) {
		t.Errorf("ArraySize overflowed: %d", got)
	}
}

func TestExnLayout(t *testing.T) {
	l := NewLayout(&wasm.CompositeType{Kind: wasm.CompFunc, Params: []wasm.ValType{wasm.I32, anyRef, wasm.F64}})
	if l.Kind != KindExn || l.Fields[0].Offset != 12 || l.Fields[1].Offset != 16 || l.Fields[2].Offset != 24 || l.Size != 32 {
		t.Fatalf("exn layout %+v", l)
	}
	if len(l.RefOffsets) != 1 || l.RefOffsets[0] != 16 {
		t.Fatalf("exn ref offsets %v", l.RefOffsets)
	}
	if NewLayout(nil) != nil || NewLayout(&wasm.CompositeType{Kind: wasm.CompArray}) != nil {
		t.Fatal("bad composite types got layouts")
	}
}

func TestUnpack(t *testing.T) {
	cases := []struct {
		v      uint64
		p      wasm.Packed
		signed bool
		want   uint32
	}{
		{0xFF, wasm.PackedI8, true, 0xFFFFFFFF},
		{0xFF, wasm.PackedI8, false, 0xFF},
		{0x7F, wasm.PackedI8, true, 0x7F},
		{0x8000, wasm.PackedI16, true, 0xFFFF8000},
		{0x18000, wasm.PackedI16, false, 0x8000},
		{0x1_2345_6789, wasm.NotPacked, true, 0x2345_6789},
	}
	for _, c := range cases {
		if got := Unpack(c.v, c.p, c.signed); got != c.want {
			t.Errorf("Unpack(%#x, %d, %v) = %#x, want %#x", c.v, c.p, c.signed, got, c.want)
		}
	}
}

func TestRefEncoding(t *testing.T) {
	for _, v := range []int32{0, 1, -1, 1<<30 - 1, -1 << 30} {
		r := MakeI31(v)
		if !r.IsI31() || r.IsObject() || r.IsNull() || r.I31S() != v {
			t.Errorf("i31 %d: %#x get_s %d", v, uint32(r), r.I31S())
		}
	}
	if r := MakeI31(-1); r.I31U() != 1<<31-1 {
		t.Errorf("get_u of -1 = %#x", r.I31U())
	}
	if r := MakeI31(1 << 30); r.I31S() != -1<<30 {
		t.Errorf("bit 31 is dropped, bit 30 is the sign: %d", r.I31S())
	}
	if !Null.IsNull() || Null.IsObject() || !Ref(8).IsObject() {
		t.Error("null/object predicates")
	}
}
