package gc

import (
	"testing"

	"github.com/gcscope/gcscope/engine/wasm"
)

// Canonical type ids the tests register.
const (
	tNode   = 1 // struct { next: ref, val: i32 }
	tRefArr = 2 // array (mut ref)
	tI8Arr  = 3 // array (mut i8)
	tMixed  = 4 // struct { i8 i16 i32 i64 f32 f64 ref v128 }
	tExn    = 5 // func (i32, ref) as a tag type
	tI64Arr = 6 // array (mut i64)
	tV128   = 7 // array (mut v128)
	tEmpty  = 8 // struct {}
	tPair   = 9 // struct { a: ref, b: ref }
)

func field(v wasm.ValType) wasm.FieldType {
	return wasm.FieldType{Storage: wasm.StorageType{Val: v}, Mutable: true}
}

func packed(p wasm.Packed) wasm.FieldType {
	return wasm.FieldType{Storage: wasm.StorageType{Packed: p, Val: wasm.I32}, Mutable: true}
}

func structOf(fs ...wasm.FieldType) *wasm.CompositeType {
	return &wasm.CompositeType{Kind: wasm.CompStruct, Fields: fs}
}

func arrayOf(f wasm.FieldType) *wasm.CompositeType {
	return &wasm.CompositeType{Kind: wasm.CompArray, Fields: []wasm.FieldType{f}}
}

var anyRef = wasm.RefType(true, wasm.HeapAny)

// testHeap is a heap whose roots are the refs in roots, reported as
// globals.
type testHeap struct {
	*Heap
	roots []Ref
}

func newTestHeap(t testing.TB, opts Options) *testHeap {
	t.Helper()
	h, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Close() })
	th := &testHeap{Heap: h}
	defs := map[uint32]*wasm.CompositeType{
		tNode:   structOf(field(anyRef), field(wasm.I32)),
		tRefArr: arrayOf(field(anyRef)),
		tI8Arr:  arrayOf(packed(wasm.PackedI8)),
		tMixed: structOf(packed(wasm.PackedI8), packed(wasm.PackedI16), field(wasm.I32), field(wasm.I64),
			field(wasm.F32), field(wasm.F64), field(anyRef), field(wasm.V128)),
		tExn:    {Kind: wasm.CompFunc, Params: []wasm.ValType{wasm.I32, anyRef}},
		tI64Arr: arrayOf(field(wasm.I64)),
		tV128:   arrayOf(field(wasm.V128)),
		tEmpty:  structOf(),
		tPair:   structOf(field(anyRef), field(anyRef)),
	}
	for id, c := range defs {
		if err := h.DefineType(id, NewLayout(c)); err != nil {
			t.Fatal(err)
		}
	}
	h.SetRootSource(func(visit RootVisitor) {
		for i, r := range th.roots {
			visit(r, RootPlace{Kind: RootGlobal, Index: uint32(i)})
		}
	})
	return th
}

func (th *testHeap) node(t testing.TB, next Ref, val int32) Ref {
	t.Helper()
	r, err := th.AllocStruct(tNode)
	if err != nil {
		t.Fatal(err)
	}
	th.SetField(r, 0, uint64(next))
	th.SetField(r, 1, uint64(uint32(val)))
	return r
}

// count returns the number and total size of allocated objects.
func (th *testHeap) count() (n int, bytes uint64) {
	th.Walk(func(r Ref) bool {
		n++
		bytes += th.SizeOf(r)
		return true
	})
	return n, bytes
}
