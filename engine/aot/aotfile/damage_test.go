package aotfile

import (
	"bytes"
	"encoding/binary"
	"errors"
	"runtime"
	"strings"
	"testing"
)

// TestDamage damages one field at a time (with the checksum recomputed) and
// checks the reader's message and the offset it names.
func TestDamage(t *testing.T) {
	_, data := buildTestFile(t)
	secs, err := Sections(data)
	if err != nil {
		t.Fatal(err)
	}
	sec := func(id SectionID) SectionHeader {
		for _, s := range secs {
			if s.ID == id {
				return s
			}
		}
		t.Fatalf("no section %v", id)
		return SectionHeader{}
	}
	entry := func(id SectionID) int { return int(sec(id).EntryOffset) }
	payload := func(id SectionID) int { return int(sec(id).Offset) }
	put32 := func(at int, v uint32) func([]byte) []byte {
		return func(b []byte) []byte { binary.LittleEndian.PutUint32(b[at:], v); return b }
	}
	put16 := func(at int, v uint16) func([]byte) []byte {
		return func(b []byte) []byte { binary.LittleEndian.PutUint16(b[at:], v); return b }
	}
	set := func(at int, v byte) func([]byte) []byte {
		return func(b []byte) []byte { b[at] = v; return b }
	}
	fn0 := payload(SectionFunctions) + 4 // function 0's record
	fn1 := fn0 + funcRecordSize
	rel0 := payload(SectionRelocs) + 4
	tests := []struct {
		name   string
		damage func([]byte) []byte
		offset int
		msg    string
	}{
		{"magic", set(1, 'G'), 0, "not an .aot file"},
		{"newer format", put16(offFormat, FormatVersion+1), offFormat, "format version 2 is newer than this reader's 1"},
		{"older format", put16(offFormat, 0), offFormat, "older than this reader's"},
		{"header size", put16(offHeaderSize, 64), offHeaderSize, "header size 64"},
		{"arch", put16(offArch, 99), offArch, "unknown architecture 99"},
		{"os", set(offOS, 0), offOS, "unknown OS 0"},
		{"pointer size", set(offPointerSize, 3), offPointerSize, "pointer size 3"},
		{"endianness", set(offEndian, 7), offEndian, "unknown endianness 7"},
		{"opt level", set(offOptLevel, 9), offOptLevel, "optimization level 9"},
		{"flags", put16(offFlags, 0x80), offFlags, "unknown flag bits 0x80"},
		{"reserved", set(offReserved2+3, 1), offReserved2 + 3, "reserved byte"},
		{"compiler name", set(offCompiler+2, 0x07), offCompiler + 2, "not printable ASCII"},
		{"compiler after NUL", set(offCompiler+30, 'x'), offCompiler + 30, "after its terminating NUL"},
		{"file size", put32(offFileSize, uint32(len(data)+1)), len(data), "truncated"},
		{"trailing bytes", func(b []byte) []byte { return append(b, 0) }, len(data), "1 bytes follow"},
		{"table offset", put32(offTableOffset, 1<<30), offTableOffset, "past the end"},
		{"table in header", put32(offTableOffset, 64), offTableOffset, "inside the 128-byte header"},
		{"section count", put32(offSectionCount, 1<<28), len(data), "runs past the end"},
		{"unknown id", put16(entry(SectionTags), 0x50), entry(SectionTags), "unknown section id 80"},
		{"duplicate id", func(b []byte) []byte {
			binary.LittleEndian.PutUint16(b[entry(SectionTags):], uint16(SectionMemories))
			copy(b[entry(SectionTags)+16:], "memories")
			return b
		}, entry(SectionTags), "second section with id 6"},
		{"name mismatch", put16(entry(SectionTags), uint16(SectionMemories)), entry(SectionTags) + 16, "name \"tags\", id 6 is named \"memories\""},
		{"section flags", put16(entry(SectionTags)+2, 1), entry(SectionTags) + 2, "flags 0x1"},
		{"alignment", put32(entry(SectionText)+4, 3), entry(SectionText) + 4, "not a power of two"},
		{"text alignment", put32(entry(SectionText)+4, 16), entry(SectionText) + 4, "text alignment 16"},
		{"misaligned", put32(entry(SectionText)+8, uint32(payload(SectionText)+8)), entry(SectionText) + 8, "not a multiple of its alignment"},
		{"section past end", put32(entry(SectionText)+12, 1<<20), entry(SectionText) + 12, "runs past the end"},
		{"overlap", put32(entry(SectionImports)+8, uint32(payload(SectionTypes))), entry(SectionImports) + 8, "starts before the previous section ends"},
		{"over table", put32(entry(SectionTarget)+8, HeaderSize), entry(SectionTarget) + 8, "before the end of the section table"},
		{"section name", set(entry(SectionTags)+17, 'X'), entry(SectionTags) + 16, "name \"tXgs\""},
		{"padding", set(payload(SectionText)-1, 1), payload(SectionText) - 1, "padding must be 0"},

		{"target string", put32(payload(SectionTarget), 1000), payload(SectionTarget) + 4, "triple of 1000 bytes"},
		{"wasm import kind", set(payload(SectionImports)+7, 9), payload(SectionImports) + 7, "malformed import kind"},
		{"functypes count", set(payload(SectionFuncTypes), 0x7f), payload(SectionFuncTypes), "function count 127"},
		{"names", set(payload(SectionNames)+7, 0x20), payload(SectionNames), "malformed name section"},

		{"function count", put32(payload(SectionFunctions), 1<<30), payload(SectionFunctions), "function count 1073741824 needs"},
		{"frame size", put32(fn1+12, MaxFrameSlots+1), fn1 + 12, "frame of 1048577 slots"},
		{"locals > frame", put32(fn0+16, 11), fn0 + 16, "11 locals do not fit in a frame of 10 slots"},
		{"code outside text", put32(fn1+4, 1<<20), fn1 + 4, "lies outside the"},
		{"function type", put32(fn1, 1), fn1, "type 1 is not a function type"},
		{"function type range", put32(fn1, 7), fn1, "type index 7, the module has 3 types"},
		{"stack map count", put32(fn0+20, 1000), fn0 + 20, "1000 stack maps"},
		{"stack map offset", put32(fn0+24, 2), fn0 + 24, "outside the stack map area"},
		{"stack map pc", put32(fn0+funcRecordSize*2, 7), fn0 + funcRecordSize*2, "return address 0x7 is past"},
		{"stack map order", put32(fn0+funcRecordSize*2+10, 5), fn0 + funcRecordSize*2 + 10, "does not follow 0x5"},
		{"bitmap beyond frame", set(fn0+funcRecordSize*2+9, 0x04), fn0 + funcRecordSize*2 + 9, "beyond the frame's 10"},
		{"function reserved", set(fn0+28, 1), fn0 + 28, "reserved field"},

		{"reloc type", put32(rel0+4, 77), rel0 + 4, "type 77 is not a x86-64 relocation"},
		{"reloc kind", put16(rel0+8, 9), rel0 + 8, "unknown target kind 9"},
		{"reloc order", put32(rel0+relocSize, 0), rel0 + relocSize, "must be sorted"},
		{"reloc target", put32(rel0+12, 2), rel0 + 12, "func target 2 is out of range"},
		{"reloc patch", put32(rel0+relocSize, 1<<20), rel0 + relocSize, "outside the"},

		{"helper slot", put32(payload(SectionHelpers)+4+4+4+8, 0), payload(SectionHelpers) + 4 + 16, "slot 0 is used twice"},
		{"helper name", set(payload(SectionHelpers)+4+8+1, 0), payload(SectionHelpers) + 4 + 8 + 1, "not printable"},

		{"offset map order", put32(payload(SectionOffsetMap)+4, 5), payload(SectionOffsetMap) + 4 + 8 + 24, "does not follow function 5"},
		{"offset map native", put32(payload(SectionOffsetMap)+4+8+16, 1), payload(SectionOffsetMap) + 4 + 8 + 16, "below the previous"},
		{"offset map past code", put32(payload(SectionOffsetMap)+4+8+16, 99), payload(SectionOffsetMap) + 4 + 8 + 16, "past the function's 6 bytes"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b := tc.damage(bytes.Clone(data))
			fixChecksum(b)
			f, err := Read(b)
			if err == nil {
				t.Fatal("damage not detected")
			}
			if f == nil {
				t.Fatal("nil File")
			}
			checkErrorShape(t, err, len(b))
			var first *Error
			for _, e := range leafErrors(err) {
				if errors.As(e, &first) {
					break
				}
			}
			if first == nil || !strings.Contains(first.Msg, tc.msg) || first.Offset != int64(tc.offset) {
				t.Errorf("got %v\nwant offset 0x%x: ...%s...", err, tc.offset, tc.msg)
			}
		})
	}
}

