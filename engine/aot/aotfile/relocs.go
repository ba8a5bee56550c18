package aotfile

import "fmt"

// RelocType is a relocation kind, numbered as the ELF psABI of the file's
// architecture numbers it (R_X86_64_*, R_AARCH64_*), so the compiler copies
// types from its object files unchanged. What a number means depends on
// Header.Target.Arch.
type RelocType uint32

// x86-64 relocation types the loader applies. S is the target's address,
// A the addend, P the address of the patched field.
const (
	RX86_64_64            RelocType = 1  // S + A, 8 bytes
	RX86_64_PC32          RelocType = 2  // S + A - P, 4 bytes signed
	RX86_64_PLT32         RelocType = 4  // as PC32: calls within the object
	RX86_64_GOTPCREL      RelocType = 9  // GOT(S) + A - P, 4 bytes signed
	RX86_64_32            RelocType = 10 // S + A, 4 bytes zero-extended
	RX86_64_32S           RelocType = 11 // S + A, 4 bytes sign-extended
	RX86_64_PC64          RelocType = 24 // S + A - P, 8 bytes
	RX86_64_GOTPCRELX     RelocType = 41 // as GOTPCREL (relaxable)
	RX86_64_REX_GOTPCRELX RelocType = 42 // as GOTPCREL (relaxable, REX prefix)
)

// AArch64 relocation types the loader applies.
const (
	RAArch64_ABS64               RelocType = 257 // S + A, 8 bytes
	RAArch64_PREL32              RelocType = 261 // S + A - P, 4 bytes
	RAArch64_ADR_PREL_PG_HI21    RelocType = 275 // adrp: Page(S+A) - Page(P)
	RAArch64_ADD_ABS_LO12_NC     RelocType = 277 // add: (S+A) & 0xfff
	RAArch64_LDST8_ABS_LO12_NC   RelocType = 278
	RAArch64_CONDBR19            RelocType = 280
	RAArch64_JUMP26              RelocType = 282 // b: S + A - P
	RAArch64_CALL26              RelocType = 283 // bl: S + A - P
	RAArch64_LDST16_ABS_LO12_NC  RelocType = 284
	RAArch64_LDST32_ABS_LO12_NC  RelocType = 285
	RAArch64_LDST64_ABS_LO12_NC  RelocType = 286
	RAArch64_ADR_GOT_PAGE        RelocType = 311
	RAArch64_LD64_GOT_LO12_NC    RelocType = 312
	RAArch64_LDST128_ABS_LO12_NC RelocType = 299
)

type relocInfo struct {
	name  string
	width uint32 // bytes patched
}

// relocTypes lists, per architecture, the relocation types a file may use.
var relocTypes = map[Arch]map[RelocType]relocInfo{
	ArchX86_64: {
		RX86_64_64: {"R_X86_64_64", 8}, RX86_64_PC32: {"R_X86_64_PC32", 4},
		RX86_64_PLT32: {"R_X86_64_PLT32", 4}, RX86_64_GOTPCREL: {"R_X86_64_GOTPCREL", 4},
		RX86_64_32: {"R_X86_64_32", 4}, RX86_64_32S: {"R_X86_64_32S", 4},
		RX86_64_PC64: {"R_X86_64_PC64", 8}, RX86_64_GOTPCRELX: {"R_X86_64_GOTPCRELX", 4},
		RX86_64_REX_GOTPCRELX: {"R_X86_64_REX_GOTPCRELX", 4},
	},
	ArchAArch64: {
		RAArch64_ABS64: {"R_AARCH64_ABS64", 8}, RAArch64_PREL32: {"R_AARCH64_PREL32", 4},
		RAArch64_ADR_PREL_PG_HI21:  {"R_AARCH64_ADR_PREL_PG_HI21", 4},
		RAArch64_ADD_ABS_LO12_NC:   {"R_AARCH64_ADD_ABS_LO12_NC", 4},
		RAArch64_LDST8_ABS_LO12_NC: {"R_AARCH64_LDST8_ABS_LO12_NC", 4},
		RAArch64_CONDBR19:          {"R_AARCH64_CONDBR19", 4},
		RAArch64_JUMP26:            {"R_AARCH64_JUMP26", 4}, RAArch64_CALL26: {"R_AARCH64_CALL26", 4},
		RAArch64_LDST16_ABS_LO12_NC:  {"R_AARCH64_LDST16_ABS_LO12_NC", 4},
		RAArch64_LDST32_ABS_LO12_NC:  {"R_AARCH64_LDST32_ABS_LO12_NC", 4},
		RAArch64_LDST64_ABS_LO12_NC:  {"R_AARCH64_LDST64_ABS_LO12_NC", 4},
		RAArch64_LDST128_ABS_LO12_NC: {"R_AARCH64_LDST128_ABS_LO12_NC", 4},
		RAArch64_ADR_GOT_PAGE:        {"R_AARCH64_ADR_GOT_PAGE", 4},
		RAArch64_LD64_GOT_LO12_NC:    {"R_AARCH64_LD64_GOT_LO12_NC", 4},
	},
}

