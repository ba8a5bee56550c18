package aotdump

import (
	"errors"
	"fmt"

	"github.com/gcscope/gcscope/engine/binary"
	"github.com/gcscope/gcscope/engine/binary/leb128"
	"github.com/gcscope/gcscope/engine/wasm"
)

// wasmContents says what each Wasm section holds.
var wasmContents = map[wasm.SectionID]Content{
	wasm.SectionType: ContentTypes, wasm.SectionImport: ContentImports,
	wasm.SectionFunction: ContentFuncTypes, wasm.SectionTable: ContentTables,
	wasm.SectionMemory: ContentMemories, wasm.SectionTag: ContentTags,
	wasm.SectionGlobal: ContentGlobals, wasm.SectionExport: ContentExports,
	wasm.SectionStart: ContentStart, wasm.SectionElement: ContentElems,
	wasm.SectionData: ContentDatas, wasm.SectionDataCount: ContentDataCount,
	wasm.SectionCode: ContentCode,
}

const wasmPreamble = "\x00asm\x01\x00\x00\x00"

// readWasm builds a Dump of a .wasm file. A sound module is decoded once,
// whole; a damaged one is decoded section by section (each wrapped in a
// module of its own) so that every readable section still shows.
func readWasm(b []byte) *Dump {
	d := &Dump{Kind: KindWasm, Data: b}
	infos, serr := binary.Sections(b)
	m, err := safeDecode(b)
	whole := err == nil
	if !whole {
		m = &wasm.Module{Binary: b}
		d.addWasmError(err)
		if serr != nil && (err == nil || serr.Error() != err.Error()) {
			d.addWasmError(serr)
		}
	}
	d.Module = m
	customs := 0
	for _, in := range infos {
		s := Section{ID: uint16(in.ID), Name: in.Name, Offset: uint32(in.ContentOffset),
			Size: uint32(in.Size), HeaderOffset: uint32(in.Offset), Align: 1}
		if c, ok := wasmContents[in.ID]; ok {
			s.Content = c
		} else if in.ID == wasm.SectionCustom {
			s.Content, s.Custom = ContentCustom, -1
			if in.Name == "name" && m.Names != nil {
				s.Content = ContentNames
			}
		}
		if whole && s.Content == ContentCustom {
			// binary.Decode keeps custom sections other than a readable
			// "name" in file order.
			if customs < len(m.Customs) && m.Customs[customs].Name == in.Name {
				s.Custom = customs
				customs++
			}
		}
		d.Sections = append(d.Sections, s)
	}
	if !whole {
		d.decodeEach(infos)
	}
	// Attach each problem to the section it lies in.
	for i := range d.Problems {
		p := &d.Problems[i]
		for k := range d.Sections {
			s := &d.Sections[k]
			if p.Offset >= int64(s.HeaderOffset) && p.Offset < int64(s.Offset)+int64(s.Size) {
				if p.Section == "" {
					p.Section = s.Name
				}
				if s.Problem == nil {
					cp := *p
					s.Problem = &cp
				}
				break
			}
		}
	}
	return d
}

// addWasmError records one of engine/binary's errors.
func (d *Dump) addWasmError(err error) {
	var we *wasm.Error
	p := Problem{Offset: -1, Msg: err.Error()}
	if errors.As(err, &we) {
		p.Offset, p.Msg = we.Offset, we.Msg
	}
	for _, q := range d.Problems {
		if q.Offset == p.Offset && q.Msg == p.Msg {
			return
		}
	}
	d.Problems = append(d.Problems, p)
}

