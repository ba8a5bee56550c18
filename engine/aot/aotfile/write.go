package aotfile

import (
	"encoding/binary"
	"fmt"
	"sort"
)

// Alignments the writer gives sections. The AOT sections hold 4- and 8-byte
// fields; rodata may hold vector constants; text is mapped by pages.
const (
	alignModule = 1
	alignAOT    = 8
	alignRodata = 64
)

// moduleOrder is the order the module-level sections are written in.
var moduleOrder = []SectionID{SectionTypes, SectionImports, SectionFuncTypes, SectionTables,
	SectionMemories, SectionTags, SectionGlobals, SectionExports, SectionStart,
	SectionElements, SectionData, SectionNames}

type outSection struct {
	id    SectionID
	name  string
	align uint32
	data  []byte
}

// Write encodes f. It fills in the layout fields of the header (format
// version, file size, section count, table offset, checksum) and ignores
// f.Sections, f.Module and the checksum status. Sections are laid out in a
// fixed order with text last, so that its page alignment pads only once.
// The result is read back before it is returned: Write never produces a
// file Read would reject.
func Write(f *File) ([]byte, error) {
	secs, err := f.outSections()
	if err != nil {
		return nil, err
	}
	h := f.Header
	h.FormatVersion = FormatVersion
	if len(h.Compiler) > compilerLen || badChar([]byte(h.Compiler)) >= 0 {
		return nil, fmt.Errorf("aot: compiler name %q must be at most %d bytes of printable ASCII", h.Compiler, compilerLen)
	}
	h.SectionCount = uint32(len(secs))
	h.TableOffset = HeaderSize
	pos := uint64(HeaderSize) + uint64(len(secs))*entrySize
	table := make([]byte, 0, len(secs)*entrySize)
	offsets := make([]uint64, len(secs))
	for i, s := range secs {
		pos = (pos + uint64(s.align) - 1) &^ (uint64(s.align) - 1)
		offsets[i] = pos
		pos += uint64(len(s.data))
		if pos > 0xFFFF_FFFF {
			return nil, fmt.Errorf("aot: file would exceed 4 GiB (at section %s)", s.id)
		}
		var name [nameLen]byte
		copy(name[:], s.name)
		table = le(table).u16(uint16(s.id)).u16(0).u32(s.align).u32(uint32(offsets[i])).u32(uint32(len(s.data)))
		table = append(table, name[:]...)
	}
	h.FileSize = uint32(pos)
	out := make([]byte, 0, pos)
	out = appendHeader(out, &h)
	out = append(out, table...)
	for i, s := range secs {
		out = append(out, make([]byte, offsets[i]-uint64(len(out)))...)
		out = append(out, s.data...)
	}
	binary.LittleEndian.PutUint32(out[offChecksum:], Checksum(out))
	if _, err := Read(out); err != nil {
		return nil, fmt.Errorf("aot: the file written does not read back: %w", err)
	}
	return out, nil
}

// outSections encodes every present section, in file order.
func (f *File) outSections() ([]outSection, error) {
	var secs []outSection
	add := func(id SectionID, align uint32, data []byte) {
		secs = append(secs, outSection{id, id.String(), align, data})
	}
	if f.Target != nil {
		add(SectionTarget, alignAOT, encodeTargetInfo(f.Target))
	}
	if f.ModulePayloads == nil && f.Module != nil && !emptyModule(f) {
		return nil, fmt.Errorf("aot: File.Module is set but ModulePayloads is not: Write writes the payloads")
	}
	for id := range f.ModulePayloads {
		if !IsModuleSection(id) {
			return nil, fmt.Errorf("aot: ModulePayloads has %s, not a module-level section", id)
		}
	}
	for _, id := range moduleOrder {
		if p, ok := f.ModulePayloads[id]; ok {
			add(id, alignModule, p)
		}
	}
	if f.Functions != nil {
		p, err := encodeFunctions(f.Functions)
		if err != nil {
			return nil, err
		}
		add(SectionFunctions, alignAOT, p)
	}
	if f.Relocs != nil {
		add(SectionRelocs, alignAOT, encodeRelocs(f.Relocs))
	}
	if f.Helpers != nil {
		p, err := encodeHelpers(f.Helpers)
		if err != nil {
			return nil, err
		}
		add(SectionHelpers, alignAOT, p)
	}
	if f.OffsetMaps != nil {
		add(SectionOffsetMap, alignAOT, encodeOffsetMaps(f.OffsetMaps))
	}
	for _, x := range f.Extra {
		if x.ID < FirstOptionalID {
			return nil, fmt.Errorf("aot: extra section id %d is below the optional range 0x%x", x.ID, FirstOptionalID)
		}
		if x.Name == "" || len(x.Name) > nameLen || badChar([]byte(x.Name)) >= 0 {
			return nil, fmt.Errorf("aot: extra section name %q must be 1 to %d bytes of printable ASCII", x.Name, nameLen)
		}
		if x.Align == 0 || x.Align&(x.Align-1) != 0 || x.Align > MaxAlign {
			return nil, fmt.Errorf("aot: extra section %s: alignment %d is not a power of two up to %d", x.Name, x.Align, MaxAlign)
		}
		secs = append(secs, outSection{x.ID, x.Name, x.Align, x.Data})
	}
	if f.Rodata != nil {
		add(SectionRodata, alignRodata, f.Rodata)
	}
	if f.Text != nil {
		add(SectionText, TextAlign, f.Text)
	}
	for _, s := range secs {
		if !fits32(len(s.data)) {
			return nil, fmt.Errorf("aot: section %s exceeds 4 GiB", s.name)
		}
	}
	return secs, nil
}

