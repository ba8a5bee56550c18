package aotfile

import (
	"fmt"
	"hash/crc32"
)

// SectionID identifies a section. Ids below FirstOptionalID are defined by
// the format: a reader that meets one it does not know must reject the file.
// Ids from FirstOptionalID up may be skipped by readers that do not know
// them (tools' annotations, future hints).
type SectionID uint16

// Section ids. The module-level sections (SectionTypes to SectionNames) hold
// the payload of the Wasm binary section of the same name; the others have
// the encodings in docs/aot-format.md.
const (
	SectionTarget    SectionID = 1
	SectionTypes     SectionID = 2
	SectionImports   SectionID = 3
	SectionFuncTypes SectionID = 4
	SectionTables    SectionID = 5
	SectionMemories  SectionID = 6
	SectionTags      SectionID = 7
	SectionGlobals   SectionID = 8
	SectionExports   SectionID = 9
	SectionStart     SectionID = 10
	SectionElements  SectionID = 11
	SectionData      SectionID = 12
	SectionNames     SectionID = 13

	SectionFunctions SectionID = 0x20
	SectionText      SectionID = 0x21
	SectionRodata    SectionID = 0x22
	SectionRelocs    SectionID = 0x23
	SectionHelpers   SectionID = 0x24
	SectionOffsetMap SectionID = 0x25

	FirstOptionalID SectionID = 0x8000
)

var sectionNames = map[SectionID]string{
	SectionTarget: "target", SectionTypes: "types", SectionImports: "imports",
	SectionFuncTypes: "functypes", SectionTables: "tables", SectionMemories: "memories",
	SectionTags: "tags", SectionGlobals: "globals", SectionExports: "exports",
	SectionStart: "start", SectionElements: "elements", SectionData: "data",
	SectionNames: "names", SectionFunctions: "functions", SectionText: "text",
	SectionRodata: "rodata", SectionRelocs: "relocs", SectionHelpers: "helpers",
	SectionOffsetMap: "offsetmap",
}

// Known reports whether the format defines id.
func (id SectionID) Known() bool { _, ok := sectionNames[id]; return ok }

// String is the section's canonical name (the one its table entry carries),
// or "section(N)" for an id the format does not define.
func (id SectionID) String() string {
	if s, ok := sectionNames[id]; ok {
		return s
	}
	return fmt.Sprintf("section(%d)", uint16(id))
}

// Section table layout.
const (
	entrySize = 32
	nameLen   = 16
	// MaxAlign bounds a section's alignment: enough for any page size the
	// loader maps text with, small enough that padding stays sane.
	MaxAlign = 1 << 16
	// TextAlign is the least alignment of the text section, so the loader
	// can map it straight from the file on 4 KiB-page machines.
	TextAlign = 4096
)

// SectionHeader is one entry of the section table.
type SectionHeader struct {
	ID    SectionID
	Name  string
	Flags uint16 // reserved, 0
	Align uint32 // a power of two; Offset is a multiple of it
	// Offset and Size locate the payload in the file.
	Offset uint32
	Size   uint32
	// EntryOffset is where this entry lies in the file (for messages and
	// dumps); it is not stored.
	EntryOffset uint32
	// Bad is set when the entry failed a check; its payload is not decoded.
	Bad bool
	// Err is the first problem found in the entry or, after Read, in its
	// payload (the dumper prints it next to the section); nil if none.
	Err error
}

// End is the offset just past the payload.
func (s *SectionHeader) End() uint64 { return uint64(s.Offset) + uint64(s.Size) }

// Sections reads the header's section count and table offset and returns the
// section table. Every entry is checked (bounds, alignment, name, order,
// overlaps, duplicates); entries that fail are returned with Bad set, next to
// an error naming the offset of each problem. It does not decode payloads or
// verify the checksum.
func Sections(b []byte) ([]SectionHeader, error) {
	var errs errList
	h, ok := readHeader(b, &errs)
	if !ok {
		return nil, errs.err()
	}
	errs = errList{} // header field problems are Read's to report
	return readTable(b, &h, &errs), errs.err()
}

