package aotfile

import "github.com/gcscope/gcscope/engine/wasm"

// Read decodes an .aot file. It checks everything it can and always returns
// a *File with whatever was readable, next to an error describing every
// problem (each an *Error naming the absolute byte offset, plus a
// *ChecksumError if the checksum does not match), so the dumper can print
// what is there and the loader can refuse the file. A nil error means the
// file is sound: the loader still checks the target, ABI and features
// (Header.CheckTarget, CheckABI, CheckFeatures).
func Read(b []byte) (*File, error) {
	var errs errList
	f := &File{Module: &wasm.Module{}}
	h, ok := readHeader(b, &errs)
	f.Header = h
	if !ok {
		return f, errs.err()
	}
	switch size := uint64(len(b)); {
	case uint64(h.FileSize) > size:
		errs.add(errorf(int64(size), "header", "file ends at 0x%x, header says it is %d bytes: truncated", size, h.FileSize))
	case uint64(h.FileSize) < size:
		errs.add(errorf(int64(h.FileSize), "header", "%d bytes follow the %d the header gives", size-uint64(h.FileSize), h.FileSize))
	}
	f.ComputedChecksum = Checksum(b)
	f.ChecksumOK = f.ComputedChecksum == h.Checksum
	if !f.ChecksumOK {
		// Reported before the structural problems it probably explains,
		// and never lost to the cap on reported problems.
		errs.add(&ChecksumError{Stored: h.Checksum, Computed: f.ComputedChecksum})
	}

	f.Sections = readTable(b, &f.Header, &errs)
	good := map[SectionID]bool{} // sections that decoded without a problem
	for i := range f.Sections {
		s := &f.Sections[i]
		if s.Bad {
			continue
		}
		if err := f.decodeSection(s, b[s.Offset:s.End()]); err != nil {
			errs.add(err)
			s.Err = err
			continue
		}
		good[s.ID] = true
	}
	if !anyBad(f.Sections) { // a bad entry's payload is unknown, not padding
		checkPadding(b, f.Sections, &errs)
	}
	f.crossCheck(good, &errs)
	return f, errs.err()
}

// decodeSection decodes one payload into f.
func (f *File) decodeSection(s *SectionHeader, p []byte) error {
	off := int64(s.Offset)
	var err error
	switch id := s.ID; {
	case id == SectionTarget:
		var t TargetInfo
		t, err = DecodeTargetInfo(p, off)
		f.Target = &t
	case IsModuleSection(id):
		if f.ModulePayloads == nil {
			f.ModulePayloads = map[SectionID][]byte{}
		}
		f.ModulePayloads[id] = append([]byte{}, p...)
		var m *wasm.Module
		m, err = DecodeWasmSection(id, p, off)
		if m != nil {
			f.Module.TakeSection(m, wasmIDs[id])
		}
	case id == SectionFunctions:
		f.Functions, err = DecodeFunctions(p, off)
	case id == SectionText:
		f.Text = append([]byte{}, p...)
	case id == SectionRodata:
		f.Rodata = append([]byte{}, p...)
	case id == SectionRelocs:
		f.Relocs, err = DecodeRelocs(p, off, f.Header.Target.Arch)
	case id == SectionHelpers:
		f.Helpers, err = DecodeHelpers(p, off)
	case id == SectionOffsetMap:
		f.OffsetMaps, err = DecodeOffsetMaps(p, off)
	default:
		f.Extra = append(f.Extra, RawSection{ID: id, Name: s.Name, Align: s.Align, Data: append([]byte{}, p...)})
	}
	return err
}