// emptyModule reports whether f.Module carries nothing Write would lose,
// so that writing a File that Read produced from a file without module
// sections (Module set, payloads nil) works.
func emptyModule(f *File) bool {
	m := f.Module
	return len(m.Types) == 0 && len(m.Imports) == 0 && len(m.Funcs) == 0 && len(m.Tables) == 0 &&
		len(m.Memories) == 0 && len(m.Tags) == 0 && len(m.Globals) == 0 && len(m.Exports) == 0 &&
		m.Start == nil && len(m.Elems) == 0 && len(m.Datas) == 0 && m.Names == nil
}

// Builder collects what the compiler produces and writes a file. It keeps
// the invariants the reader checks that are easy to get wrong by hand:
// functions' code placed in text, relocations sorted by offset, offset maps
// sorted by function.
type Builder struct {
	f File
}

// NewBuilder starts a file with header h (its layout fields are computed
// when the file is written).
func NewBuilder(h Header) *Builder {
	return &Builder{f: File{Header: h}}
}

// SetTarget sets the target section.
func (b *Builder) SetTarget(t TargetInfo) { b.f.Target = &t }

// SetWasmSection sets the payload of module-level section id: the bytes of
// the Wasm binary section of that kind after its id and size (for
// SectionNames, the name section's contents after its name).
func (b *Builder) SetWasmSection(id SectionID, payload []byte) error {
	if !IsModuleSection(id) {
		return fmt.Errorf("aot: %s is not a module-level section", id)
	}
	if b.f.ModulePayloads == nil {
		b.f.ModulePayloads = map[SectionID][]byte{}
	}
	b.f.ModulePayloads[id] = payload
	return nil
}

// AddCode appends machine code to the text section at the next multiple of
// align (a power of two; 16 suits both x86-64 and AArch64) and returns its
// offset there.
func (b *Builder) AddCode(code []byte, align uint32) (uint32, error) {
	if align == 0 || align&(align-1) != 0 || align > MaxAlign {
		return 0, fmt.Errorf("aot: code alignment %d is not a power of two up to %d", align, MaxAlign)
	}
	if b.f.Text == nil {
		b.f.Text = []byte{}
	}
	n := (uint64(len(b.f.Text)) + uint64(align) - 1) &^ (uint64(align) - 1)
	if n+uint64(len(code)) > 0xFFFF_FFFF {
		return 0, fmt.Errorf("aot: text section would exceed 4 GiB")
	}
	b.f.Text = append(b.f.Text, make([]byte, n-uint64(len(b.f.Text)))...)
	b.f.Text = append(b.f.Text, code...)
	return uint32(n), nil
}

// AddChunk appends the text of one separately compiled object (DESIGN.md
// section 5 splits large modules into chunks for parallel llc processes)
// with its relocations, whose offsets and text-relative targets count from
// the chunk's start; it returns where the chunk starts in text, which the
// caller adds to the code offsets of the chunk's functions.
func (b *Builder) AddChunk(code []byte, relocs []Reloc, align uint32) (uint32, error) {
	base, err := b.AddCode(code, align)
	if err != nil {
		return 0, err
	}
	for _, r := range relocs {
		r.Offset += base
		if r.Kind == TargetText {
			r.Index += base
		}
		b.f.Relocs = append(b.f.Relocs, r)
	}
	return base, nil
}

// SetText sets the whole text section (when the code comes as one object
// file section rather than function by function).
func (b *Builder) SetText(text []byte) { b.f.Text = text }

// SetRodata sets the read-only data section.
func (b *Builder) SetRodata(data []byte) { b.f.Rodata = data }

// AddFunction appends a defined function's entry and returns its index.
func (b *Builder) AddFunction(fn Function) uint32 {
	b.f.Functions = append(b.f.Functions, fn)
	return uint32(len(b.f.Functions) - 1)
}

// AddReloc adds a relocation (in any order).
func (b *Builder) AddReloc(r Reloc) { b.f.Relocs = append(b.f.Relocs, r) }

// AddHelper records that the code calls helper name through slot.
func (b *Builder) AddHelper(slot uint32, name string) {
	b.f.Helpers = append(b.f.Helpers, Helper{Slot: slot, Name: name})
}

// AddOffsetMap adds a function's offset map (in any order of functions).
func (b *Builder) AddOffsetMap(m OffsetMap) { b.f.OffsetMaps = append(b.f.OffsetMaps, m) }

// AddExtra adds an optional section.
func (b *Builder) AddExtra(s RawSection) { b.f.Extra = append(b.f.Extra, s) }

// File returns the file built so far, with relocations and offset maps
// sorted. The Builder keeps using it.
func (b *Builder) File() *File {
	sort.SliceStable(b.f.Relocs, func(i, j int) bool { return b.f.Relocs[i].Offset < b.f.Relocs[j].Offset })
	sort.SliceStable(b.f.OffsetMaps, func(i, j int) bool { return b.f.OffsetMaps[i].Func < b.f.OffsetMaps[j].Func })
	return &b.f
}

// Bytes writes the file.
func (b *Builder) Bytes() ([]byte, error) { return Write(b.File()) }
