package aotfile

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"reflect"
	"testing"

	"github.com/gcscope/gcscope/engine/wasm"
)

func TestRoundTrip(t *testing.T) {
	b, data := buildTestFile(t)
	f, err := Read(data)
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	want := b.File()
	if !f.ChecksumOK {
		t.Error("checksum does not verify")
	}
	h := f.Header
	if h.FormatVersion != FormatVersion || h.ABIVersion != 3 || h.Target != testHeader.Target ||
		h.OptLevel != 2 || h.Flags != FlagDebug || h.Features != testHeader.Features ||
		h.Compiler != testHeader.Compiler || h.ModuleHash != testHeader.ModuleHash {
		t.Errorf("header = %+v, want %+v", h, testHeader)
	}
	if int(h.FileSize) != len(data) || int(h.SectionCount) != len(f.Sections) {
		t.Errorf("file size %d, section count %d; have %d bytes, %d sections", h.FileSize, h.SectionCount, len(data), len(f.Sections))
	}
	if len(f.Sections) != 2+len(testPayloads)+6 { // target, module, functions..offsetmap, rodata, text, extra
		t.Errorf("%d sections", len(f.Sections))
	}
	if s := f.Section(SectionText); s == nil || s.Offset%TextAlign != 0 {
		t.Errorf("text section %+v not page-aligned", s)
	}
	check := func(name string, got, want any) {
		t.Helper()
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s:\n got %+v\nwant %+v", name, got, want)
		}
	}
	check("target", f.Target, want.Target)
	check("functions", f.Functions, want.Functions)
	check("text", f.Text, want.Text)
	check("rodata", f.Rodata, want.Rodata)
	check("relocs", f.Relocs, want.Relocs)
	check("helpers", f.Helpers, want.Helpers)
	check("offset maps", f.OffsetMaps, want.OffsetMaps)
	check("extra", f.Extra, want.Extra)
	check("module payloads", f.ModulePayloads, want.ModulePayloads)

	m := f.Module
	if len(m.Types) != 3 || len(m.RecGroups) != 2 || m.RecGroups[1] != (wasm.RecGroup{First: 1, Count: 2}) {
		t.Errorf("types %d, rec groups %+v", len(m.Types), m.RecGroups)
	} else if st := m.Types[2]; !st.Final || !reflect.DeepEqual(st.Supers, []uint32{1}) || len(st.Comp.Fields) != 2 {
		t.Errorf("type 2 = %+v", st)
	}
	if len(m.Imports) != 1 || m.Imports[0].Module != "env" || len(m.Funcs) != 2 || len(m.Tables) != 1 ||
		len(m.Memories) != 1 || len(m.Tags) != 1 || len(m.Globals) != 1 || len(m.Exports) != 1 ||
		m.Start == nil || *m.Start != 1 || len(m.Elems) != 1 || len(m.Datas) != 1 || string(m.Datas[0].Init) != "hi" {
		t.Errorf("module sections decoded wrongly: %+v", m)
	}
	if g := m.Globals[0].Init; len(g) == 0 || data[g[0].Offset] != 0x41 || g[0].Offset < f.Section(SectionGlobals).Offset {
		t.Errorf("global init offset not a file offset of i32.const: %+v", g)
	}
	if f.FuncName(1) != "run" || f.FuncName(0) != "f1" || f.NumImportedFuncs() != 1 {
		t.Errorf("FuncName(1) = %q, FuncName(0) = %q", f.FuncName(1), f.FuncName(0))
	}

	// Accessors.
	if i, ok := f.FuncAt(f.Functions[1].CodeOffset + 3); !ok || i != 1 {
		t.Errorf("FuncAt = %d, %v", i, ok)
	}
	if _, ok := f.FuncAt(f.Functions[0].CodeOffset + 6); ok {
		t.Error("FuncAt found a function in padding")
	}
	sm := f.Functions[0].StackMapAt(5)
	if sm == nil || sm.WasmOffset != 0x40 || !sm.IsRef(2) || !sm.IsRef(9) || sm.IsRef(3) ||
		!reflect.DeepEqual(sm.RefSlots(), []uint32{2, 9}) {
		t.Errorf("stack map at 5 = %+v", sm)
	}
	if sm := f.Functions[0].StackMapAtWasm(0x44); sm == nil || sm.NativeOffset != 6 {
		t.Errorf("stack map at wasm 0x44 = %+v", sm)
	}
	if f.Functions[0].StackMapAtWasm(0x45) != nil {
		t.Error("stack map at a wasm offset with no safepoint")
	}
	if f.Functions[0].StackMapAt(4) != nil {
		t.Error("stack map at a non-safepoint")
	}
	om := f.OffsetMap(0)
	if w, ok := om.WasmOffset(3); !ok || w != 0x3e {
		t.Errorf("WasmOffset(3) = 0x%x, %v", w, ok)
	}
	if w, _ := om.WasmOffset(100); w != 0x42 {
		t.Errorf("WasmOffset(100) = 0x%x", w)
	}
	if n := om.NativeOffsets(0x40); !reflect.DeepEqual(n, []uint32{5}) {
		t.Errorf("NativeOffsets = %v", n)
	}
	if f.OffsetMap(7) != nil {
		t.Error("offset map of a missing function")
	}

	// Writing what was read reproduces the file byte for byte.
	again, err := Write(f)
	if err != nil {
		t.Fatalf("Write(Read(b)): %v", err)
	}
	if !bytes.Equal(again, data) {
		t.Error("Write(Read(b)) differs from b")
	}
}

