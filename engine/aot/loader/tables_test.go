package loader

import (
	"testing"
	"unsafe"

	"github.com/gcscope/gcscope/engine/runtime"
	"github.com/gcscope/gcscope/engine/wasm"
)

// TestTableDescriptorIsElems: the two words compiled code reads at a
// table's descriptor are its elements' address and count, also after a
// grow moves them (the Go slice header layout tables.go relies on).
func TestTableDescriptorIsElems(t *testing.T) {
	tb := runtime.NewTable(wasm.TableType{Elem: wasm.RefType(true, wasm.HeapFunc), Limits: wasm.Limits{Min: 3}}, 7)
	check := func(when string) {
		if tableDescAddr(tb) != uintptr(unsafe.Pointer(&tb.Elems)) {
			t.Fatal("the descriptor is not the Elems slice header")
		}
		d := (*[2]uint64)(unsafe.Pointer(&tb.Elems))
		if d[0] != uint64(uintptr(unsafe.Pointer(unsafe.SliceData(tb.Elems)))) || d[1] != uint64(len(tb.Elems)) {
			t.Fatalf("%s: descriptor %#x %d, elements at %p, %d of them", when, d[0], d[1], unsafe.SliceData(tb.Elems), len(tb.Elems))
		}
	}
	check("new")
	if _, ok := tb.Grow(1000, 7); !ok {
		t.Fatal("grow failed")
	}
	check("after grow")
}
