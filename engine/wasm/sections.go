package wasm

// ShiftOffsets moves every byte offset recorded in m (functions, their
// bodies, constant expressions) by delta. Tools that decode one section
// wrapped in a small module of its own use it to make offsets name the
// place in the file they read. Offsets of 0 mean "unknown" and stay so.
func (m *Module) ShiftOffsets(delta int64) {
	sh := func(v uint32) uint32 {
		if v == 0 {
			return 0
		}
		return uint32(int64(v) + delta)
	}
	shift := func(e Expr) {
		for i := range e {
			e[i].Offset = sh(e[i].Offset)
		}
	}
	for i := range m.Funcs {
		f := &m.Funcs[i]
		f.Offset, f.BodyOffset = sh(f.Offset), sh(f.BodyOffset)
		shift(f.Body)
	}
	for i := range m.Tables {
		shift(m.Tables[i].Init)
	}
	for i := range m.Globals {
		shift(m.Globals[i].Init)
	}
	for i := range m.Elems {
		shift(m.Elems[i].Offset)
		for _, e := range m.Elems[i].Init {
			shift(e)
		}
	}
	for i := range m.Datas {
		shift(m.Datas[i].Offset)
	}
}

// TakeSection copies into m the fields that section id fills, from src, a
// module decoded from that section alone. The function and code sections
// both fill Funcs; a custom section brings the name section's content (if
// m has none yet) and the other custom sections.
func (m *Module) TakeSection(src *Module, id SectionID) {
	switch id {
	case SectionType:
		m.Types, m.RecGroups = src.Types, src.RecGroups
	case SectionImport:
		m.Imports = src.Imports
	case SectionFunction, SectionCode:
		m.Funcs = src.Funcs
	case SectionTable:
		m.Tables = src.Tables
	case SectionMemory:
		m.Memories = src.Memories
	case SectionTag:
		m.Tags = src.Tags
	case SectionGlobal:
		m.Globals = src.Globals
	case SectionExport:
		m.Exports = src.Exports
	case SectionStart:
		m.Start = src.Start
	case SectionElement:
		m.Elems = src.Elems
	case SectionData:
		m.Datas = src.Datas
	case SectionDataCount:
		m.DataCount = src.DataCount
	case SectionCustom:
		if src.Names != nil && m.Names == nil {
			m.Names = src.Names
		}
		m.Customs = append(m.Customs, src.Customs...)
	}
}