func TestSections(t *testing.T) {
	_, data := buildTestFile(t)
	secs, err := Sections(data)
	if err != nil {
		t.Fatal(err)
	}
	var prev uint64
	for i, s := range secs {
		if s.Bad || uint64(s.Offset) < prev || s.Offset%s.Align != 0 || int(s.EntryOffset) != HeaderSize+i*entrySize {
			t.Errorf("section %d: %+v", i, s)
		}
		prev = s.End()
	}
	if secs[len(secs)-1].ID != SectionText || secs[len(secs)-1].Name != "text" {
		t.Errorf("last section is %v", secs[len(secs)-1].ID)
	}
}

func TestEmptyFile(t *testing.T) {
	data, err := Write(&File{Header: testHeader})
	if err != nil {
		t.Fatal(err)
	}
	if len(data) != HeaderSize {
		t.Errorf("empty file is %d bytes", len(data))
	}
	f, err := Read(data)
	if err != nil || len(f.Sections) != 0 || f.Functions != nil || f.Text != nil {
		t.Fatalf("Read: %+v, %v", f, err)
	}
	if _, err := Write(f); err != nil {
		t.Errorf("rewriting: %v", err)
	}
}

// TestTruncated cuts a valid file at every length: each must fail with
// errors naming offsets within what is left, and never panic.
func TestTruncated(t *testing.T) {
	_, data := buildTestFile(t)
	secs, _ := Sections(data)
	for n := 0; n < len(data); n++ {
		if inLongPadding(secs, n) {
			continue
		}
		f, err := Read(data[:n:n])
		if err == nil {
			t.Fatalf("truncated at %d: no error", n)
		}
		if f == nil {
			t.Fatalf("truncated at %d: nil File", n)
		}
		checkErrorShape(t, err, n)
	}
}

