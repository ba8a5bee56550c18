package aotfile

import (
	"encoding/binary"
	"strings"
	"testing"
)

func TestPatch(t *testing.T) {
	const base = 0x10000
	for _, tc := range []struct {
		name   string
		arch   Arch
		ins    uint64 // the field before patching (little-endian)
		r      Reloc
		s, got uint64
		want   uint64
		err    string
	}{
		// call rel32 at base+0x10 (field at +0x11) to base+0x1000: 0x1000-4-0x11.
		{"plt32", ArchX86_64, 0, Reloc{Offset: 0x11, Type: RX86_64_PLT32, Addend: -4}, base + 0x1000, 0, 0xfeb, ""},
		{"pc32 back", ArchX86_64, 0, Reloc{Offset: 0x20, Type: RX86_64_PC32, Addend: -4}, base, 0, 0xffffffdc, ""},
		{"pc32 far", ArchX86_64, 0, Reloc{Offset: 0, Type: RX86_64_PC32}, base + 1<<32, 0, 0, "does not fit"},
		{"abs64", ArchX86_64, 0, Reloc{Offset: 8, Type: RX86_64_64, Addend: 8}, 0x7f0012345678, 0, 0x7f0012345680, ""},
		{"32s", ArchX86_64, 0, Reloc{Offset: 8, Type: RX86_64_32S}, 0x8000_0000, 0, 0, "does not fit"},
		{"gotpcrel", ArchX86_64, 0, Reloc{Offset: 0x4, Type: RX86_64_REX_GOTPCRELX, Addend: -4}, 0xdead, base + 0x2000, 0x1ff8, ""},
		{"got missing", ArchX86_64, 0, Reloc{Offset: 0x4, Type: RX86_64_GOTPCREL}, 1, 0, 0, "needs a GOT slot"},
		{"outside", ArchX86_64, 0, Reloc{Offset: 0x3e, Type: RX86_64_PC32}, 1, 0, 0, "outside"},
		{"wrong arch", ArchAArch64, 0, Reloc{Type: RX86_64_PC32}, 1, 0, 0, "not a aarch64 relocation"},

		// bl at base+0x10 to base+0x1010: imm26 = 0x1000>>2.
		{"call26", ArchAArch64, 0x94000000, Reloc{Offset: 0x10, Type: RAArch64_CALL26}, base + 0x1010, 0, 0x94000400, ""},
		{"call26 back", ArchAArch64, 0x94000000, Reloc{Offset: 0x10, Type: RAArch64_CALL26}, base, 0, 0x97fffffc, ""},
		{"call26 far", ArchAArch64, 0x94000000, Reloc{Offset: 0x10, Type: RAArch64_CALL26}, base + 1<<28, 0, 0, "does not fit"},
		// adrp x0 at base: target page base+0x4000 → 4 pages: immlo 0, immhi 1.
		{"adrp", ArchAArch64, 0x90000000, Reloc{Offset: 0, Type: RAArch64_ADR_PREL_PG_HI21}, base + 0x4123, 0, 0x90000020, ""},
		{"adrp immlo", ArchAArch64, 0x90000000, Reloc{Offset: 0, Type: RAArch64_ADR_PREL_PG_HI21}, base + 0x1fff, 0, 0xb0000000, ""},
		// add x0, x0, #:lo12:sym
		{"add lo12", ArchAArch64, 0x91000000, Reloc{Offset: 4, Type: RAArch64_ADD_ABS_LO12_NC}, base + 0x4123, 0, 0x91048c00, ""},
		// ldr x1, [x0, #:lo12:sym] scales by 8.
		{"ldst64", ArchAArch64, 0xf9400001, Reloc{Offset: 4, Type: RAArch64_LDST64_ABS_LO12_NC}, base + 0x4128, 0, 0xf9409401, ""},
		{"ldst64 misaligned", ArchAArch64, 0xf9400001, Reloc{Offset: 4, Type: RAArch64_LDST64_ABS_LO12_NC}, base + 0x4124, 0, 0, "misaligned"},
		{"condbr19", ArchAArch64, 0x54000000, Reloc{Offset: 0, Type: RAArch64_CONDBR19}, base + 0x40, 0, 0x54000200, ""},
		{"abs64 a64", ArchAArch64, 0, Reloc{Offset: 8, Type: RAArch64_ABS64}, 0x1234, 0, 0x1234, ""},
		{"prel32", ArchAArch64, 0, Reloc{Offset: 8, Type: RAArch64_PREL32}, base + 0x108, 0, 0x100, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			text := make([]byte, 64)
			off := min(int(tc.r.Offset), 56)
			binary.LittleEndian.PutUint64(text[off:], tc.ins)
			err := Patch(tc.arch, text, base, tc.r, tc.s, tc.got)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("err = %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got uint64
			if RelocWidth(tc.arch, tc.r.Type) == 8 {
				got = binary.LittleEndian.Uint64(text[tc.r.Offset:])
			} else {
				got = uint64(binary.LittleEndian.Uint32(text[tc.r.Offset:]))
			}
			if got != tc.want {
				t.Errorf("patched 0x%x, want 0x%x", got, tc.want)
			}
		})
	}
}

