package aotfile

import (
	"sort"

	"github.com/gcscope/gcscope/engine/wasm"
)

// File is a decoded .aot file. Read fills every field it can; Write encodes
// one. For each section, a nil field means the section is absent and a
// non-nil (possibly empty) one that it is present, so Write(Read(b))
// reproduces b.
type File struct {
	Header Header
	// Sections is the section table as read; Write ignores it.
	Sections []SectionHeader
	// ChecksumOK reports whether Header.Checksum matches the contents;
	// ComputedChecksum is what the contents give. Read sets both.
	ChecksumOK       bool
	ComputedChecksum uint32

	Target *TargetInfo
	// ModulePayloads holds the Wasm-encoded payload of each module-level
	// section present (SectionTypes to SectionNames). Write writes these.
	ModulePayloads map[SectionID][]byte
	// Module is those sections decoded: types, imports, function type
	// indices (as Funcs without bodies), tables, memories, tags, globals,
	// exports, start, element and data segments and names. Read sets it;
	// Write ignores it.
	Module *wasm.Module

	Functions  []Function
	Text       []byte // machine code, mapped executable by the loader
	Rodata     []byte // read-only data the code refers to (constants, jump tables)
	Relocs     []Reloc
	Helpers    []Helper
	OffsetMaps []OffsetMap // sorted by function
	// Extra holds the optional sections (ids from FirstOptionalID) this
	// package does not know, kept so tools can show and rewrite them.
	Extra []RawSection
}

// RawSection is an optional section kept as bytes.
type RawSection struct {
	ID    SectionID
	Name  string
	Align uint32
	Data  []byte
}

// NumImportedFuncs counts the imported functions, which come before the
// defined ones in the Wasm function index space.
func (f *File) NumImportedFuncs() uint32 {
	if f.Module == nil {
		return 0
	}
	return uint32(f.Module.NumImported(wasm.ExternFunc))
}

// FuncName returns the name of defined function i from the names section,
// or "" if it has none.
func (f *File) FuncName(i uint32) string {
	if f.Module == nil {
		return ""
	}
	return f.Module.FuncName(f.NumImportedFuncs() + i)
}

// FuncAt returns the index of the defined function whose code holds text
// offset off (a return address minus the text base), for backtraces.
func (f *File) FuncAt(off uint32) (uint32, bool) {
	for i := range f.Functions {
		fn := &f.Functions[i]
		if off >= fn.CodeOffset && uint64(off) < uint64(fn.CodeOffset)+uint64(fn.CodeSize) {
			return uint32(i), true
		}
	}
	return 0, false
}

// OffsetMap returns the offset map of defined function i, or nil.
func (f *File) OffsetMap(i uint32) *OffsetMap {
	k := sort.Search(len(f.OffsetMaps), func(k int) bool { return f.OffsetMaps[k].Func >= i })
	if k < len(f.OffsetMaps) && f.OffsetMaps[k].Func == i {
		return &f.OffsetMaps[k]
	}
	return nil
}

// Section returns the table entry of section id, or nil if it is absent.
func (f *File) Section(id SectionID) *SectionHeader {
	for i := range f.Sections {
		if f.Sections[i].ID == id {
			return &f.Sections[i]
		}
	}
	return nil
}
