package aotdump

import (
	"bytes"
	"encoding/binary"
	"io"
	"strings"
	"testing"

	"github.com/gcscope/gcscope/engine/aot/aotfile"
)

// printAll runs every printer over d; they must never panic.
func printAll(t *testing.T, d *Dump) []byte {
	t.Helper()
	var js bytes.Buffer
	if err := WriteText(io.Discard, d, Options{StackMaps: true, Relocs: true, Hex: true, Summary: true}); err != nil {
		t.Fatal(err)
	}
	if err := WriteJSON(&js, d, Options{Summary: true}); err != nil {
		t.Fatal(err)
	}
	if d.AOT != nil {
		_ = WriteDisasm(io.Discard, d, DisasmOptions{})
	}
	return js.Bytes()
}

// checkProblems requires at least one problem and every offset to lie in
// the file (or be -1, unknown).
func checkProblems(t *testing.T, what string, d *Dump, size int) {
	t.Helper()
	if d.OK() {
		t.Errorf("%s: no problem reported", what)
		return
	}
	for _, p := range d.Problems {
		if p.Offset < -1 || p.Offset > int64(size) {
			t.Errorf("%s: problem offset 0x%x outside the %d-byte file: %s", what, p.Offset, size, p.Msg)
		}
	}
}

func hasProblemAt(d *Dump, off int64) bool {
	for _, p := range d.Problems {
		if p.Offset == off {
			return true
		}
	}
	return false
}

// TestTruncatedAOT cuts a real .aot file at many lengths: each must read
// as far as it goes and report the truncation at the offset where the file
// ends.
func TestTruncatedAOT(t *testing.T) {
	full := aotExample(t, "shapes", true)
	for n := 0; n < len(full); n += step(n) {
		b := full[:n]
		d, err := Read(b)
		if err == nil {
			t.Fatalf("truncated to %d bytes: no error", n)
		}
		checkProblems(t, "truncated", d, n)
		want := int64(n)
		if n < 4 {
			want = 0
		}
		if !hasProblemAt(d, want) {
			t.Errorf("truncated to %d bytes: no problem names offset 0x%x: %v", n, want, err)
		}
		js := printAll(t, d)
		if n%97 == 0 {
			validateAgainstSchema(t, js)
		}
	}
}

// step visits every byte of the header and table, then every 13th.
func step(n int) int {
	if n < 0x300 {
		return 1
	}
	return 13
}

// TestCorruptedAOT flips each byte of a real .aot file. Without the
// checksum fixed, the checksum must catch it; with it fixed, whatever the
// structural checks find must name offsets inside the file, and damage to
// padding, reserved fields and the section table must be reported at the
// byte that was changed.
func TestCorruptedAOT(t *testing.T) {
	full := aotExample(t, "fib", false)
	secs, err := aotfile.Sections(full)
	if err != nil {
		t.Fatal(err)
	}
	tableEnd := int(aotfile.HeaderSize) + 32*len(secs)
	// exact returns the offset a flip at i must be reported at, or -1.
	exact := func(i int) int64 {
		switch {
		case i >= 0x70 && i < aotfile.HeaderSize: // reserved bytes
			return int64(i)
		case i >= 0x2c && i < 0x30: // the reserved u32 is named at its start
			return 0x2c
		case i >= aotfile.HeaderSize && i < tableEnd:
			return -1 // a table field's problem may be named at another field of the entry
		}
		for k, s := range secs { // padding before a payload
			prevEnd := tableEnd
			if k > 0 {
				prevEnd = int(secs[k-1].Offset + secs[k-1].Size)
			}
			if i >= prevEnd && i < int(s.Offset) {
				return int64(i)
			}
		}
		return -1
	}
	for i := 0; i < len(full); i++ {
		b := append([]byte(nil), full...)
		b[i] ^= 0xff
		d, _ := Read(b)
		if i >= 6 { // past the magic and format version, the checksum is checked
			checkProblems(t, "flipped", d, len(b))
			if !hasProblemAt(d, 0x28) {
				t.Errorf("byte 0x%x flipped: no checksum mismatch reported", i)
			}
		}
		if i%5 == 0 { // printing is the slow part; every 5th byte is plenty
			printAll(t, d)
		}
		if len(b) >= aotfile.HeaderSize {
			binary.LittleEndian.PutUint32(b[0x28:], aotfile.Checksum(b))
		}
		d, _ = Read(b)
		for _, p := range d.Problems {
			if p.Offset < -1 || p.Offset > int64(len(b)) {
				t.Errorf("byte 0x%x flipped: offset 0x%x outside the file", i, p.Offset)
			}
		}
		if at := exact(i); at >= 0 && !hasProblemAt(d, at) {
			t.Errorf("byte 0x%x flipped (checksum fixed): no problem at that offset: %v", i, d.Err())
		}
		if i%5 == 2 {
			if js := printAll(t, d); i%101 == 2 {
				validateAgainstSchema(t, js)
			}
		}
	}
}

// TestDamagedWasm truncates and corrupts a .wasm file: the sections before
// the damage still show, and the problem names an offset.
func TestDamagedWasm(t *testing.T) {
	full := wasmExample(t, "shapes")
	d0, _ := Read(full)
	boundary := map[int]bool{8: true} // the preamble alone is an empty module
	for _, s := range d0.Sections {
		boundary[int(s.Offset+s.Size)] = true
	}
	for n := 0; n < len(full); n++ {
		d, err := Read(full[:n])
		if boundary[n] { // a module cut between sections is a shorter module
			if err != nil && !strings.Contains(err.Error(), "inconsistent lengths") {
				t.Errorf("cut at section boundary %d: %v", n, err)
			}
			continue
		}
		if err == nil {
			t.Fatalf("truncated to %d bytes: no error", n)
		}
		checkProblems(t, "truncated wasm", d, n)
		if js := printAll(t, d); n%50 == 0 {
			validateAgainstSchema(t, js)
		}
	}
	// Damage the code section: the type section must still be decoded.
	b := append([]byte(nil), full...)
	code := -1
	for _, s := range d0.Sections {
		if s.Name == "code" {
			code = int(s.Offset)
		}
	}
	b[code+3] = 0xff // inside the first body
	b[code+4] = 0xff
	d, err := Read(b)
	if err == nil {
		t.Fatal("damaged code section: no error")
	}
	if len(d.Module.Types) == 0 || len(d.Module.Exports) == 0 {
		t.Errorf("damaged code section lost the other sections: %d types, %d exports", len(d.Module.Types), len(d.Module.Exports))
	}
	if s := d.Section("code"); s == nil || s.Problem == nil {
		t.Errorf("the code section is not marked damaged")
	}
	var out strings.Builder
	if err := WriteText(&out, d, Options{}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "DAMAGED") || !strings.Contains(out.String(), "Problems (") {
		t.Errorf("text output does not show the damage:\n%s", out.String())
	}
}

func TestNotAModule(t *testing.T) {
	for _, b := range [][]byte{nil, []byte("x"), []byte("\x7fELF...."), []byte("\x00gc")} {
		d, err := Read(b)
		if err == nil || d.OK() || d.Problems[0].Offset != 0 {
			t.Errorf("Read(%q): %v", b, err)
		}
		validateAgainstSchema(t, printAll(t, d))
	}
}