// TestRelocateFile applies every relocation of the test file, as the loader
// will, and checks the patched call and address.
func TestRelocateFile(t *testing.T) {
	_, data := buildTestFile(t)
	f, err := Read(data)
	if err != nil {
		t.Fatal(err)
	}
	const textAddr, rodataAddr = 0x7f0000000000, 0x7f0000100000
	text := append([]byte(nil), f.Text...)
	for _, r := range f.Relocs {
		s, err := f.RelocTarget(r, textAddr, rodataAddr)
		if err != nil {
			t.Fatal(err)
		}
		if err := Patch(f.Header.Target.Arch, text, textAddr, r, s, 0); err != nil {
			t.Fatal(err)
		}
	}
	// Function 0's call (field at 1) reaches function 1 at 16: 16-4-1.
	if got := binary.LittleEndian.Uint32(text[1:]); got != 11 {
		t.Errorf("call displacement %d, want 11", got)
	}
	// Function 1's movabs (field at 18) holds rodata+4+8.
	if got := binary.LittleEndian.Uint64(text[18:]); got != rodataAddr+12 {
		t.Errorf("movabs immediate 0x%x, want 0x%x", got, uint64(rodataAddr+12))
	}
	if _, err := f.RelocTarget(Reloc{Kind: TargetFunction, Index: 9}, 0, 0); err == nil {
		t.Error("RelocTarget accepted a missing function")
	}
	if _, err := f.RelocTarget(Reloc{Kind: 5}, 0, 0); err == nil {
		t.Error("RelocTarget accepted an unknown kind")
	}
}

// TestAddChunk builds text from two chunks and checks the shifted
// relocations resolve as in one object.
func TestAddChunk(t *testing.T) {
	b := NewBuilder(testHeader)
	_ = b.SetWasmSection(SectionTypes, []byte{0x01, 0x60, 0x00, 0x00})
	_ = b.SetWasmSection(SectionFuncTypes, []byte{0x02, 0x00, 0x00})
	// Chunk 0: function 0 jumps to function 1 in chunk 1.
	c0, err := b.AddChunk([]byte{0xe9, 0, 0, 0, 0}, []Reloc{{Offset: 1, Type: RX86_64_PLT32, Kind: TargetFunction, Index: 1, Addend: -4}}, 16)
	if err != nil {
		t.Fatal(err)
	}
	// Chunk 1: function 1 loads a constant 8 bytes into its own chunk.
	c1, err := b.AddChunk([]byte{0x48, 0x8b, 0x05, 0, 0, 0, 0, 0xc3, 1, 2, 3, 4, 5, 6, 7, 8},
		[]Reloc{{Offset: 3, Type: RX86_64_PC32, Kind: TargetText, Index: 8, Addend: -4}}, 16)
	if err != nil {
		t.Fatal(err)
	}
	b.AddFunction(Function{CodeOffset: c0, CodeSize: 5, FrameSlots: 1})
	b.AddFunction(Function{CodeOffset: c1, CodeSize: 8, FrameSlots: 1})
	data, err := b.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	f, err := Read(data)
	if err != nil {
		t.Fatal(err)
	}
	text := append([]byte(nil), f.Text...)
	for _, r := range f.Relocs {
		s, _ := f.RelocTarget(r, 0x1000, 0)
		if err := Patch(ArchX86_64, text, 0x1000, r, s, 0); err != nil {
			t.Fatal(err)
		}
	}
	if c1 != 16 || f.Relocs[1].Offset != 19 || f.Relocs[1].Index != 24 {
		t.Fatalf("chunk 1 at %d, relocs %+v", c1, f.Relocs)
	}
	if got := binary.LittleEndian.Uint32(text[1:]); got != 16-4-1 {
		t.Errorf("jmp displacement %d", got)
	}
	if got := binary.LittleEndian.Uint32(text[19:]); got != 24-4-19 {
		t.Errorf("rip-relative displacement %d", got)
	}
}
