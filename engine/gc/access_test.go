package gc

import (
	"errors"
	"math"
	"testing"

	"github.com/gcscope/gcscope/engine/wasm"
)

func TestStructRoundTrip(t *testing.T) {
	h := newTestHeap(t, Options{})
	r, err := h.AllocStruct(tMixed)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 8; i++ {
		if h.GetField(r, i) != 0 {
			t.Fatalf("field %d not zero", i)
		}
	}
	h.SetField(r, 0, 0x1FF)                 // i8: truncated
	h.SetField(r, 1, 0xABCDE)               // i16: truncated
	h.SetField(r, 2, 0xFFFF_FFFF_8000_0001) // i32
	h.SetField(r, 3, 1<<63|42)              // i64
	h.SetField(r, 4, uint64(math.Float32bits(-1.5)))
	h.SetField(r, 5, math.Float64bits(math.Pi))
	h.SetField(r, 6, uint64(MakeI31(-7)))
	h.SetFieldV128(r, 7, 0x0102030405060708, 0x1112131415161718)
	want := []uint64{0xFF, 0xBCDE, 0x8000_0001, 1<<63 | 42, uint64(math.Float32bits(-1.5)), math.Float64bits(math.Pi), uint64(MakeI31(-7))}
	for i, w := range want {
		if got := h.GetField(r, i); got != w {
			t.Errorf("field %d = %#x, want %#x", i, got, w)
		}
	}
	if Unpack(h.GetField(r, 0), wasm.PackedI8, true) != 0xFFFFFFFF || Unpack(h.GetField(r, 1), wasm.PackedI16, true) != 0xFFFFBCDE {
		t.Error("sign extension of packed fields")
	}
	if lo, hi := h.GetFieldV128(r, 7); lo != 0x0102030405060708 || hi != 0x1112131415161718 {
		t.Errorf("v128 = %#x %#x", lo, hi)
	}
	if h.TypeOf(r) != tMixed || h.KindOf(r) != KindStruct || h.SizeOf(r) != uint64(h.Layout(tMixed).Size) {
		t.Error("header")
	}
	// Out-of-range field indices are ignored.
	h.SetField(r, 8, 1)
	h.SetField(r, -1, 1)
	if h.GetField(r, 8) != 0 || h.GetField(r, -1) != 0 {
		t.Error("out-of-range field")
	}
}

func TestArrayRoundTrip(t *testing.T) {
	h := newTestHeap(t, Options{})
	a, err := h.AllocArray(tI8Arr, 10)
	if err != nil {
		t.Fatal(err)
	}
	if h.ArrayLen(a) != 10 || h.KindOf(a) != KindArray || h.TypeOf(a) != tI8Arr {
		t.Fatal("array header")
	}
	for i := uint32(0); i < 10; i++ {
		h.SetElem(a, i, uint64(0x100+i))
	}
	h.SetElem(a, 10, 99) // out of range: ignored
	for i := uint32(0); i < 10; i++ {
		if got := h.GetElem(a, i); got != uint64(i) {
			t.Fatalf("elem %d = %d", i, got)
		}
	}
	if d := h.ArrayData(a); len(d) != 10 || d[9] != 9 {
		t.Fatalf("ArrayData %v", d)
	}
	if h.GetElem(a, 10) != 0 {
		t.Error("read past the end")
	}
	v, _ := h.AllocArray(tV128, 2)
	h.SetElemV128(v, 1, 5, 6)
	if lo, hi := h.GetElemV128(v, 1); lo != 5 || hi != 6 {
		t.Error("v128 elem")
	}
	if err := h.FillArrayV128(v, 0, 2, 7, 8); err != nil {
		t.Fatal(err)
	}
	if lo, hi := h.GetElemV128(v, 0); lo != 7 || hi != 8 {
		t.Error("v128 fill")
	}
}

