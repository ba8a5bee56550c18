package aotfile

import (
	"bytes"
	"fmt"

	"github.com/gcscope/gcscope/engine/binary"
	"github.com/gcscope/gcscope/engine/binary/leb128"
	"github.com/gcscope/gcscope/engine/wasm"
)

// fromWasmID maps the Wasm sections binary.Encode writes to the module-level
// sections that keep their payloads.
var fromWasmID = map[wasm.SectionID]SectionID{
	wasm.SectionType: SectionTypes, wasm.SectionImport: SectionImports,
	wasm.SectionTable: SectionTables, wasm.SectionMemory: SectionMemories,
	wasm.SectionTag: SectionTags, wasm.SectionGlobal: SectionGlobals,
	wasm.SectionExport: SectionExports, wasm.SectionStart: SectionStart,
	wasm.SectionElement: SectionElements, wasm.SectionData: SectionData,
}

// ModulePayloads encodes the declarations of m (everything but function
// bodies and custom sections other than names) as the payloads of the
// module-level sections, with engine/binary's encoder. m is not modified.
func ModulePayloads(m *wasm.Module) (map[SectionID][]byte, error) {
	// binary.Encode records offsets in the module it writes; encode a copy
	// that shares nothing writable with m, so the compiler's instruction
	// offsets keep referring to the source .wasm.
	c := wasm.Module{
		Types: m.Types, RecGroups: m.RecGroups, Imports: m.Imports,
		Memories: m.Memories, Tags: m.Tags, Exports: m.Exports,
		Start: m.Start, Names: m.Names,
	}
	c.Tables = append([]wasm.Table(nil), m.Tables...)
	for i := range c.Tables {
		c.Tables[i].Init = copyExpr(c.Tables[i].Init)
	}
	c.Globals = append([]wasm.Global(nil), m.Globals...)
	for i := range c.Globals {
		c.Globals[i].Init = copyExpr(c.Globals[i].Init)
	}
	c.Elems = append([]wasm.ElemSegment(nil), m.Elems...)
	for i := range c.Elems {
		e := &c.Elems[i]
		e.Offset = copyExpr(e.Offset)
		e.Init = append([]wasm.Expr(nil), e.Init...)
		for k := range e.Init {
			e.Init[k] = copyExpr(e.Init[k])
		}
	}
	c.Datas = append([]wasm.DataSegment(nil), m.Datas...)
	for i := range c.Datas {
		c.Datas[i].Offset = copyExpr(c.Datas[i].Offset)
	}
	bin, err := binary.Encode(&c)
	if err != nil {
		return nil, fmt.Errorf("aot: encoding the module's declarations: %w", err)
	}
	secs, err := binary.Sections(bin)
	if err != nil {
		return nil, fmt.Errorf("aot: splitting the encoded module: %w", err)
	}
	out := map[SectionID][]byte{}
	for _, s := range secs {
		p := bin[s.ContentOffset : s.ContentOffset+s.Size]
		if s.ID == wasm.SectionCustom {
			// Only the name section can be there; keep its contents after
			// the section's own name.
			prefix := append(leb128.AppendUint32(nil, 4), "name"...)
			if s.Name != "name" || !bytes.HasPrefix(p, prefix) {
				return nil, fmt.Errorf("aot: unexpected custom section %q in the encoded module", s.Name)
			}
			out[SectionNames] = append([]byte(nil), p[len(prefix):]...)
			continue
		}
		id, ok := fromWasmID[s.ID]
		if !ok {
			return nil, fmt.Errorf("aot: unexpected %s section in the encoded module", s.ID)
		}
		out[id] = append([]byte(nil), p...)
	}
	// The function section is encoded here: binary.Encode would write it
	// only with the code section, and bodies do not belong in the file.
	if len(m.Funcs) > 0 {
		p := leb128.AppendUint32(nil, uint32(len(m.Funcs)))
		for i := range m.Funcs {
			p = leb128.AppendUint32(p, m.Funcs[i].TypeIndex)
		}
		out[SectionFuncTypes] = p
	}
	return out, nil
}

func copyExpr(e wasm.Expr) wasm.Expr { return append(wasm.Expr(nil), e...) }

// SetModule sets every module-level section from m's declarations (see
// ModulePayloads), replacing any set before.
func (b *Builder) SetModule(m *wasm.Module) error {
	p, err := ModulePayloads(m)
	if err != nil {
		return err
	}
	b.f.ModulePayloads = p
	return nil
}
