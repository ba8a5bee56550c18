package aotdump

import (
	"encoding/hex"

	"github.com/gcscope/gcscope/engine/aot/aotfile"
	"github.com/gcscope/gcscope/engine/printer"
	"github.com/gcscope/gcscope/engine/wasm"
)

// jsonBuilder fills in sections' contents.
type jsonBuilder struct {
	d   *Dump
	dis *printer.Disassembler
	wat [][]string // WAT of the bodies, made once
	// source is the module an .aot file was compiled from, if known; src
	// indexes its instructions, made once.
	source *wasm.Module
	src    *sourceIndex
}

func ptr[T any](v T) *T { return &v }

func typeStrings(ts []wasm.ValType) []string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = t.String()
	}
	return out
}

// contents sets the content field of js that section s calls for.
func (j *jsonBuilder) contents(js *jsonSection, s *Section) {
	m := j.d.Module
	switch s.Content {
	case ContentTypes:
		js.Types = ptr(j.types())
	case ContentImports:
		out := []jsonImport{}
		for i := range m.Imports {
			im := &m.Imports[i]
			out = append(out, jsonImport{Index: i, Module: im.Module, Name: im.Name, Kind: im.Kind.String(), Type: importType(m, im)})
		}
		js.Imports = &out
	case ContentFuncTypes:
		out := []jsonFuncType{}
		base := importedCount(m, wasm.ExternFunc)
		for i := range m.Funcs {
			fi := base + uint32(i)
			out = append(out, jsonFuncType{Func: fi, Name: m.FuncName(fi), Type: m.Funcs[i].TypeIndex})
		}
		js.FunctionTypes = &out
	case ContentTables:
		out := []jsonTable{}
		base := importedCount(m, wasm.ExternTable)
		for i := range m.Tables {
			out = append(out, jsonTable{Index: base + uint32(i), Type: tableString(m.Tables[i].Type), Init: exprString(j.dis, m.Tables[i].Init)})
		}
		js.Tables = &out
	case ContentMemories:
		out := []jsonMemory{}
		base := importedCount(m, wasm.ExternMemory)
		for i := range m.Memories {
			out = append(out, jsonMemory{Index: base + uint32(i), Type: memoryString(m.Memories[i].Type)})
		}
		js.Memories = &out
	case ContentTags:
		out := []jsonTag{}
		base := importedCount(m, wasm.ExternTag)
		for i := range m.Tags {
			out = append(out, jsonTag{Index: base + uint32(i), Type: m.Tags[i].Type.TypeIndex})
		}
		js.Tags = &out
	case ContentGlobals:
		out := []jsonGlobal{}
		base := importedCount(m, wasm.ExternGlobal)
		for i := range m.Globals {
			gi := base + uint32(i)
			out = append(out, jsonGlobal{Index: gi, Name: globalName(m, gi), Type: globalTypeString(m.Globals[i].Type), Init: exprString(j.dis, m.Globals[i].Init)})
		}
		js.Globals = &out
	case ContentExports:
		out := []jsonExport{}
		for _, e := range m.Exports {
			out = append(out, jsonExport{Name: e.Name, Kind: e.Kind.String(), Index: e.Index})
		}
		js.Exports = &out
	case ContentStart:
		if m.Start != nil {
			js.Start = &jsonStart{Func: *m.Start, Name: m.FuncName(*m.Start)}
		}
	case ContentElems:
		js.Elements = ptr(j.elems())
	case ContentDatas:
		out := []jsonData{}
		for i := range m.Datas {
			ds := &m.Datas[i]
			jd := jsonData{Index: i, Mode: modeString(ds.Mode), Size: len(ds.Init), Hex: hex.EncodeToString(ds.Init)}
			if ds.Mode == wasm.SegmentActive {
				jd.Memory, jd.Offset = ptr(ds.Memory), exprString(j.dis, ds.Offset)
			}
			out = append(out, jd)
		}
		js.Data = &out
	case ContentDataCount:
		js.DataCount = m.DataCount
	case ContentNames:
		js.Names = namesJSON(m.Names)
	case ContentCode:
		js.Code = ptr(j.code())
	case ContentCustom:
		if s.Custom >= 0 && s.Custom < len(m.Customs) {
			js.Custom = &jsonCustom{Name: m.Customs[s.Custom].Name, Size: len(m.Customs[s.Custom].Data)}
		}
	default:
		j.aot(js, s)
	}
}

func (j *jsonBuilder) types() []jsonRecGroup {
	m := j.d.Module
	out := []jsonRecGroup{}
	for gi, g := range m.RecGroups {
		rg := jsonRecGroup{Group: gi, First: g.First, Types: []jsonType{}}
		for ti := g.First; ti < g.First+g.Count && uint64(ti) < uint64(len(m.Types)); ti++ {
			st := &m.Types[ti]
			jt := jsonType{Index: ti, Name: typeName(m, ti), Kind: kindString(st.Comp.Kind), Final: st.Final,
				Supers: append([]uint32{}, st.Supers...), Text: compString(m, ti, &st.Comp)}
			switch st.Comp.Kind {
			case wasm.CompFunc:
				jt.Params, jt.Results = typeStrings(st.Comp.Params), typeStrings(st.Comp.Results)
			case wasm.CompStruct, wasm.CompArray:
				for fi, f := range st.Comp.Fields {
					jt.Fields = append(jt.Fields, jsonField{Index: fi, Name: fieldName(m, ti, uint32(fi)), Type: f.Storage.String(), Mutable: f.Mutable})
				}
			}
			rg.Types = append(rg.Types, jt)
		}
		out = append(out, rg)
	}
	return out
}

