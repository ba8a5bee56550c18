package aotfile

import (
	"bytes"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/gcscope/gcscope/internal/fuzzsplit"
)

// FuzzRead feeds damaged files to the reader: it must never panic, every
// problem must name an offset inside the input, and a file it accepts must
// write back to a file with the same contents, which then writes back to
// itself byte for byte.
//
// The fuzzer sees a file as short pieces (internal/fuzzsplit): as one byte
// string a file with text is over 4 KiB, and Go's minimizer, quadratic in
// a string's length, spent its time limit on every new input. Mutations
// rarely keep the checksum right, so half of the inputs get it fixed, to
// reach the structural checks.
func FuzzRead(f *testing.F) {
	_, full := buildTestFile(f)
	empty, err := Write(&File{Header: testHeader})
	if err != nil {
		f.Fatal(err)
	}
	b := NewBuilder(testHeader)
	_ = b.SetWasmSection(SectionTypes, []byte{0x01, 0x60, 0x00, 0x00})
	_ = b.SetWasmSection(SectionFuncTypes, []byte{0x01, 0x00})
	off, _ := b.AddCode([]byte{0xc3}, 16)
	b.AddFunction(Function{CodeOffset: off, CodeSize: 1, FrameSlots: 1})
	small, err := b.Bytes()
	if err != nil {
		f.Fatal(err)
	}
	for _, seed := range [][]byte{full, empty, small, full[:HeaderSize+3*entrySize]} {
		h, tl := fuzzsplit.Split(seed, TextAlign)
		if !bytes.Equal(fuzzsplit.Join(h, tl, TextAlign), seed) {
			f.Fatal("splitting and joining a seed changed it")
		}
		for _, fix := range []bool{false, true} {
			f.Add(fix, h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7], h[8], h[9], h[10], h[11], h[12], h[13], h[14], h[15], h[16], h[17], h[18], h[19], h[20], h[21], h[22], h[23], h[24], h[25], h[26], h[27], h[28], h[29], h[30], h[31],
				tl[0], tl[1], tl[2], tl[3])
		}
	}
	f.Fuzz(func(t *testing.T, fix bool,
		h0, h1, h2, h3, h4, h5, h6, h7, h8, h9, h10, h11, h12, h13, h14, h15, h16, h17, h18, h19, h20, h21, h22, h23, h24, h25, h26, h27, h28, h29, h30, h31,
		t0, t1, t2, t3 []byte) {
		data := fuzzsplit.Join([fuzzsplit.Head][]byte{h0, h1, h2, h3, h4, h5, h6, h7, h8, h9, h10, h11, h12, h13, h14, h15, h16, h17, h18, h19, h20, h21, h22, h23, h24, h25, h26, h27, h28, h29, h30, h31},
			[fuzzsplit.Tail][]byte{t0, t1, t2, t3}, TextAlign)
		if fix {
			fixChecksum(data)
		}
		checkRead(t, data)
	})
}

// checkRead is FuzzRead's check of one input.
func checkRead(t *testing.T, data []byte) {
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
