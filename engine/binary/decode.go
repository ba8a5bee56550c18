package binary

import (
	"github.com/gcscope/gcscope/engine/wasm"
)

const (
	magic   = "\x00asm"
	version = "\x01\x00\x00\x00"
	// maxLocals bounds the locals a function may declare in total. The spec
	// allows up to 2^32-1, but no real program comes near this and engines
	// (V8 among them) draw the line here, so a hostile count never turns
	// into a huge allocation.
	maxLocals = 50000
	// baseModuleLocals and localsPerByte bound the locals of all functions
	// together. Locals are kept expanded (16 bytes each), so without a bound
	// a small file of many tiny functions, each declaring maxLocals, would
	// cost gigabytes. The bound grows with the file, as instructions do
	// (each takes one Instr); real programs stay far below it (the largest
	// compiler output we test, 3.5 MB, has 27 thousand locals).
	baseModuleLocals = 1 << 20
	localsPerByte    = 4
)

// sectionRank orders the known sections as the binary format requires them
// (the tag section sits between memory and global, data count before code).
var sectionRank = [...]int{
	wasm.SectionType: 1, wasm.SectionImport: 2, wasm.SectionFunction: 3,
	wasm.SectionTable: 4, wasm.SectionMemory: 5, wasm.SectionTag: 6,
	wasm.SectionGlobal: 7, wasm.SectionExport: 8, wasm.SectionStart: 9,
	wasm.SectionElement: 10, wasm.SectionDataCount: 11, wasm.SectionCode: 12,
	wasm.SectionData: 13,
}

// decoder holds what reading one module needs beyond the reader.
type decoder struct {
	r *reader
	m *wasm.Module
	// funcTypes is the function section, until the code section pairs it
	// with bodies.
	funcTypes []uint32
	usesData  bool // some body names a data segment
	nameSeen  bool // a custom section called "name" was seen
	// moduleLocals counts the locals declared so far, up to
	// maxModuleLocals (see baseModuleLocals).
	moduleLocals, maxModuleLocals uint64
}

// Decode decodes a binary module. Errors are *wasm.Error with Phase
// wasm.Malformed and the byte offset of the problem. The module keeps b as
// Module.Binary, and records the offset of every function and instruction;
// custom section and data segment bytes share b's memory, so b must not
// change afterwards.
func Decode(b []byte) (*wasm.Module, error) {
	d := &decoder{r: newReader(b), m: &wasm.Module{Binary: b},
		maxModuleLocals: baseModuleLocals + localsPerByte*uint64(len(b))}
	d.module()
	if d.r.err != nil {
		return nil, d.r.err
	}
	return d.m, nil
}

// header checks the magic number and version and moves past them.
func (r *reader) header() {
	switch {
	case len(r.b) < 4:
		r.failAt(len(r.b), "unexpected end")
	case string(r.b[:4]) != magic:
		r.failAt(0, "magic header not detected")
	case len(r.b) < 8:
		r.failAt(len(r.b), "unexpected end")
	case string(r.b[4:8]) != version:
		r.failAt(4, "unknown binary version")
	default:
		r.pos = 8
	}
}

// sectionHeader reads a section's id and size, checking that the id is
// known and the contents fit in the file. It returns the offset of the
// header and the end of the contents; the reader is left at their start.
func (r *reader) sectionHeader() (id wasm.SectionID, at, end int) {
	at = r.pos
	id = wasm.SectionID(r.byte())
	if int(id) >= len(sectionRank) {
		r.failAt(at, "malformed section id: %d", id)
		return
	}
	size := r.u32()
	if r.err != nil {
		return
	}
	if uint64(size) > uint64(r.remaining()) {
		r.failAt(at+1, "length out of bounds: section of %d bytes, %d left", size, r.remaining())
		return
	}
	return id, at, r.pos + int(size)
}

func (d *decoder) module() {
	r := d.r
	r.header()
	last := wasm.SectionCustom // the last known section read
	for r.err == nil && !r.eof() {
		id, at, end := r.sectionHeader()
		if r.err != nil {
			return
		}
		start := r.pos
		if id == wasm.SectionCustom {
			d.custom(end, last)
		} else {
			if sectionRank[id] <= sectionRank[last] {
				r.failAt(at, "unexpected content after last section: %s section after %s section", id, last)
				return
			}
			last = id
			r.endMsg = msgEndSection
			d.section(id)
			r.endMsg = msgEnd
		}
		if r.err == nil && r.pos != end {
			r.failAt(end, "section size mismatch: %s section of %d bytes, its content ends at 0x%x",
				id, end-start, r.pos)
		}
	}
	if r.err != nil {
		return
	}
	d.finish()
}

// finish makes the checks that need the whole module.
func (d *decoder) finish() {
	r, m := d.r, d.m
	if len(d.funcTypes) != len(m.Funcs) {
		r.failAt(len(r.b), "function and code section have inconsistent lengths: %d types, %d bodies",
			len(d.funcTypes), len(m.Funcs))
		return
	}
	if m.DataCount != nil && int64(*m.DataCount) != int64(len(m.Datas)) {
		r.failAt(len(r.b), "data count and data section have inconsistent lengths: count %d, %d segments",
			*m.DataCount, len(m.Datas))
		return
	}
	if m.DataCount == nil && d.usesData {
		r.failAt(len(r.b), "data count section required")
	}
}

func (d *decoder) section(id wasm.SectionID) {
	switch id {
	case wasm.SectionType:
		d.typeSection()
	case wasm.SectionImport:
		d.importSection()
	case wasm.SectionFunction:
		d.functionSection()
	case wasm.SectionTable:
		d.tableSection()
	case wasm.SectionMemory:
		d.memorySection()
	case wasm.SectionTag:
		d.tagSection()
	case wasm.SectionGlobal:
		d.globalSection()
	case wasm.SectionExport:
		d.exportSection()
	case wasm.SectionStart:
		start := d.r.u32()
		d.m.Start = &start
	case wasm.SectionElement:
		d.elemSection()
	case wasm.SectionDataCount:
		n := d.r.u32()
		d.m.DataCount = &n
	case wasm.SectionCode:
		d.codeSection()
	case wasm.SectionData:
		d.dataSection()
	}
}

// custom reads a custom section: the name section is decoded into
// Module.Names (the first one only, and only if it is well-formed, since
// custom sections never make a module malformed); every other one is kept
// as bytes.
func (d *decoder) custom(end int, after wasm.SectionID) {
	r := d.r
	r.endMsg = msgEndSection
	name := r.name()
	r.endMsg = msgEnd
	if r.err != nil {
		return
	}
	if r.pos > end {
		r.failAt(end, "unexpected end: custom section name runs past the section")
		return
	}
	data := r.bytes(end - r.pos)
	if name == "name" && !d.nameSeen {
		d.nameSeen = true
		if names, ok := decodeNames(data); ok {
			d.m.Names = names
			return
		}
	}
	d.m.Customs = append(d.m.Customs, wasm.Custom{Name: name, Data: data, After: after})
}