func (j *jsonBuilder) elems() []jsonElem {
	m := j.d.Module
	out := []jsonElem{}
	for i := range m.Elems {
		e := &m.Elems[i]
		je := jsonElem{Index: i, Mode: modeString(e.Mode), Type: e.Type.String(), Items: []string{}}
		if e.Mode == wasm.SegmentActive {
			je.Table, je.Offset = ptr(e.Table), exprString(j.dis, e.Offset)
		}
		for _, x := range e.Init {
			je.Items = append(je.Items, exprString(j.dis, x))
		}
		out = append(out, je)
	}
	return out
}

func namesJSON(n *wasm.Names) *jsonNames {
	if n == nil {
		return nil
	}
	out := &jsonNames{Module: n.Module, Maps: map[string]map[string]string{}, Indirect: map[string]map[string]map[string]string{}}
	for _, km := range nameMaps(n) {
		if len(km.m) == 0 {
			continue
		}
		mm := map[string]string{}
		for k, v := range km.m {
			mm[itoa(k)] = v
		}
		out.Maps[km.kind] = mm
	}
	for _, ki := range indirectMaps(n) {
		if len(ki.m) == 0 {
			continue
		}
		outer := map[string]map[string]string{}
		for k, inner := range ki.m {
			mm := map[string]string{}
			for k2, v := range inner {
				mm[itoa(k2)] = v
			}
			outer[itoa(k)] = mm
		}
		out.Indirect[ki.kind] = outer
	}
	return out
}

func (j *jsonBuilder) code() []jsonCode {
	m := j.d.Module
	if j.wat == nil {
		j.wat = watBodies(m)
	}
	out := []jsonCode{}
	base := importedCount(m, wasm.ExternFunc)
	for i := range m.Funcs {
		f := &m.Funcs[i]
		fi := base + uint32(i)
		jc := jsonCode{Func: fi, Name: m.FuncName(fi), Type: f.TypeIndex, Offset: f.Offset, Size: bodySize(m.Binary, f), Locals: typeStrings(f.Locals)}
		if i < len(j.wat) {
			for _, l := range j.wat[i] {
				jc.WAT += l + "\n"
			}
		}
		out = append(out, jc)
	}
	return out
}

// aot fills in the sections only .aot files have.
func (j *jsonBuilder) aot(js *jsonSection, s *Section) {
	f := j.d.AOT
	switch s.Content {
	case ContentTarget:
		if f.Target != nil {
			js.Target = &jsonTargetInfo{Triple: f.Target.Triple, CPU: f.Target.CPU, CPUFeatures: f.Target.CPUFeatures, CodeGen: f.Target.CodeGen}
		}
	case ContentFunctions:
		out := []jsonFunction{}
		base := f.NumImportedFuncs()
		for i := range f.Functions {
			fn := &f.Functions[i]
			jf := jsonFunction{Index: uint32(i), Func: base + uint32(i), Name: f.FuncName(uint32(i)), Type: fn.TypeIndex,
				CodeOffset: fn.CodeOffset, CodeSize: fn.CodeSize, FrameSlots: fn.FrameSlots, Locals: fn.Locals, StackMaps: []jsonStackMap{}}
			for _, sm := range fn.StackMaps {
				jf.StackMaps = append(jf.StackMaps, jsonStackMap{NativeOffset: sm.NativeOffset, WasmOffset: sm.WasmOffset, RefSlots: refSlots(sm.Refs)})
			}
			out = append(out, jf)
		}
		js.Functions = &out
	case ContentText:
		js.Text = &jsonBlob{Size: len(f.Text)}
	case ContentRodata:
		js.Rodata = &jsonBlob{Size: len(f.Rodata)}
	case ContentRelocs:
		out := []jsonReloc{}
		for _, r := range f.Relocs {
			jr := jsonReloc{Offset: r.Offset, Type: uint32(r.Type), TypeName: relocTypeName(f.Header.Target.Arch, r.Type),
				TargetKind: r.Kind.String(), TargetIndex: r.Index, Addend: r.Addend}
			if r.Kind == aotfile.TargetFunction {
				jr.TargetName = f.FuncName(r.Index)
			}
			out = append(out, jr)
		}
		js.Relocations = &out
	case ContentHelpers:
		out := []jsonHelper{}
		for _, h := range f.Helpers {
			out = append(out, jsonHelper(h))
		}
		js.Helpers = &out
	case ContentOffsetMap:
		out := []jsonOffsetMap{}
		base := f.NumImportedFuncs()
		for _, om := range f.OffsetMaps {
			jm := jsonOffsetMap{Index: om.Func, Func: base + om.Func, Name: f.FuncName(om.Func), Pairs: [][2]int64{}}
			for _, p := range om.Pairs {
				jm.Pairs = append(jm.Pairs, [2]int64{int64(p.Native), int64(p.Wasm)})
			}
			out = append(out, jm)
		}
		js.OffsetMap = &out
	case ContentWasmMaps:
		js.WasmStackMaps = j.wasmStackMaps()
	default:
		js.Raw = &jsonBlob{Size: len(j.d.Bytes(s))}
	}
}