func TestFillCopy(t *testing.T) {
	h := newTestHeap(t, Options{})
	a, _ := h.AllocArray(tI64Arr, 100)
	if err := h.FillArray(a, 10, 37, 0xDEAD); err != nil {
		t.Fatal(err)
	}
	for i := uint32(0); i < 100; i++ {
		want := uint64(0)
		if i >= 10 && i < 47 {
			want = 0xDEAD
		}
		if h.GetElem(a, i) != want {
			t.Fatalf("fill: elem %d = %#x", i, h.GetElem(a, i))
		}
	}
	if err := h.FillArray(a, 90, 11, 1); !errors.Is(err, ErrOutOfBounds) || h.GetElem(a, 90) != 0 {
		t.Fatalf("fill past the end: %v", err)
	}
	if err := h.FillArray(a, 100, 0, 1); err != nil {
		t.Fatalf("empty fill at the end: %v", err)
	}
	if err := h.FillArray(a, ^uint32(0), 2, 1); !errors.Is(err, ErrOutOfBounds) {
		t.Fatal("overflowing range accepted")
	}
	for i := uint32(0); i < 100; i++ {
		h.SetElem(a, i, uint64(i))
	}
	// Overlapping forward copy: memmove, not a smear.
	if err := h.CopyArray(a, 5, a, 0, 10); err != nil {
		t.Fatal(err)
	}
	for i := uint32(0); i < 10; i++ {
		if h.GetElem(a, 5+i) != uint64(i) {
			t.Fatalf("overlapping copy: elem %d = %d", 5+i, h.GetElem(a, 5+i))
		}
	}
	b, _ := h.AllocArray(tI8Arr, 4)
	if err := h.CopyArray(b, 0, a, 0, 4); !errors.Is(err, ErrBadRef) {
		t.Fatalf("copy between element sizes: %v", err)
	}
	if err := h.CopyArray(a, 0, a, 95, 10); !errors.Is(err, ErrOutOfBounds) {
		t.Fatalf("copy past the end: %v", err)
	}
	if err := h.CopyArray(Null, 0, a, 0, 0); !errors.Is(err, ErrBadRef) {
		t.Fatalf("copy to null: %v", err)
	}
}

func TestSmallObjects(t *testing.T) {
	h := newTestHeap(t, Options{})
	f, _ := h.AllocFunc(17)
	g, _ := h.AllocFuncOf(tExn, 18)
	x, _ := h.AllocExtern(99)
	e, err := h.AllocExn(tExn, 3)
	if err != nil {
		t.Fatal(err)
	}
	if id, ok := h.FuncID(f); !ok || id != 17 || h.TypeOf(f) != NoType || h.KindOf(f) != KindFunc {
		t.Error("funcref")
	}
	if id, ok := h.FuncID(g); !ok || id != 18 || h.TypeOf(g) != tExn {
		t.Error("typed funcref")
	}
	if id, ok := h.ExternHost(x); !ok || id != 99 || h.KindOf(x) != KindExtern {
		t.Error("extern")
	}
	if _, ok := h.FuncID(x); ok {
		t.Error("extern taken for a funcref")
	}
	h.SetField(e, 0, 5)
	h.SetField(e, 1, uint64(x))
	if tag, ok := h.ExnTag(e); !ok || tag != 3 || h.GetField(e, 0) != 5 || Ref(h.GetField(e, 1)) != x {
		t.Error("exception")
	}
	if h.SizeOf(f) != SmallObjectSize || h.SizeOf(x) != SmallObjectSize {
		t.Error("small object size")
	}
	if raw := h.ObjectBytes(x); len(raw) != SmallObjectSize || raw[GCBitsOffset] != byte(KindExtern) || raw[PayloadOffset] != 99 {
		t.Errorf("ObjectBytes % x", raw)
	}
	if h.ObjectBytes(MakeI31(1)) != nil {
		t.Error("ObjectBytes of an i31")
	}
}