// readTable reads and checks the section table.
func readTable(b []byte, h *Header, errs *errList) []SectionHeader {
	const sec = "section table"
	size := uint64(len(b))
	tableEnd := uint64(h.TableOffset) + uint64(h.SectionCount)*entrySize
	switch {
	case h.TableOffset < HeaderSize:
		errs.add(errorf(offTableOffset, "header", "section table offset 0x%x lies inside the %d-byte header", h.TableOffset, HeaderSize))
		return nil
	case h.TableOffset%4 != 0:
		errs.add(errorf(offTableOffset, "header", "section table offset 0x%x is not a multiple of 4", h.TableOffset))
		return nil
	case uint64(h.TableOffset) > size:
		errs.add(errorf(offTableOffset, "header", "section table offset 0x%x is past the end of the %d-byte file", h.TableOffset, size))
		return nil
	case tableEnd > size:
		// Read the entries that are there, so a truncated file still dumps.
		errs.add(errorf(int64(size), sec, "section table of %d entries (0x%x to 0x%x) runs past the end of the %d-byte file",
			h.SectionCount, h.TableOffset, tableEnd, size))
	}
	n := (min(tableEnd, size) - uint64(h.TableOffset)) / entrySize
	out := make([]SectionHeader, 0, n)
	seen := map[SectionID]bool{}
	var prevEnd uint64 // end of the previous good section: payloads come in table order
	for i := uint64(0); i < n; i++ {
		at := uint64(h.TableOffset) + i*entrySize
		c := newCursor(b[at:at+entrySize], int64(at), sec)
		s := SectionHeader{EntryOffset: uint32(at)}
		s.ID = SectionID(c.u16("id"))
		s.Flags = c.u16("flags")
		s.Align = c.u32("alignment")
		s.Offset = c.u32("offset")
		s.Size = c.u32("size")
		name, nameErr := entryName(c.b[c.pos:], int64(at)+16)
		s.Name = name
		fail := func(err *Error) {
			errs.add(err)
			s.Bad, s.Err = true, err
		}
		bad := func(field int, format string, args ...any) {
			label := s.ID.String()
			if !s.ID.Known() {
				label = fmt.Sprintf("%q, id 0x%x", s.Name, uint16(s.ID))
			}
			fail(errorf(int64(at)+int64(field), sec, "entry %d (%s): %s", i, label, fmt.Sprintf(format, args...)))
		}
		switch {
		case nameErr != nil:
			fail(nameErr)
		case s.ID.Known() && s.Name != s.ID.String():
			bad(16, "name %q, id %d is named %q", s.Name, s.ID, s.ID.String())
		case !s.ID.Known() && s.ID < FirstOptionalID:
			bad(0, "unknown section id %d (0x%x): this reader cannot skip it", uint16(s.ID), uint16(s.ID))
		case seen[s.ID]:
			bad(0, "second section with id %d", uint16(s.ID))
		case s.Flags != 0:
			bad(2, "flags 0x%x, must be 0", s.Flags)
		case s.Align == 0 || s.Align&(s.Align-1) != 0 || s.Align > MaxAlign:
			bad(4, "alignment %d is not a power of two up to %d", s.Align, MaxAlign)
		case s.ID == SectionText && s.Align < TextAlign:
			bad(4, "text alignment %d, must be at least %d", s.Align, TextAlign)
		case s.Offset%s.Align != 0:
			bad(8, "offset 0x%x is not a multiple of its alignment %d", s.Offset, s.Align)
		case s.End() > size:
			bad(12, "payload 0x%x..0x%x runs past the end of the %d-byte file", s.Offset, s.End(), size)
		case uint64(s.Offset) < tableEnd:
			bad(8, "payload at 0x%x lies before the end of the section table (0x%x)", s.Offset, tableEnd)
		case uint64(s.Offset) < prevEnd:
			bad(8, "payload at 0x%x starts before the previous section ends (0x%x): sections must follow table order without overlap", s.Offset, prevEnd)
		}
		seen[s.ID] = true
		if !s.Bad {
			prevEnd = s.End()
		}
		out = append(out, s)
	}
	return out
}

// entryName decodes a NUL-padded section name lying at absolute offset at.
func entryName(raw []byte, at int64) (string, *Error) {
	const sec = "section table"
	n := len(raw)
	for i, ch := range raw {
		if ch == 0 {
			n = i
			break
		}
	}
	if n == 0 {
		return "", errorf(at, sec, "empty section name")
	}
	if i := badChar(raw[:n]); i >= 0 {
		return "", errorf(at+int64(i), sec, "section name: byte 0x%02x is not printable ASCII", raw[i])
	}
	if i := nonZero(raw[n:]); i >= 0 {
		return string(raw[:n]), errorf(at+int64(n+i), sec, "section name: byte 0x%02x after its terminating NUL", raw[n+i])
	}
	return string(raw[:n]), nil
}

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// Checksum computes the CRC-32C of an .aot file with its checksum field
// counted as four zero bytes, the value the header's checksum field holds.
// b must be at least HeaderSize bytes long.
func Checksum(b []byte) uint32 {
	var zero [4]byte
	crc := crc32.Update(0, castagnoli, b[:offChecksum])
	crc = crc32.Update(crc, castagnoli, zero[:])
	return crc32.Update(crc, castagnoli, b[offChecksum+4:])
}