// TestPartialFile checks that a file with one damaged section still yields
// everything else, as the dumper needs.
func TestPartialFile(t *testing.T) {
	_, data := buildTestFile(t)
	f0, _ := Read(data)
	s := f0.Section(SectionRelocs)
	b := bytes.Clone(data)
	binary.LittleEndian.PutUint32(b[s.Offset+4+4:], 77) // relocation 0's type
	f, err := Read(b)
	if err == nil {
		t.Fatal("no error")
	}
	var ce *ChecksumError
	if !errors.As(err, &ce) {
		t.Errorf("checksum mismatch not reported: %v", err)
	}
	if f.ChecksumOK {
		t.Error("ChecksumOK set")
	}
	if len(f.Functions) != 2 || len(f.Helpers) != 2 || f.Target == nil || len(f.Module.Types) != 3 || len(f.Text) == 0 {
		t.Errorf("undamaged sections lost: %+v", f)
	}
	for _, sh := range f.Sections {
		if (sh.Err != nil) != (sh.ID == SectionRelocs) {
			t.Errorf("section %s: Err = %v", sh.ID, sh.Err)
		}
	}
	if len(f.Relocs) != 0 {
		t.Errorf("relocations before the damage: %d", len(f.Relocs))
	}
}

func TestCheckTarget(t *testing.T) {
	h := testHeader
	arm := Target{Arch: ArchAArch64, OS: OSLinux, PointerSize: 8, Endian: LittleEndian}
	for _, tc := range []struct {
		host Target
		want string
	}{
		{h.Target, ""},
		{arm, "compiled for x86-64, this machine is aarch64"},
		{Target{Arch: ArchX86_64, OS: OSDarwin, PointerSize: 8, Endian: LittleEndian}, "compiled for linux, this machine runs darwin"},
		{Target{Arch: ArchX86_64, OS: OSLinux, PointerSize: 4, Endian: LittleEndian}, "compiled for 8-byte pointers, this machine has 4-byte pointers"},
		{Target{Arch: ArchX86_64, OS: OSLinux, PointerSize: 8, Endian: BigEndian}, "compiled for little-endian code, this machine is big-endian"},
	} {
		err := h.CheckTarget(tc.host)
		if (err == nil) != (tc.want == "") || err != nil && err.Error() != tc.want {
			t.Errorf("CheckTarget(%v) = %v, want %q", tc.host, err, tc.want)
		}
	}
	h.Target = arm
	if err := h.CheckTarget(Target{Arch: ArchX86_64, OS: OSLinux, PointerSize: 8, Endian: LittleEndian}); err == nil ||
		err.Error() != "compiled for aarch64, this machine is x86-64" {
		t.Errorf("CheckTarget = %v", err)
	}
	if host := HostTarget(); host.PointerSize == 0 || host.Endian == 0 {
		t.Errorf("HostTarget() = %v", host)
	}
}

