package aotfile

import (
	"encoding/binary"
	"fmt"
	"math"
)

// Patch applies relocation r to text, the text section as it will be mapped
// at address textAddr (the loader patches a writable copy, then maps it
// executable). s is the address of r's target, which the loader computes
// from r.Kind and r.Index (a function's code start, textAddr+Index, or the
// rodata address+Index); got is the address of a GOT slot that holds s, for
// the GOT-relative types, or 0 when the loader built no GOT (those types
// then fail). Keeping the arithmetic here, next to the type table, gives
// each documented type code one meaning.
//
// Patch checks that the field lies inside text and that the value fits it;
// a value that does not fit is an error naming the relocation, never a
// silently truncated address.
func Patch(arch Arch, text []byte, textAddr uint64, r Reloc, s, got uint64) error {
	w := RelocWidth(arch, r.Type)
	if w == 0 {
		return fmt.Errorf("aot: relocation at text 0x%x: type %d is not a %s relocation", r.Offset, r.Type, arch)
	}
	if uint64(r.Offset)+uint64(w) > uint64(len(text)) {
		return fmt.Errorf("aot: relocation at text 0x%x: field of %d bytes lies outside the %d-byte text", r.Offset, w, len(text))
	}
	field := text[r.Offset : r.Offset+w]
	p := textAddr + uint64(r.Offset)
	a := uint64(r.Addend)
	fail := func(what string, v uint64) error {
		return fmt.Errorf("aot: %s at text 0x%x: %s 0x%x does not fit", RelocName(arch, r.Type), r.Offset, what, v)
	}
	isGOT := r.Type == RX86_64_GOTPCREL || r.Type == RX86_64_GOTPCRELX || r.Type == RX86_64_REX_GOTPCRELX ||
		r.Type == RAArch64_ADR_GOT_PAGE || r.Type == RAArch64_LD64_GOT_LO12_NC
	if isGOT && got == 0 {
		return fmt.Errorf("aot: %s at text 0x%x needs a GOT slot", RelocName(arch, r.Type), r.Offset)
	}
	if arch == ArchX86_64 {
		return patchX86(field, r.Type, s+a, s+a-p, got+a-p, fail)
	}
	return patchAArch64(field, r.Type, s+a, p, got, fail)
}

func patchX86(field []byte, t RelocType, abs, rel, gotRel uint64, fail func(string, uint64) error) error {
	le := binary.LittleEndian
	switch t {
	case RX86_64_64:
		le.PutUint64(field, abs)
	case RX86_64_PC64:
		le.PutUint64(field, rel)
	case RX86_64_PC32, RX86_64_PLT32:
		if !fitsInt32(rel) {
			return fail("displacement", rel)
		}
		le.PutUint32(field, uint32(rel))
	case RX86_64_GOTPCREL, RX86_64_GOTPCRELX, RX86_64_REX_GOTPCRELX:
		if !fitsInt32(gotRel) {
			return fail("GOT displacement", gotRel)
		}
		le.PutUint32(field, uint32(gotRel))
	case RX86_64_32:
		if abs > math.MaxUint32 {
			return fail("address", abs)
		}
		le.PutUint32(field, uint32(abs))
	case RX86_64_32S:
		if !fitsInt32(abs) {
			return fail("address", abs)
		}
		le.PutUint32(field, uint32(abs))
	}
	return nil
}

