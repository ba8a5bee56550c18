package binary

import (
	"fmt"

	"github.com/gcscope/gcscope/engine/wasm"
)

// sectionOrder is the order sections are written in.
var sectionOrder = []wasm.SectionID{
	wasm.SectionType, wasm.SectionImport, wasm.SectionFunction, wasm.SectionTable,
	wasm.SectionMemory, wasm.SectionTag, wasm.SectionGlobal, wasm.SectionExport,
	wasm.SectionStart, wasm.SectionElement, wasm.SectionDataCount, wasm.SectionCode,
	wasm.SectionData,
}

// encoder assembles a module: each section's contents are written to sec,
// with offsets relative to the contents' start, then copied after the
// section header, and the recorded offsets shifted to file offsets.
type encoder struct {
	m   *wasm.Module
	out writer
	sec writer
}

// Encode writes m in the binary format, with the name section from m.Names
// when it is non-nil. It records the offsets of what it wrote in m: every
// instruction's Offset, each function's Offset and BodyOffset, and sets
// m.Binary to the result, so offsets always refer to m.Binary. The output is
// deterministic: the same module always encodes to the same bytes.
func Encode(m *wasm.Module) ([]byte, error) {
	e := &encoder{m: m}
	e.out.buf = append(make([]byte, 0, 1024), magic+version...)
	// Custom sections go after the known section they followed; an empty
	// vector section is written when a custom section must follow it, so
	// that decoding the result places the custom section the same way.
	customsAfter := map[wasm.SectionID][]int{}
	pinned := map[wasm.SectionID]bool{}
	firstRawName := -1
	for i, c := range m.Customs {
		after := c.After
		if int(after) >= len(sectionRank) {
			after = wasm.SectionData
		}
		customsAfter[after] = append(customsAfter[after], i)
		pinned[after] = true
		if c.Name == "name" && firstRawName < 0 {
			firstRawName = i
		}
	}
	e.customs(customsAfter[wasm.SectionCustom], firstRawName)
	for _, id := range sectionOrder {
		e.section(id, pinned[id])
		e.customs(customsAfter[id], firstRawName)
		if e.out.err != nil || e.sec.err != nil {
			break
		}
	}
	if firstRawName < 0 {
		e.names()
	}
	if err := e.firstErr(); err != nil {
		return nil, err
	}
	m.Binary = e.out.buf
	return e.out.buf, nil
}

func (e *encoder) firstErr() error {
	err := e.out.err
	if err == nil {
		err = e.sec.err
	}
	if err != nil {
		return fmt.Errorf("binary: encode: %w", err)
	}
	return nil
}

// customs writes custom sections by index. The name section from m.Names
// goes right before the first raw custom section called "name", so that it
// is the one a decoder reads as the name section, as it was.
func (e *encoder) customs(idx []int, firstRawName int) {
	for _, i := range idx {
		if i == firstRawName {
			e.names()
		}
		c := &e.m.Customs[i]
		e.sec.buf = e.sec.buf[:0]
		e.sec.name(c.Name)
		e.sec.bytes(c.Data)
		e.flush(wasm.SectionCustom, nil)
	}
}

// flush writes the section in e.sec with its header and returns, through
// shift, the file offset of its contents so recorded offsets can be fixed.
func (e *encoder) flush(id wasm.SectionID, shift func(base uint32)) {
	e.out.byte(byte(id))
	e.out.count(len(e.sec.buf))
	base := e.out.offset()
	e.out.bytes(e.sec.buf)
	if shift != nil {
		shift(base)
	}
}

// shiftExpr moves an expression's recorded offsets by base.
func shiftExpr(x wasm.Expr, base uint32) {
	for i := range x {
		x[i].Offset += base
	}
}

