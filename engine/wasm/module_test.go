package wasm

import (
	"slices"
	"testing"
)

// TestExportedFunc: only a function export answers, by its index in the
// function index space; ExportNames lists every export in order.
func TestExportedFunc(t *testing.T) {
	m := &Module{Exports: []Export{
		{Name: "mem", Kind: ExternMemory, Index: 0},
		{Name: "main", Kind: ExternFunc, Index: 3},
		{Name: "g", Kind: ExternGlobal, Index: 1},
	}}
	if fi, ok := m.ExportedFunc("main"); !ok || fi != 3 {
		t.Errorf("ExportedFunc(main) = %d, %v; want 3, true", fi, ok)
	}
	for _, name := range []string{"mem", "g", "absent"} {
		if _, ok := m.ExportedFunc(name); ok {
			t.Errorf("ExportedFunc(%s) found a function", name)
		}
	}
	if got := m.ExportNames(); !slices.Equal(got, []string{"mem", "main", "g"}) {
		t.Errorf("ExportNames() = %v", got)
	}
}