// crossCheck makes the checks that involve two sections, between sections
// that decoded cleanly (an absent section counts as empty).
func (f *File) crossCheck(good map[SectionID]bool, errs *errList) {
	ok := func(id SectionID) bool { return good[id] || f.Section(id) == nil }
	// report blames section id, at rel bytes into its payload.
	report := func(id SectionID, rel int, format string, args ...any) {
		s := f.Section(id)
		at := int64(offTableOffset) // the section is missing: blame the table
		if s != nil {
			at = int64(s.Offset) + int64(rel)
		}
		err := errorf(at, id.String(), format, args...)
		errs.add(err)
		if s != nil && s.Err == nil {
			s.Err = err
		}
	}
	text, rodata := uint64(len(f.Text)), uint64(len(f.Rodata))
	nfn := uint64(len(f.Functions))
	m := f.Module
	record := func(i int) int { return 4 + i*funcRecordSize }

	if ok(SectionFunctions) && ok(SectionText) {
		for i := range f.Functions {
			fn := &f.Functions[i]
			if end := uint64(fn.CodeOffset) + uint64(fn.CodeSize); end > text {
				report(SectionFunctions, record(i)+4, "function %d: code 0x%x..0x%x lies outside the %d-byte text section", i, fn.CodeOffset, end, text)
			}
		}
	}
	if ok(SectionFunctions) && ok(SectionTypes) {
		for i := range f.Functions {
			switch ti := f.Functions[i].TypeIndex; {
			case uint64(ti) >= uint64(len(m.Types)):
				report(SectionFunctions, record(i), "function %d: type index %d, the module has %d types", i, ti, len(m.Types))
			case m.Types[ti].Comp.Kind != wasm.CompFunc:
				report(SectionFunctions, record(i), "function %d: type %d is not a function type", i, ti)
			}
		}
	}
	if ok(SectionFunctions) && ok(SectionFuncTypes) {
		if len(m.Funcs) != len(f.Functions) {
			report(SectionFunctions, 0, "%d functions, the functypes section lists %d", len(f.Functions), len(m.Funcs))
		} else {
			for i := range f.Functions {
				if f.Functions[i].TypeIndex != m.Funcs[i].TypeIndex {
					report(SectionFunctions, record(i), "function %d: type index %d, the functypes section says %d", i, f.Functions[i].TypeIndex, m.Funcs[i].TypeIndex)
				}
			}
		}
	}
	if ok(SectionRelocs) && ok(SectionText) && ok(SectionRodata) && ok(SectionFunctions) {
		for i, r := range f.Relocs {
			rel := 4 + i*relocSize
			if uint64(r.Offset)+uint64(RelocWidth(f.Header.Target.Arch, r.Type)) > text {
				report(SectionRelocs, rel, "relocation %d: patches 0x%x, outside the %d-byte text section", i, r.Offset, text)
			}
			var limit uint64
			switch r.Kind {
			case TargetFunction:
				limit = nfn
			case TargetText:
				limit = text + 1 // the address just past the end is a valid one
			case TargetRodata:
				limit = rodata + 1
			}
			if uint64(r.Index) >= limit {
				report(SectionRelocs, rel+12, "relocation %d: %s target %d is out of range (%d)", i, r.Kind, r.Index, limit)
			}
		}
	}
	if ok(SectionOffsetMap) && ok(SectionFunctions) {
		pos := 4
		for i := range f.OffsetMaps {
			om := &f.OffsetMaps[i]
			if uint64(om.Func) >= nfn {
				report(SectionOffsetMap, pos, "map %d: function %d, the file has %d", i, om.Func, nfn)
			} else {
				size := f.Functions[om.Func].CodeSize
				for j, p := range om.Pairs {
					if p.Native > size {
						report(SectionOffsetMap, pos+8+8*j, "map %d (function %d) pair %d: native offset 0x%x is past the function's %d bytes of code", i, om.Func, j, p.Native, size)
						break
					}
				}
			}
			pos += 8 + 8*len(om.Pairs)
		}
	}
}

// checkPadding requires the bytes between the section table and the first
// payload, and between payloads, to be zero: the writer leaves nothing
// there, so anything else is damage or something hidden from the reader.
func checkPadding(b []byte, secs []SectionHeader, errs *errList) {
	if len(secs) == 0 {
		return
	}
	pos := uint64(secs[0].EntryOffset) + uint64(len(secs))*entrySize
	for i := range secs {
		s := &secs[i]
		if uint64(s.Offset) > pos && pos <= uint64(len(b)) {
			if k := nonZero(b[pos:s.Offset]); k >= 0 {
				errs.add(errorf(int64(pos)+int64(k), "padding", "byte 0x%02x before section %s, padding must be 0", b[pos+uint64(k)], s.ID))
			}
		}
		pos = max(pos, s.End())
	}
}

func anyBad(secs []SectionHeader) bool {
	for i := range secs {
		if secs[i].Bad {
			return true
		}
	}
	return false
}
