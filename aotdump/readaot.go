package aotdump

import (
	"errors"

	"github.com/gcscope/gcscope/engine/aot/aotfile"
	"github.com/gcscope/gcscope/engine/wasm"
)

// aotContents says what each .aot section holds.
var aotContents = map[aotfile.SectionID]Content{
	aotfile.SectionTarget: ContentTarget, aotfile.SectionTypes: ContentTypes,
	aotfile.SectionImports: ContentImports, aotfile.SectionFuncTypes: ContentFuncTypes,
	aotfile.SectionTables: ContentTables, aotfile.SectionMemories: ContentMemories,
	aotfile.SectionTags: ContentTags, aotfile.SectionGlobals: ContentGlobals,
	aotfile.SectionExports: ContentExports, aotfile.SectionStart: ContentStart,
	aotfile.SectionElements: ContentElems, aotfile.SectionData: ContentDatas,
	aotfile.SectionNames: ContentNames, aotfile.SectionFunctions: ContentFunctions,
	aotfile.SectionText: ContentText, aotfile.SectionRodata: ContentRodata,
	aotfile.SectionRelocs: ContentRelocs, aotfile.SectionHelpers: ContentHelpers,
	aotfile.SectionOffsetMap: ContentOffsetMap, aotfile.SectionWasmStackMaps: ContentWasmMaps,
}

// readAOT builds a Dump from aotfile.Read, the one reader of .aot files.
func readAOT(b []byte) *Dump {
	f, err := aotfile.Read(b)
	d := &Dump{Kind: KindAOT, Data: b, AOT: f, Module: f.Module}
	if d.Module == nil {
		d.Module = &wasm.Module{}
	}
	d.Problems = problemsOf(err)
	// The header is usable unless reading stopped there (bad magic, other
	// format version, too short).
	d.HeaderOK = len(b) >= aotfile.HeaderSize && f.Header.FormatVersion == aotfile.FormatVersion
	for i := range f.Sections {
		sh := &f.Sections[i]
		s := Section{ID: uint16(sh.ID), Name: sh.Name, Offset: sh.Offset, Size: sh.Size,
			HeaderOffset: sh.EntryOffset, Align: sh.Align, Content: ContentRaw}
		if c, ok := aotContents[sh.ID]; ok && !sh.Bad {
			s.Content = c
		}
		if s.Name == "" {
			s.Name = sh.ID.String()
		}
		if sh.Err != nil {
			p := toProblem(sh.Err)
			s.Problem = &p
		}
		d.Sections = append(d.Sections, s)
	}
	d.readWasmStackMaps()
	return d
}

// problemsOf flattens the error tree aotfile.Read returns into problems.
func problemsOf(err error) []Problem {
	if err == nil {
		return nil
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []Problem
		for _, e := range j.Unwrap() {
			out = append(out, problemsOf(e)...)
		}
		return out
	}
	return []Problem{toProblem(err)}
}

// toProblem converts one of aotfile's errors.
func toProblem(err error) Problem {
	var ae *aotfile.Error
	var ce *aotfile.ChecksumError
	var we *wasm.Error
	switch {
	case errors.As(err, &ae):
		return Problem{Offset: ae.Offset, Section: ae.Section, Msg: ae.Msg}
	case errors.As(err, &ce):
		return Problem{Offset: 0x28, Section: "header", Msg: trimPrefix(ce.Error())}
	case errors.As(err, &we):
		return Problem{Offset: we.Offset, Msg: we.Msg}
	}
	return Problem{Offset: -1, Msg: trimPrefix(err.Error())}
}

// trimPrefix drops the "aot: offset 0x28 (header): " an error already has,
// since a Problem carries the place itself.
func trimPrefix(s string) string {
	const p = "aot: "
	if len(s) >= len(p) && s[:len(p)] == p {
		s = s[len(p):]
	}
	if len(s) > 7 && s[:7] == "offset " {
		for i := 0; i+1 < len(s); i++ {
			if s[i] == ':' && s[i+1] == ' ' {
				return s[i+2:]
			}
		}
	}
	return s
}