// decodeEach decodes the sections of a damaged module one by one into
// d.Module, recording each section's own problem.
func (d *Dump) decodeEach(infos []binary.SectionInfo) {
	m := d.Module
	raw := func(in binary.SectionInfo) []byte { return d.Data[in.Offset : in.ContentOffset+in.Size] }
	var funcSec []byte
	for _, in := range infos {
		if in.ID == wasm.SectionFunction {
			funcSec = raw(in)
		}
	}
	for k, in := range infos {
		s := &d.Sections[k]
		payload := d.Data[in.ContentOffset : in.ContentOffset+in.Size]
		switch in.ID {
		case wasm.SectionFunction:
			idx, err := uintVector(payload, int64(in.ContentOffset), true)
			for _, ti := range idx {
				m.Funcs = append(m.Funcs, wasm.Func{TypeIndex: ti})
			}
			d.sectionProblem(s, err)
			continue
		case wasm.SectionDataCount:
			v, err := uintVector(payload, int64(in.ContentOffset), false)
			if len(v) == 1 {
				m.DataCount = &v[0]
			}
			d.sectionProblem(s, err)
			continue
		}
		// Wrap the section (for code, after the function section and an
		// empty data count, which its decoding needs) in a module.
		w := []byte(wasmPreamble)
		if in.ID == wasm.SectionCode {
			w = append(w, funcSec...)
			w = append(w, byte(wasm.SectionDataCount), 1, 0)
		}
		start := len(w)
		w = append(w, raw(in)...)
		delta := int64(in.Offset) - int64(start)
		sm, err := safeDecode(w)
		if err != nil {
			var we *wasm.Error
			if errors.As(err, &we) && we.Offset >= int64(start) {
				e := *we
				e.Offset += delta
				err = &e
			} else if errors.As(err, &we) {
				e := *we
				e.Offset = int64(in.Offset)
				err = &e
			}
			d.sectionProblem(s, err)
			continue
		}
		sm.ShiftOffsets(delta)
		m.TakeSection(sm, in.ID)
		if in.ID == wasm.SectionCustom {
			if in.Name == "name" && sm.Names != nil {
				s.Content = ContentNames
			} else if len(sm.Customs) > 0 {
				s.Custom = len(m.Customs) - 1
			}
		}
	}
}

// sectionProblem records err as section s's problem.
func (d *Dump) sectionProblem(s *Section, err error) {
	if err == nil {
		return
	}
	d.addWasmError(err)
	for i := range d.Problems {
		p := &d.Problems[i]
		if p.Section == "" && p.Offset >= int64(s.HeaderOffset) && p.Offset <= int64(s.Offset)+int64(s.Size) {
			p.Section = s.Name
		}
	}
	if s.Problem == nil {
		p := d.Problems[len(d.Problems)-1]
		p.Section = s.Name
		s.Problem = &p
	}
}

// uintVector reads a vector of LEB128 u32 (vec) or a single one, checking
// that it fills b exactly.
func uintVector(b []byte, off int64, vec bool) ([]uint32, error) {
	n := uint32(1)
	pos := 0
	if vec {
		v, k, err := leb128.Uint32(b)
		if err != nil {
			return nil, wasm.MalformedAt(off, "count: %v", err)
		}
		n, pos = v, k
		if uint64(n) > uint64(len(b)-pos) {
			return nil, wasm.MalformedAt(off, "unexpected end: count %d, %d bytes follow", n, len(b)-pos)
		}
	}
	out := make([]uint32, 0, n)
	for i := uint32(0); i < n; i++ {
		v, k, err := leb128.Uint32(b[pos:])
		if err != nil {
			return out, wasm.MalformedAt(off+int64(pos+k), "entry %d: %v", i, err)
		}
		out = append(out, v)
		pos += k
	}
	if pos != len(b) {
		return out, wasm.MalformedAt(off+int64(pos), "section size mismatch: %d unused bytes", len(b)-pos)
	}
	return out, nil
}

// safeDecode runs binary.Decode, turning a panic into an error: the dumper
// must survive any input even if the decoder has a bug.
func safeDecode(b []byte) (m *wasm.Module, err error) {
	defer func() {
		if r := recover(); r != nil {
			m, err = nil, fmt.Errorf("internal error in the Wasm decoder: %v", r)
		}
	}()
	return binary.Decode(b)
}