// TestBitFlips flips every bit of a valid file. With the checksum left
// alone every flip must be caught (CRC-32C detects all single-bit errors);
// with the checksum recomputed the structural checks must either accept the
// file or name an offset, never panic.
func TestBitFlips(t *testing.T) {
	_, data := buildTestFile(t)
	caught, tries := 0, 0
	secs, _ := Sections(data)
	for i := range data {
		if inLongPadding(secs, i) {
			continue
		}
		// Every bit of the header and table, one bit of each payload byte.
		bits := []int{i % 8}
		if i < int(secs[0].Offset) {
			bits = []int{0, 1, 2, 3, 4, 5, 6, 7}
		}
		for _, bit := range bits {
			tries++
			b := bytes.Clone(data)
			b[i] ^= 1 << bit
			// The checksum catches every single-bit flip (a CRC property);
			// checking one bit per byte shows it is computed over the whole
			// file. A wrong magic or format version stops reading before
			// the checksum; so does a flip in the checksum field itself.
			if bit == i%8 {
				_, err := Read(b)
				var ce *ChecksumError
				if i >= offHeaderSize && (i < offChecksum || i >= offChecksum+4) && !errors.As(err, &ce) {
					t.Fatalf("flip at 0x%x bit %d: no checksum error: %v", i, bit, err)
				}
				checkErrorShape(t, err, len(b))
			}
			fixChecksum(b)
			_, err := Read(b)
			checkErrorShape(t, err, len(b))
			if err != nil {
				caught++
			}
		}
	}
	// Most bytes outside text, rodata, padding and plain values are
	// checked: a reader that checked nothing would catch almost none.
	if caught < tries/2 {
		t.Errorf("structural checks caught only %d of %d bit flips", caught, tries)
	}
	t.Logf("structural checks caught %d of %d bit flips", caught, tries)
}

// TestGarbage feeds bytes that are no .aot file at all.
func TestGarbage(t *testing.T) {
	for _, b := range [][]byte{nil, []byte("\x00gc"), []byte("\x7fE"), []byte("\x7fELF\x02\x01\x01"), bytes.Repeat([]byte{0xff}, 200)} {
		_, err := Read(b)
		if err == nil {
			t.Errorf("Read(%q) accepted", b)
		}
		checkErrorShape(t, err, len(b))
	}
}

// TestStrings checks the names the dumper prints.
func TestStrings(t *testing.T) {
	for _, tc := range []struct{ got, want string }{
		{(FlagDebug | FlagGuardPages | 0x100).String(), "debug,guard-pages,0x100"},
		{Flags(0).String(), "none"},
		{(FeatureGC | FeatureMemory64 | 1<<63).String(), "gc,memory64,bit 63"},
		{testHeader.Target.String(), "x86-64-linux (8-byte pointers, little-endian)"},
		{Arch(3).String(), "arch(3)"},
		{OS(9).String(), "os(9)"},
		{Endian(0).String(), "endian(0)"},
		{SectionOffsetMap.String(), "offsetmap"},
		{SectionID(0x8001).String(), "section(32769)"},
		{TargetRodata.String(), "rodata"},
		{TargetKind(7).String(), "target(7)"},
		{RelocName(ArchX86_64, RX86_64_PLT32), "R_X86_64_PLT32"},
		{RelocName(ArchAArch64, RAArch64_CALL26), "R_AARCH64_CALL26"},
		{RelocName(ArchAArch64, RX86_64_PLT32), ""},
		{(&ChecksumError{Stored: 1, Computed: 2}).Error(),
			"aot: offset 0x28 (header): checksum mismatch: header says 0x00000001, contents give 0x00000002 (file damaged)"},
		{(&Error{Offset: 0x10, Msg: "x"}).Error(), "aot: offset 0x10: x"},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
	if RelocWidth(ArchX86_64, RX86_64_64) != 8 || RelocWidth(ArchX86_64, RX86_64_PC32) != 4 || RelocWidth(ArchX86_64, 3) != 0 {
		t.Error("RelocWidth")
	}
}

// TestLayoutStable pins the bytes the writer produces for the test file.
// If it fails, the file layout changed: that is a format change, so bump
// FormatVersion, update docs/aot-format.md, then the hash below.
func TestLayoutStable(t *testing.T) {
	_, data := buildTestFile(t)
	const want = "617440728267f9178eaab86723c3ddaa8510439eb76b4f30822b05090721376b"
	if got := fmt.Sprintf("%x", sha256.Sum256(data)); got != want || FormatVersion != 1 {
		t.Errorf("format version %d writes a %d-byte test file with SHA-256 %s, version 1 wrote %s", FormatVersion, len(data), got, want)
	}
}
