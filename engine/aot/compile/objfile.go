package compile

import (
	"bytes"
	"debug/elf"
	"fmt"
	"strings"

	"github.com/gcscope/gcscope/engine/aot/aotfile"
)

// object is what the compiler keeps of llc's ELF output.
type object struct {
	text, rodata []byte
	syms         map[string]elf.Symbol // function symbols defined in .text
	relocs       []aotfile.Reloc
	rodataAlign  uint64 // the largest alignment a rodata section asks
	// externs are text relocations against functions of other chunks
	// (undefined here); link resolves them.
	externs []externReloc
	lines   []lineRow // the line table, if any (linemap.go)
}

// parseObject extracts text, read-only data, function symbols and text
// relocations from an x86-64 ELF relocatable object. Anything the loader
// could not honour (writable data, relocations against undefined symbols,
// relocations in data) is an error here, at compile time.
func parseObject(b []byte) (*object, error) {
	ef, err := elf.NewFile(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("aot: llc output: %w", err)
	}
	defer ef.Close()
	if ef.Machine != elf.EM_X86_64 || ef.Class != elf.ELFCLASS64 || ef.Type != elf.ET_REL {
		return nil, fmt.Errorf("aot: llc output is not an x86-64 relocatable object")
	}
	o := &object{syms: map[string]elf.Symbol{}}
	textIdx := -1
	rodataAt := map[int]uint64{} // section index → offset in o.rodata
	for i, s := range ef.Sections {
		alloc := s.Flags&elf.SHF_ALLOC != 0
		if !alloc || s.Size == 0 {
			continue
		}
		switch {
		case s.Flags&elf.SHF_EXECINSTR != 0:
			if s.Name != ".text" || textIdx >= 0 {
				return nil, fmt.Errorf("aot: unexpected code section %s in llc output", s.Name)
			}
			textIdx = i
			if o.text, err = s.Data(); err != nil {
				return nil, err
			}
		case s.Flags&elf.SHF_WRITE != 0:
			return nil, fmt.Errorf("aot: writable section %s in llc output", s.Name)
		case s.Type == elf.SHT_PROGBITS && strings.HasPrefix(s.Name, ".rodata"):
			d, err := s.Data()
			if err != nil {
				return nil, err
			}
			al := max(s.Addralign, 1)
			o.rodataAlign = max(o.rodataAlign, al)
			at := (uint64(len(o.rodata)) + al - 1) &^ (al - 1)
			o.rodata = append(o.rodata, make([]byte, at-uint64(len(o.rodata)))...)
			rodataAt[i] = at
			o.rodata = append(o.rodata, d...)
		default:
			return nil, fmt.Errorf("aot: unexpected section %s in llc output", s.Name)
		}
	}
	if textIdx < 0 {
		o.text = []byte{} // a module without functions
	}
	syms, err := ef.Symbols()
	if err != nil {
		return nil, err
	}
	for _, s := range syms {
		if int(s.Section) == textIdx && elf.ST_TYPE(s.Info) == elf.STT_FUNC {
			o.syms[s.Name] = s
		}
	}
	for _, s := range ef.Sections {
		if s.Type != elf.SHT_RELA {
			continue
		}
		if int(s.Info) != textIdx {
			if _, ok := rodataAt[int(s.Info)]; ok {
				return nil, fmt.Errorf("aot: relocations in read-only data (%s) are not supported", s.Name)
			}
			continue
		}
		data, err := s.Data()
		if err != nil {
			return nil, err
		}
		for k := 0; k+24 <= len(data); k += 24 {
			off := ef.ByteOrder.Uint64(data[k:])
			info := ef.ByteOrder.Uint64(data[k+8:])
			add := int64(ef.ByteOrder.Uint64(data[k+16:]))
			si := int(info >> 32)
			if si == 0 || si > len(syms) {
				return nil, fmt.Errorf("aot: relocation at 0x%x has no symbol", off)
			}
			sym := syms[si-1] // debug/elf drops the null symbol
			r := aotfile.Reloc{Offset: uint32(off), Type: aotfile.RelocType(uint32(info)), Addend: add}
			switch sec := int(sym.Section); {
			case sec == textIdx:
				r.Kind, r.Index = aotfile.TargetText, uint32(sym.Value)
			case rodataAt[sec] != 0 || hasKey(rodataAt, sec):
				r.Kind, r.Index = aotfile.TargetRodata, uint32(rodataAt[sec]+sym.Value)
			case sym.Section == elf.SHN_UNDEF && isChunkSymbol(sym.Name):
				o.externs = append(o.externs, externReloc{r, sym.Name})
				continue
			default:
				return nil, fmt.Errorf("aot: the code refers to %q, outside itself (a libcall?)", sym.Name)
			}
			if aotfile.RelocWidth(aotfile.ArchX86_64, r.Type) == 0 {
				return nil, fmt.Errorf("aot: relocation type %d is not supported", r.Type)
			}
			o.relocs = append(o.relocs, r)
		}
	}
	return o, nil
}

func hasKey(m map[int]uint64, k int) bool { _, ok := m[k]; return ok }
