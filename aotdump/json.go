package aotdump

import (
	"encoding/hex"
	"encoding/json"
	"io"

	"github.com/gcscope/gcscope/engine/aot/aotfile"
	"github.com/gcscope/gcscope/engine/printer"
)

// JSONFormat and JSONVersion identify the JSON output's schema
// (schema/dump.schema.json, docs/dump-json.md). The version changes only
// when a field is removed or changes meaning; new optional fields do not
// change it.
const (
	JSONFormat  = "gcscope-dump"
	JSONVersion = 1
)

// jsonDoc is the whole JSON output.
type jsonDoc struct {
	Format   string        `json:"format"`
	Version  int           `json:"version"`
	Kind     string        `json:"kind"`
	FileSize int           `json:"file_size"`
	OK       bool          `json:"ok"`
	Header   any           `json:"header,omitempty"`
	Sections []jsonSection `json:"sections"`
	Problems []jsonProblem `json:"problems"`
	Summary  *jsonSummary  `json:"summary,omitempty"`
}

type jsonProblem struct {
	Offset  int64  `json:"offset"`
	Section string `json:"section,omitempty"`
	Message string `json:"message"`
}

type jsonAOTHeader struct {
	Magic             string       `json:"magic"`
	FormatVersion     int          `json:"format_version"`
	ABIVersion        uint32       `json:"abi_version"`
	Target            jsonTarget   `json:"target"`
	OptimizationLevel int          `json:"optimization_level"`
	Flags             jsonBits     `json:"flags"`
	Debug             bool         `json:"debug"`
	Features          jsonBits     `json:"features"`
	Compiler          string       `json:"compiler"`
	ModuleHash        string       `json:"module_hash"`
	FileSize          uint32       `json:"file_size"`
	SectionCount      uint32       `json:"section_count"`
	TableOffset       uint32       `json:"table_offset"`
	Checksum          jsonChecksum `json:"checksum"`
}

type jsonWasmHeader struct {
	Magic   string `json:"magic"`
	Version uint32 `json:"version"`
}

type jsonTarget struct {
	Arch        string `json:"arch"`
	OS          string `json:"os"`
	PointerSize int    `json:"pointer_size"`
	Endian      string `json:"endian"`
}

type jsonBits struct {
	Value uint64   `json:"value"`
	Names []string `json:"names"`
}

type jsonChecksum struct {
	Stored   uint32 `json:"stored"`
	Computed uint32 `json:"computed"`
	OK       bool   `json:"ok"`
}

// jsonSection is one section: where it lies, its problem, and exactly one
// of the content fields, chosen by what the section holds.
type jsonSection struct {
	ID           int          `json:"id"`
	Name         string       `json:"name"`
	Offset       uint32       `json:"offset"`
	Size         uint32       `json:"size"`
	Align        uint32       `json:"align"`
	HeaderOffset uint32       `json:"header_offset"`
	Error        *jsonProblem `json:"error,omitempty"`
	Hex          *string      `json:"hex,omitempty"`

	Target        *jsonTargetInfo  `json:"target,omitempty"`
	Types         *[]jsonRecGroup  `json:"types,omitempty"`
	Imports       *[]jsonImport    `json:"imports,omitempty"`
	FunctionTypes *[]jsonFuncType  `json:"function_types,omitempty"`
	Tables        *[]jsonTable     `json:"tables,omitempty"`
	Memories      *[]jsonMemory    `json:"memories,omitempty"`
	Tags          *[]jsonTag       `json:"tags,omitempty"`
	Globals       *[]jsonGlobal    `json:"globals,omitempty"`
	Exports       *[]jsonExport    `json:"exports,omitempty"`
	Start         *jsonStart       `json:"start,omitempty"`
	Elements      *[]jsonElem      `json:"elements,omitempty"`
	Data          *[]jsonData      `json:"data,omitempty"`
	DataCount     *uint32          `json:"data_count,omitempty"`
	Names         *jsonNames       `json:"names,omitempty"`
	Code          *[]jsonCode      `json:"code,omitempty"`
	Custom        *jsonCustom      `json:"custom,omitempty"`
	Functions     *[]jsonFunction  `json:"functions,omitempty"`
	Text          *jsonBlob        `json:"text,omitempty"`
	Rodata        *jsonBlob        `json:"rodata,omitempty"`
	Relocations   *[]jsonReloc     `json:"relocations,omitempty"`
	Helpers       *[]jsonHelper    `json:"helpers,omitempty"`
	OffsetMap     *[]jsonOffsetMap `json:"offset_map,omitempty"`
	WasmStackMaps *[]jsonWasmMaps  `json:"wasm_stack_maps,omitempty"`
	Raw           *jsonBlob        `json:"raw,omitempty"`
}

