package aotfile

import (
	"errors"
	"fmt"

	"github.com/gcscope/gcscope/engine/binary"
	"github.com/gcscope/gcscope/engine/binary/leb128"
	"github.com/gcscope/gcscope/engine/wasm"
)

// wasmIDs maps the module-level sections to the Wasm sections whose payload
// encoding they keep. SectionFuncTypes and SectionNames are handled apart:
// the Wasm function section cannot be decoded without a code section, and
// the name section is a custom section.
var wasmIDs = map[SectionID]wasm.SectionID{
	SectionTypes: wasm.SectionType, SectionImports: wasm.SectionImport,
	SectionFuncTypes: wasm.SectionFunction, SectionTables: wasm.SectionTable,
	SectionMemories: wasm.SectionMemory, SectionTags: wasm.SectionTag,
	SectionGlobals: wasm.SectionGlobal, SectionExports: wasm.SectionExport,
	SectionStart: wasm.SectionStart, SectionElements: wasm.SectionElement,
	SectionData: wasm.SectionData, SectionNames: wasm.SectionCustom,
}

// IsModuleSection reports whether id is one of the module-level sections
// that hold a Wasm section payload.
func IsModuleSection(id SectionID) bool { _, ok := wasmIDs[id]; return ok }

// DecodeWasmSection decodes the payload of module-level section id, lying at
// absolute offset off, into a module that has only that section's fields
// set: Types and RecGroups, Imports, Funcs (TypeIndex only, for
// SectionFuncTypes), Tables, Memories, Tags, Globals, Exports, Start, Elems,
// Datas or Names. The payload is decoded by engine/binary, so the Wasm types
// have one decoder; its error offsets, and the Offset of every instruction
// in a constant expression, are translated to file offsets.
func DecodeWasmSection(id SectionID, b []byte, off int64) (*wasm.Module, error) {
	wid, ok := wasmIDs[id]
	if !ok {
		return nil, errorf(off, id.String(), "not a module-level section")
	}
	if id == SectionFuncTypes {
		return decodeFuncTypes(b, off)
	}
	// Wrap the payload in a module holding only this section.
	mod := []byte("\x00asm\x01\x00\x00\x00")
	mod = append(mod, byte(wid))
	var prefix []byte
	if id == SectionNames {
		prefix = append(leb128.AppendUint32(nil, 4), "name"...)
	}
	mod = leb128.AppendUint32(mod, uint32(len(prefix)+len(b)))
	mod = append(mod, prefix...)
	start := len(mod)
	mod = append(mod, b...)

	m, err := safeDecode(mod)
	if err != nil {
		var we *wasm.Error
		at := off
		msg := err.Error()
		if errors.As(err, &we) {
			msg = we.Msg
			if we.Offset >= int64(start) {
				at = off + we.Offset - int64(start)
			}
		}
		return nil, errorf(at, id.String(), "%s", msg)
	}
	m.Binary = nil // the wrapper, not the caller's file
	m.ShiftOffsets(off - int64(start))
	if id == SectionNames && m.Names == nil {
		// engine/binary keeps a name section it cannot read as a plain custom
		// section, since names never make a Wasm module malformed; in an .aot
		// file the compiler wrote it, so it is damage.
		return m, errorf(off, id.String(), "malformed name section")
	}
	return m, nil
}

// safeDecode runs binary.Decode, turning a panic in it into an error: the
// loader must survive hostile input even if the Wasm decoder has a bug.
func safeDecode(b []byte) (m *wasm.Module, err error) {
	defer func() {
		if r := recover(); r != nil {
			m, err = nil, fmt.Errorf("internal error in the Wasm decoder: %v", r)
		}
	}()
	return binary.Decode(b)
}

// decodeFuncTypes reads a Wasm function section payload: a vector of type
// indices.
func decodeFuncTypes(b []byte, off int64) (*wasm.Module, error) {
	const sec = "functypes"
	n, k, err := leb128.Uint32(b)
	if err != nil {
		return nil, errorf(off+int64(k), sec, "function count: %v", err)
	}
	pos := k
	// Each index takes at least one byte: bound the count before allocating.
	if uint64(n) > uint64(len(b)-pos) {
		return nil, errorf(off, sec, "function count %d, but only %d bytes follow", n, len(b)-pos)
	}
	m := &wasm.Module{Funcs: make([]wasm.Func, 0, n)}
	for i := uint32(0); i < n; i++ {
		ti, k, err := leb128.Uint32(b[pos:])
		if err != nil {
			return m, errorf(off+int64(pos+k), sec, "type index of function %d: %v", i, err)
		}
		m.Funcs = append(m.Funcs, wasm.Func{TypeIndex: ti})
		pos += k
	}
	if pos != len(b) {
		return m, errorf(off+int64(pos), sec, "%d unused bytes at the end of the section", len(b)-pos)
	}
	return m, nil
}
