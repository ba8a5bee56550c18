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
	r.header()
	if r.err != nil {
		return nil, r.err
	}
	var out []SectionInfo
	for !r.eof() {
		id, at, end := r.sectionHeader()
		if r.err != nil {
			break
		}
		info := SectionInfo{ID: id, Name: id.String(), Offset: at, ContentOffset: r.pos, Size: end - r.pos}
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
