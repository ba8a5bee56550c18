package aotdump

import (
	"io"
	"testing"
)

// FuzzDump reads arbitrary bytes and prints them every way: nothing may
// panic, and every problem's offset must lie in the file.
func FuzzDump(f *testing.F) {
	for _, name := range goldenExamples {
		f.Add(wasmExample(f, name))
		f.Add(aotExample(f, name, false))
	}
	f.Add([]byte("\x00gca"))
	f.Add([]byte("\x00asm\x01\x00\x00\x00"))
	f.Fuzz(func(t *testing.T, b []byte) {
		d, _ := Read(b)
		for _, p := range d.Problems {
			if p.Offset < -1 || p.Offset > int64(len(b)) {
				t.Fatalf("problem offset 0x%x outside the %d-byte file: %s", p.Offset, len(b), p.Msg)
			}
		}
		_ = WriteText(io.Discard, d, Options{StackMaps: true, Relocs: true, Hex: true, Summary: true})
		_ = WriteJSON(io.Discard, d, Options{Summary: true})
		_ = WriteDisasm(io.Discard, d, DisasmOptions{})
	})
}
