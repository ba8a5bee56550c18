package aotfile

import (
	"bytes"
	"math/rand/v2"
	"reflect"
	"testing"
)

// FuzzRead feeds damaged files to the reader: it must never panic, every
// problem must name an offset inside the input, and a file it accepts must
// write back to a file with the same contents, which then writes back to
// itself byte for byte.
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
		again, err := Read(out)
		if err != nil {
			t.Fatalf("Read of a rewritten file: %v", err)
		}
		if !reflect.DeepEqual(again.Functions, file.Functions) || !reflect.DeepEqual(again.Relocs, file.Relocs) ||
			!reflect.DeepEqual(again.OffsetMaps, file.OffsetMaps) || !bytes.Equal(again.Text, file.Text) ||
			!reflect.DeepEqual(again.ModulePayloads, file.ModulePayloads) {
			t.Fatal("rewriting an accepted file changed its contents")
		}
		if out2, err := Write(again); err != nil || !bytes.Equal(out2, out) {
			t.Fatalf("a written file does not write back identically (%v)", err)
		}
	})
}

// TestRandomDamage is a fixed-seed stand-in for fuzzing in ordinary test
// runs: several random byte changes at once, checksum fixed or not.
func TestRandomDamage(t *testing.T) {
	_, data := buildTestFile(t)
	r := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 3000; i++ {
		b := bytes.Clone(data)
		for k := 0; k < 1+r.IntN(4); k++ {
			b[r.IntN(len(b))] = byte(r.IntN(256))
		}
		if r.IntN(8) == 0 {
			b = b[:r.IntN(len(b))]
		}
		if i%2 == 0 {
			fixChecksum(b)
		}
		f, err := Read(b)
		if f == nil {
			t.Fatal("nil File")
		}
		checkErrorShape(t, err, len(b))
	}
}