type jsonSummary struct {
	FileSize  int               `json:"file_size"`
	Sections  []jsonSectionSize `json:"sections"`
	Largest   []jsonFuncSize    `json:"largest_functions"`
	StackMaps *jsonMapCount     `json:"stack_maps,omitempty"`
}

type jsonSectionSize struct {
	Name    string  `json:"name"`
	Size    uint32  `json:"size"`
	Percent float64 `json:"percent"`
}

type jsonFuncSize struct {
	Index uint32 `json:"index"`
	Name  string `json:"name,omitempty"`
	Size  uint32 `json:"size"`
}

// WriteJSON writes d as one JSON document (schema/dump.schema.json).
// Stack maps and relocations are always included; opts.Sections filters
// the sections, opts.Hex adds their bytes, opts.Summary the size summary,
// opts.Source the instruction at each safepoint and the declared locals'
// numbering.
func WriteJSON(w io.Writer, d *Dump, opts Options) error {
	doc := jsonDoc{Format: JSONFormat, Version: JSONVersion, Kind: string(d.Kind), FileSize: len(d.Data),
		OK: d.OK(), Sections: []jsonSection{}, Problems: []jsonProblem{}}
	if doc.Kind == "" {
		doc.Kind = "unknown"
	}
	if opts.headerSelected() {
		switch {
		case d.Kind == KindAOT && d.HeaderOK:
			doc.Header = aotHeaderJSON(d.AOT)
		case d.Kind == KindWasm && len(d.Data) >= 8:
			doc.Header = jsonWasmHeader{Magic: hex.EncodeToString(d.Data[:4]), Version: leU32(d.Data[4:8])}
		}
	}
	j := &jsonBuilder{d: d, dis: printer.NewDisassembler(d.Module), source: opts.Source}
	for i := range d.Sections {
		s := &d.Sections[i]
		if !opts.selected(s) {
			continue
		}
		js := jsonSection{ID: int(s.ID), Name: s.Name, Offset: s.Offset, Size: s.Size, Align: s.Align, HeaderOffset: s.HeaderOffset}
		if s.Problem != nil {
			p := problemJSON(s.Problem)
			js.Error = &p
		}
		if opts.Hex {
			h := hex.EncodeToString(d.Bytes(s))
			js.Hex = &h
		}
		j.contents(&js, s)
		doc.Sections = append(doc.Sections, js)
	}
	for i := range d.Problems {
		doc.Problems = append(doc.Problems, problemJSON(&d.Problems[i]))
	}
	if opts.Summary {
		s := d.Summary()
		js := &jsonSummary{FileSize: s.FileSize, Sections: []jsonSectionSize{}, Largest: []jsonFuncSize{}}
		for _, sec := range s.Sections {
			js.Sections = append(js.Sections, jsonSectionSize(sec))
		}
		for _, f := range s.Largest {
			js.Largest = append(js.Largest, jsonFuncSize(f))
		}
		js.StackMaps = stackMapCountJSON(s.StackMaps)
		doc.Summary = js
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}

func problemJSON(p *Problem) jsonProblem {
	return jsonProblem{Offset: p.Offset, Section: p.Section, Message: p.Msg}
}

func aotHeaderJSON(f *aotfile.File) jsonAOTHeader {
	h := &f.Header
	return jsonAOTHeader{
		Magic: hex.EncodeToString([]byte(aotfile.Magic)), FormatVersion: int(h.FormatVersion), ABIVersion: h.ABIVersion,
		Target:            jsonTarget{Arch: h.Target.Arch.String(), OS: h.Target.OS.String(), PointerSize: int(h.Target.PointerSize), Endian: h.Target.Endian.String()},
		OptimizationLevel: int(h.OptLevel),
		Flags:             jsonBits{Value: uint64(h.Flags), Names: splitNames(h.Flags.String())},
		Debug:             h.Flags&aotfile.FlagDebug != 0,
		Features:          jsonBits{Value: uint64(h.Features), Names: splitNames(h.Features.String())},
		Compiler:          h.Compiler, ModuleHash: hex.EncodeToString(h.ModuleHash[:]),
		FileSize: h.FileSize, SectionCount: h.SectionCount, TableOffset: h.TableOffset,
		Checksum: jsonChecksum{Stored: h.Checksum, Computed: f.ComputedChecksum, OK: f.ChecksumOK},
	}
}

// splitNames turns "gc,simd" into its names ("none" into none).
func splitNames(s string) []string {
	out := []string{}
	if s == "none" {
		return out
	}
	start := 0
	for i := 0; i <= len(s); i++ {
		if i == len(s) || s[i] == ',' {
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return out
}
