package aotdump

import (
	"bytes"
	"encoding/binary"
	"io"
	"testing"

	"github.com/gcscope/gcscope/engine/aot/aotfile"
	wbinary "github.com/gcscope/gcscope/engine/binary"
	"github.com/gcscope/gcscope/engine/wasm"
	"github.com/gcscope/gcscope/internal/fuzzsplit"
)

// FuzzDump reads arbitrary bytes and prints them every way: nothing may
// panic, and every problem's offset must lie in the file.
//
// The fuzzer sees a file as short pieces (internal/fuzzsplit): as one byte
// string an .aot file is over 4 KiB (its text is page-aligned), and Go's
// minimizer, quadratic in a string's length, spent its time limit on every
// new input. Mutations rarely keep the checksum right, so half of the .aot
// inputs get it fixed, to reach the structural checks and the printers of
// what decodes.
func FuzzDump(f *testing.F) {
	var seeds [][]byte
	for _, name := range goldenExamples {
		seeds = append(seeds, wasmExample(f, name), aotExample(f, name, false))
	}
	seeds = append(seeds, aotExample(f, "binary_trees", true), []byte("\x00gca"), []byte("\x00asm\x01\x00\x00\x00"))
	for _, seed := range seeds {
		h, tl := fuzzsplit.Split(seed, aotfile.TextAlign)
		if !bytes.Equal(fuzzsplit.Join(h, tl, aotfile.TextAlign), seed) {
			f.Fatal("splitting and joining a seed changed it")
		}
		for _, fix := range []bool{false, true} {
			f.Add(fix, h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7], h[8], h[9], h[10], h[11], h[12], h[13], h[14], h[15], h[16], h[17], h[18], h[19], h[20], h[21], h[22], h[23], h[24], h[25], h[26], h[27], h[28], h[29], h[30], h[31],
				tl[0], tl[1], tl[2], tl[3])
		}
	}
	// A source module, so the printers also name instructions and
	// declared locals, whatever the fuzzed file claims.
	src, err := wbinary.Decode(wasmExample(f, "binary_trees"))
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, fix bool,
		h0, h1, h2, h3, h4, h5, h6, h7, h8, h9, h10, h11, h12, h13, h14, h15, h16, h17, h18, h19, h20, h21, h22, h23, h24, h25, h26, h27, h28, h29, h30, h31,
		t0, t1, t2, t3 []byte) {
		b := fuzzsplit.Join([fuzzsplit.Head][]byte{h0, h1, h2, h3, h4, h5, h6, h7, h8, h9, h10, h11, h12, h13, h14, h15, h16, h17, h18, h19, h20, h21, h22, h23, h24, h25, h26, h27, h28, h29, h30, h31},
			[fuzzsplit.Tail][]byte{t0, t1, t2, t3}, aotfile.TextAlign)
		if fix && len(b) >= aotfile.HeaderSize && string(b[:4]) == aotfile.Magic {
			binary.LittleEndian.PutUint32(b[offChecksum:], aotfile.Checksum(b))
		}
		checkDump(t, b, src)
	})
}

// offChecksum is where an .aot header keeps the file's CRC-32C
// (docs/aot-format.md).
const offChecksum = 0x28

// checkDump is FuzzDump's check of one input.
func checkDump(t *testing.T, b []byte, src *wasm.Module) {
	d, _ := Read(b)
	for _, p := range d.Problems {
		if p.Offset < -1 || p.Offset > int64(len(b)) {
			t.Fatalf("problem offset 0x%x outside the %d-byte file: %s", p.Offset, len(b), p.Msg)
		}
	}
	_ = WriteText(io.Discard, d, Options{StackMaps: true, Relocs: true, Hex: true, Summary: true, Source: src})
	_ = WriteJSON(io.Discard, d, Options{Summary: true, Source: src})
	_ = WriteDisasm(io.Discard, d, DisasmOptions{})
}