func TestCheckABIAndFeatures(t *testing.T) {
	h := testHeader // ABI 3
	if err := h.CheckABI(3); err != nil {
		t.Errorf("CheckABI(3) = %v", err)
	}
	err := h.CheckABI(4)
	if err == nil || !strings.Contains(err.Error(), "ABI 3, runtime has 4: recompile") {
		t.Errorf("CheckABI(4) = %v", err)
	}
	if err := h.CheckFeatures(FeatureGC | FeatureExceptions | FeatureSIMD); err != nil {
		t.Errorf("CheckFeatures = %v", err)
	}
	h.Features |= FeatureThreads | 1<<40
	err = h.CheckFeatures(FeatureGC | FeatureExceptions)
	if err == nil || !strings.Contains(err.Error(), "needs threads,bit 40,") {
		t.Errorf("CheckFeatures = %v", err)
	}
}

func TestWriteRejects(t *testing.T) {
	for name, f := range map[string]*File{
		"long compiler":  {Header: Header{Compiler: strings.Repeat("x", 33)}},
		"bad helper":     {Header: testHeader, Helpers: []Helper{{Slot: 1, Name: ""}}},
		"bitmap size":    {Header: testHeader, Text: make([]byte, 4), Functions: []Function{{CodeSize: 4, FrameSlots: 9, StackMaps: []StackMap{{Refs: []byte{1}}}}}},
		"extra id":       {Header: testHeader, Extra: []RawSection{{ID: 5, Name: "x", Align: 1}}},
		"module only":    {Header: testHeader, Module: testModuleWithTypes()},
		"bad reloc":      {Header: testHeader, Text: make([]byte, 4), Relocs: []Reloc{{Offset: 2, Type: RX86_64_64}}},
		"payload not id": {Header: testHeader, ModulePayloads: map[SectionID][]byte{SectionText: nil}},
	} {
		if _, err := Write(f); err == nil {
			t.Errorf("%s: Write accepted", name)
		}
	}
	b := NewBuilder(testHeader)
	if _, err := b.AddCode(nil, 3); err == nil {
		t.Error("AddCode accepted alignment 3")
	}
	if err := b.SetWasmSection(SectionText, nil); err == nil {
		t.Error("SetWasmSection accepted the text section")
	}
}

