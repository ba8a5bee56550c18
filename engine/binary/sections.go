package binary

import "github.com/gcscope/gcscope/engine/wasm"

// SectionInfo describes one section of a binary module as it lies in the
// file.
type SectionInfo struct {
	ID wasm.SectionID
	// Name is the custom section's name (id 0), or the known section's name.
	Name string
	// Offset is where the section header (its id byte) starts;
	// ContentOffset and Size locate its contents, after the size field.
	Offset        int
	ContentOffset int
	Size          int
}

// Sections lists the sections of a binary module without decoding their
// contents. If the file is damaged it returns the sections it could read
// and a *wasm.Error naming the offset of the damage.
func Sections(b []byte) ([]SectionInfo, error) {
	r := newReader(b)
	switch {
	case len(b) < 4:
		r.failAt(len(b), "unexpected end")
	case string(b[:4]) != magic:
		r.failAt(0, "magic header not detected")
	case len(b) < 8:
		r.failAt(len(b), "unexpected end")
	case string(b[4:8]) != version:
		r.failAt(4, "unknown binary version")
	}
	if r.err != nil {
		return nil, r.err
	}
	r.pos = 8
	var out []SectionInfo
	for !r.eof() {
		at := r.pos
		id := wasm.SectionID(r.byte())
		if int(id) >= len(sectionRank) {
			r.failAt(at, "malformed section id: %d", id)
			break
		}
		size := r.u32()
		if r.err != nil {
			break
		}
		if uint64(size) > uint64(r.remaining()) {
			r.failAt(at+1, "length out of bounds: section of %d bytes, %d left", size, r.remaining())
			break
		}
		info := SectionInfo{ID: id, Name: id.String(), Offset: at, ContentOffset: r.pos, Size: int(size)}
		end := r.pos + int(size)
		if id == wasm.SectionCustom {
			r.endMsg = msgEndSection
			info.Name = r.name()
			r.endMsg = msgEnd
			if r.err == nil && r.pos > end {
				r.failAt(end, "unexpected end: custom section name runs past the section")
			}
			if r.err != nil {
				break
			}
		}
		out = append(out, info)
		r.pos = end
	}
	if r.err != nil {
		return out, r.err
	}
	return out, nil
}