// Nothing the accessors are given makes them panic.
func TestBadRefs(t *testing.T) {
	h := newTestHeap(t, Options{})
	s := h.node(t, Null, 1)
	bad := []Ref{Null, MakeI31(3), s + 2, s + 8, s + 4, Ref(1 << 31), ^Ref(0) - 1, 4}
	for _, r := range bad {
		if h.Valid(r) || h.KindOf(r) != KindFree || h.TypeOf(r) != NoType || h.LayoutOf(r) != nil || h.SizeOf(r) != 0 {
			t.Errorf("%#x taken for an object", uint32(r))
		}
		h.SetField(r, 0, 1)
		h.SetElem(r, 0, 1)
		h.SetFieldV128(r, 0, 1, 1)
		if h.GetField(r, 0) != 0 || h.GetElem(r, 0) != 0 || h.ArrayLen(r) != 0 || h.ArrayData(r) != nil {
			t.Errorf("%#x read", uint32(r))
		}
		if err := h.FillArray(r, 0, 0, 0); err == nil {
			t.Errorf("fill of %#x", uint32(r))
		}
		h.VisitRefs(r, func(uint32, Ref) { t.Error("visited") })
	}
	if h.GetField(s, 1) != 1 {
		t.Error("bad writes reached a real object")
	}
	// A struct is not an array and vice versa.
	if h.ArrayLen(s) != 0 || h.GetElem(s, 0) != 0 {
		t.Error("struct read as array")
	}
	a, _ := h.AllocArray(tI8Arr, 1)
	if h.GetField(a, 0) != 0 {
		t.Error("array read as struct")
	}
	if _, err := h.AllocStruct(tI8Arr); !errors.Is(err, ErrUndefinedType) {
		t.Errorf("struct of an array type: %v", err)
	}
	if _, err := h.AllocArray(1000, 1); !errors.Is(err, ErrUndefinedType) {
		t.Errorf("undefined type: %v", err)
	}
	if _, err := h.AllocExn(tNode, 0); !errors.Is(err, ErrUndefinedType) {
		t.Errorf("exception of a struct type: %v", err)
	}
}

func TestDefineType(t *testing.T) {
	h := newTestHeap(t, Options{})
	if err := h.DefineType(tNode, NewLayout(structOf(field(anyRef), field(wasm.I32)))); err != nil {
		t.Errorf("redefining the same shape: %v", err)
	}
	if err := h.DefineType(tNode, NewLayout(structOf(field(wasm.I64)))); !errors.Is(err, ErrTypeConflict) {
		t.Errorf("redefining another shape: %v", err)
	}
	if err := h.DefineType(50, nil); err == nil {
		t.Error("nil layout accepted")
	}
	if err := h.DefineType(maxTypeID, NewLayout(structOf())); err == nil {
		t.Error("huge id accepted")
	}
}

func TestVisitRefs(t *testing.T) {
	h := newTestHeap(t, Options{})
	n := h.node(t, Null, 0)
	m := h.node(t, n, 0)
	a, _ := h.AllocArray(tRefArr, 3)
	h.SetElem(a, 2, uint64(m))
	var got []Ref
	h.VisitRefs(a, func(slot uint32, c Ref) { got = append(got, c) })
	if len(got) != 3 || got[2] != m || got[0] != Null {
		t.Errorf("array edges %v", got)
	}
	got = nil
	h.VisitRefs(m, func(slot uint32, c Ref) {
		if slot != 0 {
			t.Errorf("slot %d", slot)
		}
		got = append(got, c)
	})
	if len(got) != 1 || got[0] != n {
		t.Errorf("struct edges %v", got)
	}
}

func TestClosedHeap(t *testing.T) {
	h := newTestHeap(t, Options{})
	r := h.node(t, Null, 1)
	if err := h.Close(); err != nil {
		t.Fatal(err)
	}
	if h.Valid(r) || h.GetField(r, 1) != 0 {
		t.Error("closed heap readable")
	}
	if _, err := h.AllocStruct(tNode); !errors.Is(err, ErrClosed) {
		t.Errorf("alloc after close: %v", err)
	}
	if err := h.Collect(); !errors.Is(err, ErrClosed) {
		t.Errorf("collect after close: %v", err)
	}
	h.Walk(func(Ref) bool { t.Error("walked a closed heap"); return true })
}
