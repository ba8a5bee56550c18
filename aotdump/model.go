package aotdump

import (
	"errors"
	"fmt"

	"github.com/gcscope/gcscope/engine/aot/aotfile"
	"github.com/gcscope/gcscope/engine/wasm"
)

// Kind says which file format a Dump was read from.
type Kind string

// File kinds, told apart by their magic.
const (
	KindAOT  Kind = "aot"
	KindWasm Kind = "wasm"
)

// Content says what a section holds, and so how it is printed.
type Content int

// Section contents. The module-level ones are shared by .aot and .wasm
// files; the others belong to one format.
const (
	ContentRaw       Content = iota // bytes not decoded (unknown or optional sections)
	ContentTypes                    // Module.Types, Module.RecGroups
	ContentImports                  // Module.Imports
	ContentFuncTypes                // Module.Funcs' type indices
	ContentTables                   // Module.Tables
	ContentMemories                 // Module.Memories
	ContentTags                     // Module.Tags
	ContentGlobals                  // Module.Globals
	ContentExports                  // Module.Exports
	ContentStart                    // Module.Start
	ContentElems                    // Module.Elems
	ContentDatas                    // Module.Datas
	ContentNames                    // Module.Names
	ContentDataCount                // .wasm: Module.DataCount
	ContentCode                     // .wasm: Module.Funcs' bodies
	ContentCustom                   // .wasm: a custom section other than "name"
	ContentTarget                   // .aot: File.Target
	ContentFunctions                // .aot: File.Functions
	ContentText                     // .aot: File.Text
	ContentRodata                   // .aot: File.Rodata
	ContentRelocs                   // .aot: File.Relocs
	ContentHelpers                  // .aot: File.Helpers
	ContentOffsetMap                // .aot: File.OffsetMaps
	ContentWasmMaps                 // .aot: Dump.WasmStackMaps
)

// Dump is what was read from one file.
type Dump struct {
	Kind Kind
	// Data is the file's bytes.
	Data []byte
	// AOT is the decoded .aot file (KindAOT only); its Header is valid when
	// HeaderOK is set.
	AOT      *aotfile.File
	HeaderOK bool
	// Module holds the Wasm declarations: for an .aot file the module-level
	// sections (no function bodies), for a .wasm file the whole module as
	// far as it decoded. Never nil.
	Module *wasm.Module
	// WasmStackMaps is the decoded wasmstackmaps section of an .aot file:
	// per defined function, its safepoints' stack maps by Wasm offset. Nil
	// when the section is absent or damaged.
	WasmStackMaps [][]aotfile.WasmStackMap
	// Sections lists the sections in file order.
	Sections []Section
	// Problems lists every problem found, each with its offset.
	Problems []Problem
}

// Section is one section of the file as it lies there.
type Section struct {
	// ID is the section id in the file's own numbering (aotfile.SectionID
	// or wasm.SectionID).
	ID uint16
	// Name is the canonical name (.aot), or the Wasm section's name, or a
	// custom section's own name.
	Name string
	// Offset and Size locate the payload; HeaderOffset is where the table
	// entry (.aot) or the section id byte (.wasm) is.
	Offset, Size uint32
	HeaderOffset uint32
	// Align is the .aot alignment (1 for .wasm).
	Align   uint32
	Content Content
	// Custom is the custom section's index in Module.Customs (ContentCustom).
	Custom int
	// Problem is the first problem found in the section, or nil.
	Problem *Problem
}

// Bytes returns the section's payload, or as much of it as the file holds.
func (d *Dump) Bytes(s *Section) []byte {
	lo, hi := uint64(s.Offset), uint64(s.Offset)+uint64(s.Size)
	n := uint64(len(d.Data))
	return d.Data[min(lo, n):min(hi, n)]
}

// Problem is one thing wrong with the file.
type Problem struct {
	// Offset is the absolute byte offset of the problem in the file.
	Offset int64
	// Section names the part of the file: "header", "section table", a
	// section's name, or "" when unknown.
	Section string
	Msg     string
}

func (p *Problem) Error() string {
	if p.Section == "" {
		return fmt.Sprintf("offset 0x%x: %s", p.Offset, p.Msg)
	}
	return fmt.Sprintf("offset 0x%x (%s): %s", p.Offset, p.Section, p.Msg)
}

// OK reports whether the file was read without a problem.
func (d *Dump) OK() bool { return len(d.Problems) == 0 }

// Err returns the problems joined, or nil.
func (d *Dump) Err() error {
	errs := make([]error, len(d.Problems))
	for i := range d.Problems {
		errs[i] = &d.Problems[i]
	}
	return errors.Join(errs...)
}

// Section returns the first section named name, or nil.
func (d *Dump) Section(name string) *Section {
	for i := range d.Sections {
		if d.Sections[i].Name == name {
			return &d.Sections[i]
		}
	}
	return nil
}

// Read reads an .aot or .wasm file, telling them apart by the magic. It
// never fails outright: the returned Dump holds what could be read and
// lists the problems; the error is Dump.Err().
func Read(b []byte) (*Dump, error) {
	var d *Dump
	switch {
	case len(b) >= 4 && string(b[:4]) == "\x00asm":
		d = readWasm(b)
	case len(b) >= 4 && string(b[:4]) == aotfile.Magic:
		d = readAOT(b)
	default:
		d = &Dump{Data: b, Module: &wasm.Module{}}
		n := min(len(b), 4)
		d.Problems = []Problem{{Offset: 0, Section: "header",
			Msg: fmt.Sprintf("neither an .aot nor a .wasm file: magic is %q, want %q or %q", b[:n], aotfile.Magic, "\x00asm")}}
	}
	return d, d.Err()
}
