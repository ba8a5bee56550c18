package loader

import (
	"bytes"
	"encoding/binary"
	"testing"

	"github.com/gcscope/gcscope/engine/aot/aotfile"
	"github.com/gcscope/gcscope/engine/aot/compile"
	"github.com/gcscope/gcscope/internal/fuzzsplit"
)

// fuzzSeedWat compiles to a file with a relocation (the constant 1.5 in
// rodata) next to plain code.
const fuzzSeedWat = `(module
  (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
  (func (export "scale") (param f64) (result f64) (f64.mul (local.get 0) (f64.const 1.5))))`

// offChecksum is where the header keeps the file's CRC-32C
// (docs/aot-format.md).
const offChecksum = 0x28

// FuzzLoad cuts the part of a file before its text into headPieces byte
// strings, and the text into tailPieces (internal/fuzzsplit). It keeps
// fewer head pieces than fuzzsplit.Head: the fuzz function's arguments
// are what the cached corpus is keyed on, and changing them drops it.
const (
	headPieces = 14
	tailPieces = 4
)

// splitFile cuts a file into the part before its text, without the zero
// padding that page-aligns the text, and the text onward, each in
// pieces, so that joinFile of the results is data again.
func splitFile(data []byte) (head [headPieces][]byte, tail [tailPieces][]byte) {
	fuzzsplit.SplitInto(data, aotfile.TextAlign, head[:], tail[:])
	return head, tail
}

// joinFile undoes splitFile; every byte string is some joinFile's result.
func joinFile(head [headPieces][]byte, tail [tailPieces][]byte) []byte {
	return fuzzsplit.JoinPieces(head[:], tail[:], aotfile.TextAlign)
}

// FuzzLoad: no input makes Load panic (the reader checks everything, the
// loader checks what the reader cannot know: target, ABI, helpers,
// entries, relocations against the mapping), and a loaded module's
// entries lie in its text.
//
// The fuzzer sees a file as several short byte strings (splitFile): as
// one string a loadable file is over 4 KiB (the text is page-aligned),
// and Go's minimizer, quadratic in a string's length at 50-100 µs a try
// (the harness's coverage snapshot of this big test binary dominates),
// spent its whole 60 s limit on every new input: tens of execs a minute.
// Mutations rarely keep the checksum right, so half of the inputs get it
// fixed, to reach the loader's own checks.
func FuzzLoad(f *testing.F) {
	// -O2: its text is half the size of -O0's, and the minimizer's work
	// grows with the square of a piece's length.
	data, err := compile.Compile(parse(f, fuzzSeedWat), compile.Options{OptLevel: 2})
	if err != nil {
		f.Fatal(err)
	}
	m, err := Load(data)
	if err != nil {
		f.Fatalf("the seed does not load: %v", err)
	}
	m.Close()
	h, tail := splitFile(data)
	if !bytes.Equal(joinFile(h, tail), data) {
		f.Fatal("splitting and joining a compiled file changed it")
	}
	for _, fix := range []bool{false, true} {
		f.Add(fix, h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7], h[8], h[9], h[10], h[11], h[12], h[13],
			tail[0], tail[1], tail[2], tail[3])
	}
	f.Fuzz(func(t *testing.T, fixChecksum bool, h0, h1, h2, h3, h4, h5, h6, h7, h8, h9, h10, h11, h12, h13,
		t0, t1, t2, t3 []byte) {
		b := joinFile([headPieces][]byte{h0, h1, h2, h3, h4, h5, h6, h7, h8, h9, h10, h11, h12, h13},
			[tailPieces][]byte{t0, t1, t2, t3})
		if fixChecksum && len(b) >= aotfile.HeaderSize {
			binary.LittleEndian.PutUint32(b[offChecksum:], aotfile.Checksum(b))
		}
		m, err := Load(b)
		if err != nil {
			return
		}
		defer m.Close()
		for i, e := range m.Entries {
			if e < m.text || e >= m.text+uintptr(len(m.File.Text)) {
				t.Fatalf("entry %d at %#x outside the text [%#x, +%#x)", i, e, m.text, len(m.File.Text))
			}
		}
	})
}