// RelocName returns the ELF name of a relocation type on arch, or "" if the
// format does not allow it there.
func RelocName(arch Arch, t RelocType) string { return relocTypes[arch][t].name }

// RelocWidth returns how many bytes a relocation of type t patches on arch,
// or 0 if the format does not allow it there.
func RelocWidth(arch Arch, t RelocType) uint32 { return relocTypes[arch][t].width }

// TargetKind says what a relocation's target index counts.
type TargetKind uint16

// Relocation targets. The code calls runtime helpers through the exec env's
// helper table, so no relocation ever points outside the file.
const (
	// TargetFunction: Index is a defined function (index into the
	// functions section); S is the start of its code.
	TargetFunction TargetKind = 0
	// TargetText: Index is a byte offset in the text section.
	TargetText TargetKind = 1
	// TargetRodata: Index is a byte offset in the rodata section.
	TargetRodata TargetKind = 2
)

func (k TargetKind) String() string {
	switch k {
	case TargetFunction:
		return "func"
	case TargetText:
		return "text"
	case TargetRodata:
		return "rodata"
	}
	return fmt.Sprintf("target(%d)", uint16(k))
}

// Reloc is one relocation: patch Width bytes of text at Offset with the
// value the type computes from the target's address and Addend.
type Reloc struct {
	Offset uint32 // in the text section
	Type   RelocType
	Kind   TargetKind
	Index  uint32
	Addend int64
}

const relocSize = 24

// DecodeRelocs decodes a relocations section payload lying at absolute
// offset off, for code of architecture arch. Relocations must be sorted by
// Offset with patched ranges that do not overlap. Targets are checked
// against the other sections by Read.
func DecodeRelocs(b []byte, off int64, arch Arch) ([]Reloc, error) {
	c := newCursor(b, off, SectionRelocs.String())
	n := c.count(relocSize, "relocation")
	out := make([]Reloc, 0, n)
	var prevEnd uint64
	for i := 0; i < n && c.err == nil; i++ {
		at := c.pos
		var r Reloc
		r.Offset = c.u32("offset")
		r.Type = RelocType(c.u32("type"))
		r.Kind = TargetKind(c.u16("target kind"))
		reserved := c.u16("reserved")
		r.Index = c.u32("target index")
		r.Addend = int64(c.u64("addend"))
		if c.err != nil {
			break
		}
		w := RelocWidth(arch, r.Type)
		switch {
		case w == 0:
			c.failAt(at+4, "relocation %d: type %d is not a %s relocation this format allows", i, r.Type, arch)
		case r.Kind > TargetRodata:
			c.failAt(at+8, "relocation %d: unknown target kind %d", i, r.Kind)
		case reserved != 0:
			c.failAt(at+10, "relocation %d: reserved field is 0x%x, must be 0", i, reserved)
		case uint64(r.Offset) < prevEnd:
			c.failAt(at, "relocation %d at text offset 0x%x overlaps or precedes the previous one (ends 0x%x): must be sorted", i, r.Offset, prevEnd)
		}
		if c.err != nil {
			break
		}
		prevEnd = uint64(r.Offset) + uint64(w)
		out = append(out, r)
	}
	c.end()
	return out, c.errOrNil()
}

func encodeRelocs(rs []Reloc) []byte {
	w := le(nil).u32(uint32(len(rs)))
	for _, r := range rs {
		w = w.u32(r.Offset).u32(uint32(r.Type)).u16(uint16(r.Kind)).u16(0).u32(r.Index).u64(uint64(r.Addend))
	}
	return w
}
