package aotdump

import (
	"bytes"
	"strings"
	"testing"
)

// mapsDamage reads a binary_trees debug build whose wasmstackmaps payload
// went through edit, and checks that the dump went on: every problem lies
// in that section, between its start and lo..hi bytes into it, the
// section is marked damaged and printed so, and the functions are still
// there.
func mapsDamage(t *testing.T, what string, edit func([]byte) []byte, lo, hi int64) *Dump {
	t.Helper()
	b := aotWithMaps(t, wasmExample(t, "binary_trees"), true, edit)
	d, err := Read(b)
	if err == nil {
		t.Errorf("%s: no problem reported", what)
		return d
	}
	s := d.Section("wasmstackmaps")
	if s == nil || s.Problem == nil || d.WasmStackMaps != nil {
		t.Fatalf("%s: the section is not marked damaged", what)
	}
	for _, p := range d.Problems {
		if p.Section != "wasmstackmaps" || p.Offset < int64(s.Offset)+lo || p.Offset > int64(s.Offset)+hi {
			t.Errorf("%s: problem at 0x%x (%s), want one in wasmstackmaps at 0x%x+%d..%d: %s",
				what, p.Offset, p.Section, s.Offset, lo, hi, p.Msg)
		}
	}
	if len(d.AOT.Functions) != 4 {
		t.Errorf("%s: the functions section was lost (%d functions)", what, len(d.AOT.Functions))
	}
	var out bytes.Buffer
	if err := WriteText(&out, d, Options{StackMaps: true}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "DAMAGED: offset 0x") || !strings.Contains(out.String(), `func 2 "run"`) {
		t.Errorf("%s: the text output does not show the damage and go on:\n%s", what, out.String())
	}
	return d
}

// TestTruncatedWasmStackMaps cuts the section's payload at every length:
// the cut is reported inside the section, at most where it now ends.
func TestTruncatedWasmStackMaps(t *testing.T) {
	full := aotWithMaps(t, wasmExample(t, "binary_trees"), true, nil)
	d0, err := Read(full)
	if err != nil {
		t.Fatal(err)
	}
	size := int(d0.Section("wasmstackmaps").Size)
	for n := 0; n < size; n++ {
		d := mapsDamage(t, "cut at "+itoa(uint32(n)), func(p []byte) []byte { return p[:n] }, 0, int64(n))
		if js := printAll(t, d); n%37 == 0 {
			validateAgainstSchema(t, js)
		}
	}
}

// TestCorruptedWasmStackMaps flips each byte of the section's payload,
// with the checksum right: what the decoder finds lies inside the section,
// and the version, the function count and a slot outside the frame are
// reported at their own offsets.
func TestCorruptedWasmStackMaps(t *testing.T) {
	flip := func(i int) func([]byte) []byte {
		return func(p []byte) []byte { p[i] ^= 0xff; return p }
	}
	full := aotWithMaps(t, wasmExample(t, "binary_trees"), true, nil)
	d0, err := Read(full)
	if err != nil {
		t.Fatal(err)
	}
	size := int(d0.Section("wasmstackmaps").Size)
	detected := 0
	for i := 0; i < size; i++ {
		b := aotWithMaps(t, wasmExample(t, "binary_trees"), true, flip(i))
		if d, _ := Read(b); d.OK() {
			printAll(t, d) // a flip that keeps the section valid (an offset still in order)
			continue
		}
		detected++
		d := mapsDamage(t, "byte "+itoa(uint32(i))+" flipped", flip(i), 0, int64(size))
		if i%11 == 0 {
			validateAgainstSchema(t, printAll(t, d))
		}
	}
	if detected < size/2 {
		t.Errorf("only %d of %d flips detected", detected, size)
	}
	// Exact places: the version word, a function count that does not
	// match the functions section, and function 0's first slot (slot 1 of
	// 5, made 254).
	for _, c := range []struct {
		what string
		edit func([]byte) []byte
		at   int64
	}{
		{"version", flip(0), 0},
		{"function count", func(p []byte) []byte { p[4] = 3; return p }, 4},
		{"slot", flip(20), 20},
	} {
		d := mapsDamage(t, c.what, c.edit, c.at, c.at)
		s := d.Section("wasmstackmaps")
		if !hasProblemAt(d, int64(s.Offset)+c.at) {
			t.Errorf("%s: no problem at 0x%x+%d: %v", c.what, s.Offset, c.at, d.Err())
		}
	}
}
