package aotdump

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/gcscope/gcscope/engine/binary"
	"github.com/gcscope/gcscope/engine/text"
)

// TestGoldenSink dumps a module that has every kind of section (imports,
// tables, memories, tags, globals, start, element and data segments, a
// data count, custom sections, subtyping and rec groups).
func TestGoldenSink(t *testing.T) {
	src, err := os.ReadFile(filepath.Join("testdata", "sink.wat"))
	if err != nil {
		t.Fatal(err)
	}
	m, err := text.ParseModule(src)
	if err != nil {
		t.Fatal(err)
	}
	b, err := binary.Encode(m)
	if err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "sink.wasm.txt", render(t, b, func(w *bytes.Buffer, d *Dump) error {
		return WriteText(w, d, Options{Title: "sink.wasm"})
	}))
	js := render(t, b, func(w *bytes.Buffer, d *Dump) error { return WriteJSON(w, d, Options{Hex: true}) })
	validateAgainstSchema(t, js)
	checkGolden(t, "sink.wasm.json", js)

	// The same module compiled (synthetically): imported functions shift
	// the function index space of the .aot sections.
	a := aotFromWasm(t, b, false)
	checkGolden(t, "sink.aot.txt", render(t, a, func(w *bytes.Buffer, d *Dump) error {
		return WriteText(w, d, Options{Title: "sink.aot", StackMaps: true, Relocs: true})
	}))
	js = render(t, a, func(w *bytes.Buffer, d *Dump) error { return WriteJSON(w, d, Options{}) })
	validateAgainstSchema(t, js)
	checkGolden(t, "sink.aot.json", js)
}