// patchAArch64 fills the immediate fields of AArch64 instructions; v = S+A.
func patchAArch64(field []byte, t RelocType, v, p, got uint64, fail func(string, uint64) error) error {
	le := binary.LittleEndian
	if t == RAArch64_ABS64 {
		le.PutUint64(field, v)
		return nil
	}
	ins := le.Uint32(field)
	page := func(x uint64) uint64 { return x &^ 0xfff }
	// imm sets bits [lo, lo+n) of the instruction to x.
	imm := func(x uint64, lo, n uint) {
		mask := uint32(1)<<n - 1
		ins = ins&^(mask<<lo) | (uint32(x)&mask)<<lo
	}
	switch t {
	case RAArch64_PREL32:
		rel := v - p
		if !fitsInt32(rel) && rel > math.MaxUint32 {
			return fail("displacement", rel)
		}
		ins = uint32(rel)
	case RAArch64_CALL26, RAArch64_JUMP26:
		rel := v - p
		if rel&3 != 0 || !fitsSigned(rel, 28) {
			return fail("branch displacement", rel)
		}
		imm(rel>>2, 0, 26)
	case RAArch64_CONDBR19:
		rel := v - p
		if rel&3 != 0 || !fitsSigned(rel, 21) {
			return fail("branch displacement", rel)
		}
		imm(rel>>2, 5, 19)
	case RAArch64_ADR_PREL_PG_HI21, RAArch64_ADR_GOT_PAGE:
		target := v
		if t == RAArch64_ADR_GOT_PAGE {
			target = got
		}
		rel := page(target) - page(p)
		if !fitsSigned(rel, 33) {
			return fail("page displacement", rel)
		}
		pages := rel >> 12
		imm(pages&3, 29, 2)  // immlo
		imm(pages>>2, 5, 19) // immhi
	case RAArch64_ADD_ABS_LO12_NC, RAArch64_LDST8_ABS_LO12_NC:
		imm(v&0xfff, 10, 12)
	case RAArch64_LDST16_ABS_LO12_NC, RAArch64_LDST32_ABS_LO12_NC, RAArch64_LDST64_ABS_LO12_NC, RAArch64_LDST128_ABS_LO12_NC, RAArch64_LD64_GOT_LO12_NC:
		shift := map[RelocType]uint{RAArch64_LDST16_ABS_LO12_NC: 1, RAArch64_LDST32_ABS_LO12_NC: 2,
			RAArch64_LDST64_ABS_LO12_NC: 3, RAArch64_LDST128_ABS_LO12_NC: 4, RAArch64_LD64_GOT_LO12_NC: 3}[t]
		x := v
		if t == RAArch64_LD64_GOT_LO12_NC {
			x = got
		}
		lo := x & 0xfff
		if lo&(1<<shift-1) != 0 {
			return fail("misaligned offset", lo)
		}
		imm(lo>>shift, 10, 12)
	}
	le.PutUint32(field, ins)
	return nil
}

// fitsInt32 reports whether v, read as a signed 64-bit value, fits in 32 bits.
func fitsInt32(v uint64) bool { return int64(v) == int64(int32(v)) }

// fitsSigned reports whether v, read as a signed 64-bit value, fits in n bits.
func fitsSigned(v uint64, n uint) bool {
	x := int64(v)
	return x >= -(1<<(n-1)) && x < 1<<(n-1)
}

// RelocTarget returns S, the address relocation r points at, when text is
// mapped at textAddr and rodata at rodataAddr.
func (f *File) RelocTarget(r Reloc, textAddr, rodataAddr uint64) (uint64, error) {
	switch r.Kind {
	case TargetFunction:
		if uint64(r.Index) >= uint64(len(f.Functions)) {
			return 0, fmt.Errorf("aot: relocation at text 0x%x: function %d, the file has %d", r.Offset, r.Index, len(f.Functions))
		}
		return textAddr + uint64(f.Functions[r.Index].CodeOffset), nil
	case TargetText:
		if uint64(r.Index) > uint64(len(f.Text)) {
			return 0, fmt.Errorf("aot: relocation at text 0x%x: text offset 0x%x is past the text", r.Offset, r.Index)
		}
		return textAddr + uint64(r.Index), nil
	case TargetRodata:
		if uint64(r.Index) > uint64(len(f.Rodata)) {
			return 0, fmt.Errorf("aot: relocation at text 0x%x: rodata offset 0x%x is past the rodata", r.Offset, r.Index)
		}
		return rodataAddr + uint64(r.Index), nil
	}
	return 0, fmt.Errorf("aot: relocation at text 0x%x: unknown target kind %d", r.Offset, r.Kind)
}