// section encodes one known section, skipping it when it would be empty
// unless force asks for it (vector sections only).
func (e *encoder) section(id wasm.SectionID, force bool) {
	m, w := e.m, &e.sec
	w.buf = w.buf[:0]
	var shift func(uint32)
	switch id {
	case wasm.SectionType:
		if len(m.Types) == 0 && len(m.RecGroups) == 0 && !force {
			return
		}
		e.typeSection()
	case wasm.SectionImport:
		if len(m.Imports) == 0 && !force {
			return
		}
		w.count(len(m.Imports))
		for i := range m.Imports {
			e.importEntry(&m.Imports[i])
		}
	case wasm.SectionFunction:
		if len(m.Funcs) == 0 && !force {
			return
		}
		w.count(len(m.Funcs))
		for i := range m.Funcs {
			w.u32(m.Funcs[i].TypeIndex)
		}
	case wasm.SectionTable:
		if len(m.Tables) == 0 && !force {
			return
		}
		w.count(len(m.Tables))
		for i := range m.Tables {
			t := &m.Tables[i]
			if t.Init != nil {
				w.byte(codeEmpty)
				w.byte(0)
				w.tableType(t.Type)
				w.instrs(t.Init)
			} else {
				w.tableType(t.Type)
			}
		}
		shift = func(base uint32) {
			for i := range m.Tables {
				shiftExpr(m.Tables[i].Init, base)
			}
		}
	case wasm.SectionMemory:
		if len(m.Memories) == 0 && !force {
			return
		}
		w.count(len(m.Memories))
		for i := range m.Memories {
			w.memoryType(m.Memories[i].Type)
		}
	case wasm.SectionTag:
		if len(m.Tags) == 0 && !force {
			return
		}
		w.count(len(m.Tags))
		for i := range m.Tags {
			w.tagType(m.Tags[i].Type)
		}
	case wasm.SectionGlobal:
		if len(m.Globals) == 0 && !force {
			return
		}
		w.count(len(m.Globals))
		for i := range m.Globals {
			w.globalType(m.Globals[i].Type)
			w.instrs(m.Globals[i].Init)
		}
		shift = func(base uint32) {
			for i := range m.Globals {
				shiftExpr(m.Globals[i].Init, base)
			}
		}
	case wasm.SectionExport:
		if len(m.Exports) == 0 && !force {
			return
		}
		w.count(len(m.Exports))
		for _, x := range m.Exports {
			w.name(x.Name)
			w.byte(byte(x.Kind))
			w.u32(x.Index)
		}
	case wasm.SectionStart:
		if m.Start == nil {
			return
		}
		w.u32(*m.Start)
	case wasm.SectionElement:
		if len(m.Elems) == 0 && !force {
			return
		}
		w.count(len(m.Elems))
		for i := range m.Elems {
			e.elemSegment(&m.Elems[i])
		}
		shift = func(base uint32) {
			for i := range m.Elems {
				shiftExpr(m.Elems[i].Offset, base)
				for _, x := range m.Elems[i].Init {
					shiftExpr(x, base)
				}
			}
		}
	case wasm.SectionDataCount:
		switch {
		case m.DataCount != nil:
			w.u32(*m.DataCount)
		case usesDataIndex(m):
			// Required when code names data segments; a module from text
			// need not say so itself.
			w.count(len(m.Datas))
		default:
			return
		}
	case wasm.SectionCode:
		if len(m.Funcs) == 0 && !force {
			return
		}
		e.codeSection()
		shift = func(base uint32) {
			for i := range m.Funcs {
				f := &m.Funcs[i]
				f.Offset += base
				f.BodyOffset += base
				shiftExpr(f.Body, base)
			}
		}
	case wasm.SectionData:
		if len(m.Datas) == 0 && !force {
			return
		}
		w.count(len(m.Datas))
		for i := range m.Datas {
			d := &m.Datas[i]
			switch {
			case d.Mode == wasm.SegmentPassive:
				w.u32(1)
			case d.Mode != wasm.SegmentActive:
				w.fail("data segment %d has mode %d", i, d.Mode)
			case d.Memory == 0:
				w.u32(0)
				w.instrs(d.Offset)
			default:
				w.u32(2)
				w.u32(d.Memory)
				w.instrs(d.Offset)
			}
			w.count(len(d.Init))
			w.bytes(d.Init)
		}
		shift = func(base uint32) {
			for i := range m.Datas {
				shiftExpr(m.Datas[i].Offset, base)
			}
		}
	}
	if w.err != nil {
		return
	}
	e.flush(id, shift)
}
