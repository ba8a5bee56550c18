package aotfile

import (
	"bytes"
	"testing"
)

// FuzzRead feeds damaged files to the reader: it must never panic, every
// problem must name an offset inside the input, and a file it accepts must
// write back to the same bytes.
func FuzzRead(f *testing.F) {
	_, full := buildTestFile(f)
	f.Add(full)
	empty, err := Write(&File{Header: testHeader})
	if err != nil {
		f.Fatal(err)
	}
	f.Add(empty)
	b := NewBuilder(testHeader)
	_ = b.SetWasmSection(SectionTypes, []byte{0x01, 0x60, 0x00, 0x00})
	_ = b.SetWasmSection(SectionFuncTypes, []byte{0x01, 0x00})
	off, _ := b.AddCode([]byte{0xc3}, 16)
	b.AddFunction(Function{CodeOffset: off, CodeSize: 1, FrameSlots: 1})
	small, err := b.Bytes()
	if err != nil {
		f.Fatal(err)
	}
	f.Add(small)
	f.Add(full[:HeaderSize+3*entrySize])
	f.Fuzz(func(t *testing.T, data []byte) {
		// Mutations rarely keep the checksum right; fixing it half of the
		// time lets the fuzzer reach the structural checks with files that
		// would otherwise only fail the checksum.
		if len(data) > 0 && data[len(data)-1]&1 == 1 {
			data = bytes.Clone(data)
			fixChecksum(data)
		}
		file, err := Read(data)
		if file == nil {
			t.Fatal("nil File")
		}
		checkErrorShape(t, err, len(data))
		if err != nil {
			return
		}
		out, err := Write(file)
		if err != nil {
			t.Fatalf("Write of an accepted file: %v", err)
		}
		if !bytes.Equal(out, data) {
			t.Fatalf("accepted file does not write back identically")
		}
	})
}
