package aotdump

import (
	"bytes"
	"testing"

	"github.com/gcscope/gcscope/engine/aot/aotfile"
	"github.com/gcscope/gcscope/engine/binary"
	"github.com/gcscope/gcscope/engine/text"
)

// TestDescribeSlot numbers a frame with v128 locals (two slots each):
// parameters are known from the file alone, declared locals only with the
// source module, operands from the function's locals count.
func TestDescribeSlot(t *testing.T) {
	tm, err := text.ParseModule([]byte(`(module
  (func (param $v v128) (param $e externref) (local v128) (local $a anyref)))`))
	if err != nil {
		t.Fatal(err)
	}
	bin, err := binary.Encode(tm)
	if err != nil {
		t.Fatal(err)
	}
	src, err := binary.Decode(bin)
	if err != nil {
		t.Fatal(err)
	}
	b := aotfile.NewBuilder(aotfile.Header{ABIVersion: 1,
		Target: aotfile.Target{Arch: aotfile.ArchX86_64, OS: aotfile.OSLinux, PointerSize: 8, Endian: aotfile.LittleEndian}})
	if err := b.SetModule(src); err != nil {
		t.Fatal(err)
	}
	off, _ := b.AddCode([]byte{0xc3}, 16)
	// Slots: $v 0-1, $e 2, local 2 3-4, $a 5; operands from 6.
	b.AddFunction(aotfile.Function{CodeOffset: off, CodeSize: 1, FrameSlots: 9, Locals: 6})
	data, err := b.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	d, err := Read(data)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		slot     uint32
		withSrc  bool
		want     string
		wantKind SlotKind
	}{
		{0, false, `local 0 "v"`, SlotLocal},
		{1, false, "a local", SlotLocalArea}, // the v128's second slot
		{2, false, `local 1 "e"`, SlotLocal},
		{5, false, "a local", SlotLocalArea},
		{5, true, `local 3 "a"`, SlotLocal},
		{3, true, "local 2", SlotLocal},
		{4, true, "a local", SlotLocalArea},
		{6, false, "operand 0", SlotOperand},
		{8, true, "operand 2", SlotOperand},
	} {
		s := src
		if !c.withSrc {
			s = nil
		}
		got := d.DescribeSlot(0, c.slot, s)
		if got.Label() != c.want || got.Kind != c.wantKind || got.Slot != c.slot {
			t.Errorf("slot %d (source %v): %+v %q, want %q", c.slot, c.withSrc, got, got.Label(), c.want)
		}
	}
	if got := d.DescribeSlot(7, 0, src); got.Kind != SlotLocalArea {
		t.Errorf("a function the file lacks: %+v", got)
	}
}

// TestGoldenStackMapsSection covers --section wasmstackmaps --stackmaps
// --summary: without the functions section, the maps are listed in the
// section itself.
func TestGoldenStackMapsSection(t *testing.T) {
	bin := wasmExample(t, "binary_trees")
	src, err := binary.Decode(bin)
	if err != nil {
		t.Fatal(err)
	}
	b := aotFromWasm(t, bin, false)
	checkGolden(t, "binary_trees.stackmaps.txt", render(t, b, func(w *bytes.Buffer, d *Dump) error {
		opts := Options{Title: "binary_trees.aot", Sections: []string{"wasmstackmaps"}, StackMaps: true, Summary: true, Source: src}
		if err := d.CheckSections(&opts); err != nil {
			return err
		}
		return WriteText(w, d, opts)
	}))
	js := render(t, b, func(w *bytes.Buffer, d *Dump) error {
		return WriteJSON(w, d, Options{Sections: []string{"0x8002"}, Source: src})
	})
	validateAgainstSchema(t, js)
	checkGolden(t, "binary_trees.stackmaps.json", js)
}