// TestWasmErrorOffset checks that an error engine/binary finds in a
// module-level payload is reported at the file offset of the bad byte.
func TestWasmErrorOffset(t *testing.T) {
	_, data := buildTestFile(t)
	f0, _ := Read(data)
	s := f0.Section(SectionImports)
	b := bytes.Clone(data)
	b[s.Offset+7] = 9 // the import kind
	fixChecksum(b)
	_, err := Read(b)
	var e *Error
	if !errors.As(err, &e) || e.Offset != int64(s.Offset)+7 || e.Section != "imports" {
		t.Fatalf("got %v, want an imports error at 0x%x", err, s.Offset+7)
	}
	s = f0.Section(SectionTypes)
	b = bytes.Clone(data)
	b[s.Offset+1] = 0x20 // not a composite type code
	fixChecksum(b)
	_, err = Read(b)
	if !errors.As(err, &e) || e.Offset < int64(s.Offset) || e.Offset >= int64(s.End()) || e.Section != "types" {
		t.Fatalf("got %v, want a types error inside 0x%x..0x%x", err, s.Offset, s.End())
	}
}

// TestNoHugeAllocation sets every count the reader sizes a slice from to
// 0xFFFFFFFF: reading must fail without allocating more than a small
// multiple of the file.
func TestNoHugeAllocation(t *testing.T) {
	_, data := buildTestFile(t)
	f0, _ := Read(data)
	fn0 := int(f0.Section(SectionFunctions).Offset) + 4
	counts := []int{offSectionCount}
	for _, id := range []SectionID{SectionFunctions, SectionRelocs, SectionHelpers, SectionOffsetMap} {
		counts = append(counts, int(f0.Section(id).Offset))
	}
	counts = append(counts, fn0+12, fn0+20, int(f0.Section(SectionOffsetMap).Offset)+8, int(f0.Section(SectionTarget).Offset))
	for _, at := range counts {
		b := bytes.Clone(data)
		binary.LittleEndian.PutUint32(b[at:], 0xFFFF_FFFF)
		fixChecksum(b)
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		_, err := Read(b)
		runtime.ReadMemStats(&after)
		if err == nil {
			t.Errorf("count at 0x%x: accepted", at)
		}
		if n := after.TotalAlloc - before.TotalAlloc; n > uint64(64*len(b)+1<<20) {
			t.Errorf("count at 0x%x: reading a %d-byte file allocated %d bytes", at, len(b), n)
		}
	}
}
