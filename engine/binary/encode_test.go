package binary

import (
	"bytes"
	"reflect"
	"strings"
	"testing"

	"github.com/gcscope/gcscope/engine/wasm"
)

func end() wasm.Instr { return wasm.Instr{Op: wasm.OpEnd} }

func i32c(v int32) wasm.Instr { return wasm.Instr{Op: wasm.OpI32Const, Value: uint64(uint32(v))} }

// textLikeModule builds a module as the text parser would: no offsets, a
// feature of every section, names for everything.
func textLikeModule() *wasm.Module {
	nonNullFunc := wasm.RefType(false, wasm.HeapFunc)
	refFunc := func(i uint32) wasm.Expr { return wasm.Expr{{Op: wasm.OpRefFunc, Index: i}, end()} }
	start := uint32(1)
	return &wasm.Module{
		Types: []wasm.SubType{
			{Final: true, Comp: wasm.CompositeType{Kind: wasm.CompFunc}},
			{Final: true, Comp: wasm.CompositeType{Kind: wasm.CompFunc, Params: []wasm.ValType{wasm.I32}, Results: []wasm.ValType{wasm.I64}}},
			{Final: false, Comp: wasm.CompositeType{Kind: wasm.CompStruct, Fields: []wasm.FieldType{
				{Storage: wasm.StorageType{Packed: wasm.PackedI8, Val: wasm.I32}, Mutable: true},
				{Storage: wasm.StorageType{Val: wasm.RefType(true, 3)}},
			}}},
			{Final: true, Supers: []uint32{2}, Comp: wasm.CompositeType{Kind: wasm.CompArray, Fields: []wasm.FieldType{
				{Storage: wasm.StorageType{Packed: wasm.PackedI16, Val: wasm.I32}, Mutable: true},
			}}},
		},
		RecGroups: []wasm.RecGroup{{First: 0, Count: 1}, {First: 1, Count: 1}, {First: 2, Count: 2}},
		Imports: []wasm.Import{
			{Module: "env", Name: "f", Kind: wasm.ExternFunc, TypeIndex: 0},
			{Module: "env", Name: "t", Kind: wasm.ExternTable, Table: wasm.TableType{Elem: wasm.ExternRef, Limits: wasm.Limits{Min: 1}}},
			{Module: "env", Name: "m", Kind: wasm.ExternMemory, Memory: wasm.MemoryType{Limits: wasm.Limits{Min: 1, Max: 2, HasMax: true}, Shared: true}},
			{Module: "env", Name: "g", Kind: wasm.ExternGlobal, Global: wasm.GlobalType{Val: wasm.I32, Mutable: true}},
			{Module: "env", Name: "e", Kind: wasm.ExternTag, TypeIndex: 0},
		},
		Funcs: []wasm.Func{
			{TypeIndex: 1, Locals: []wasm.ValType{wasm.I32, wasm.I32, wasm.I64, wasm.AnyRef}, Body: []wasm.Instr{
				{Op: wasm.OpBlock, Block: wasm.BlockType{Kind: wasm.BlockValue, Value: wasm.I64}},
				{Op: wasm.OpLocalGet, Index: 0},
				{Op: wasm.OpI32Load8U, Index: 1, Align: 0, Value: 1 << 33},
				{Op: wasm.OpI64ExtendI32U},
				{Op: wasm.OpBrTable, Ext: &wasm.InstrExt{Labels: []uint32{0, 0}}},
				end(),
				{Op: wasm.OpRefNull, Ref: wasm.NullRef},
				{Op: wasm.OpRefTest, Ref: wasm.RefType(true, 2)}, // nullability picks ref.test null
				{Op: wasm.OpDrop},
				{Op: wasm.OpI32Const, Value: 0}, {Op: wasm.OpI32Const, Value: 0}, {Op: wasm.OpI32Const, Value: 0},
				{Op: wasm.OpMemoryInit, Index: 0, Index2: 1},
				{Op: wasm.OpI64Const, Value: 7},
				end(),
			}},
			{TypeIndex: 0, Body: []wasm.Instr{{Op: wasm.OpNop}, end()}},
		},
		Tables: []wasm.Table{
			{Type: wasm.TableType{Elem: wasm.FuncRef, Limits: wasm.Limits{Min: 4}}},
			{Type: wasm.TableType{Elem: nonNullFunc, Limits: wasm.Limits{Min: 1}, Addr64: true}, Init: refFunc(1)},
		},
		Memories: []wasm.Memory{{Type: wasm.MemoryType{Limits: wasm.Limits{Min: 1 << 40}, Addr64: true}}},
		Tags:     []wasm.Tag{{Type: wasm.TagType{TypeIndex: 0}}},
		Globals:  []wasm.Global{{Type: wasm.GlobalType{Val: wasm.I32}, Init: wasm.Expr{i32c(-5), end()}}},
		Exports: []wasm.Export{
			{Name: "run", Kind: wasm.ExternFunc, Index: 1},
			{Name: "tag", Kind: wasm.ExternTag, Index: 1},
		},
		Start: &start,
		Elems: []wasm.ElemSegment{
			{Mode: wasm.SegmentActive, Offset: wasm.Expr{i32c(0), end()}, Type: nonNullFunc, Init: []wasm.Expr{refFunc(1), refFunc(2)}},
			{Mode: wasm.SegmentActive, Offset: wasm.Expr{i32c(1), end()}, Type: wasm.FuncRef, Init: []wasm.Expr{refFunc(1)}},
			{Mode: wasm.SegmentActive, Table: 2, Offset: wasm.Expr{i32c(1), end()}, Type: nonNullFunc, Init: []wasm.Expr{refFunc(1)}},
			{Mode: wasm.SegmentPassive, Type: wasm.ExternRef, Init: []wasm.Expr{{{Op: wasm.OpRefNull, Ref: wasm.ExternRef}, end()}}},
			{Mode: wasm.SegmentDeclarative, Type: nonNullFunc, Init: []wasm.Expr{refFunc(2)}},
		},
		Datas: []wasm.DataSegment{
			{Mode: wasm.SegmentActive, Offset: wasm.Expr{{Op: wasm.OpI64Const, Value: 8}, end()}, Init: []byte("hi")},
			{Mode: wasm.SegmentPassive, Init: []byte{0, 1, 2}},
			{Mode: wasm.SegmentActive, Memory: 1, Offset: wasm.Expr{i32c(0), end()}},
		},
		Customs: []wasm.Custom{
			{Name: "early", Data: []byte{1}, After: wasm.SectionCustom},
			{Name: "after-types", Data: []byte{2}, After: wasm.SectionType},
			{Name: "after-tags", Data: []byte{3}, After: wasm.SectionTag},
			{Name: "late", Data: nil, After: wasm.SectionData},
		},
		Names: &wasm.Names{
			Module:   "demo",
			Funcs:    wasm.NameMap{2: "run", 0: "f", 1: "g"},
			Locals:   wasm.IndirectNameMap{1: {0: "x", 1: "y"}, 2: {}},
			Labels:   wasm.IndirectNameMap{1: {0: "out"}},
			Types:    wasm.NameMap{0: "v", 3: "arr"},
			Tables:   wasm.NameMap{1: "t1"},
			Memories: wasm.NameMap{0: "mem"},
			Globals:  wasm.NameMap{1: "g1"},
			Elems:    wasm.NameMap{4: "decl"},
			Datas:    wasm.NameMap{0: "d0"},
			Fields:   wasm.IndirectNameMap{2: {0: "a", 1: "b"}},
			Tags:     wasm.NameMap{0: "e"},
		},
	}
}

func TestEncodeTextLikeModule(t *testing.T) {
	m := textLikeModule()
	out, err := Encode(m)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(m.Binary, out) {
		t.Error("Encode did not set Module.Binary to its output")
	}
	d, err := Decode(out)
	if err != nil {
		t.Fatalf("decoding the encoding: %v", err)
	}
	// The offsets Encode recorded are the ones Decode finds.
	for i := range m.Funcs {
		if m.Funcs[i].Offset != d.Funcs[i].Offset || m.Funcs[i].BodyOffset != d.Funcs[i].BodyOffset {
			t.Errorf("func %d: encoder says %d/%d, decoder %d/%d", i,
				m.Funcs[i].Offset, m.Funcs[i].BodyOffset, d.Funcs[i].Offset, d.Funcs[i].BodyOffset)
		}
		for j := range m.Funcs[i].Body {
			if m.Funcs[i].Body[j].Offset != d.Funcs[i].Body[j].Offset {
				t.Errorf("func %d instr %d: encoder offset %d, decoder %d", i, j, m.Funcs[i].Body[j].Offset, d.Funcs[i].Body[j].Offset)
			}
		}
	}
	if m.Globals[0].Init[0].Offset == 0 || m.Globals[0].Init[0].Offset != d.Globals[0].Init[0].Offset {
		t.Errorf("global init offset: encoder %d, decoder %d", m.Globals[0].Init[0].Offset, d.Globals[0].Init[0].Offset)
	}
	if m.Elems[0].Init[1][0].Offset != d.Elems[0].Init[1][0].Offset {
		t.Errorf("elem item offset: encoder %d, decoder %d", m.Elems[0].Init[1][0].Offset, d.Elems[0].Init[1][0].Offset)
	}

	// What the decoder adds or normalizes: the data count section that
	// memory.init requires, and ref.test's opcode chosen by nullability.
	if d.DataCount == nil || *d.DataCount != 3 {
		t.Errorf("data count: got %v, want 3", d.DataCount)
	}
	if got := d.Funcs[0].Body[7].Op; got != wasm.OpRefTestNull {
		t.Errorf("ref.test (ref null 2) encoded as %s", got)
	}
	want := textLikeModule()
	want.Funcs[0].Body[7].Op = wasm.OpRefTestNull
	n := uint32(3)
	want.DataCount = &n
	clearOffsets(d)
	if !reflect.DeepEqual(want, d) {
		t.Errorf("decoded module differs: %s", firstDiff(want, d))
	}
}

// TestEncodeElemFlags checks the element segment forms chosen.
func TestEncodeElemFlags(t *testing.T) {
	m := textLikeModule()
	out, err := Encode(m)
	if err != nil {
		t.Fatal(err)
	}
	secs, err := Sections(out)
	if err != nil {
		t.Fatal(err)
	}
	var elem []byte
	for _, s := range secs {
		if s.ID == wasm.SectionElement {
			elem = out[s.ContentOffset : s.ContentOffset+s.Size]
		}
	}
	want := [][]byte{
		{0x00, 0x41, 0x00, 0x0b, 0x02, 0x01, 0x02},       // function indices, table 0
		{0x04, 0x41, 0x01, 0x0b, 0x01, 0xd2, 0x01, 0x0b}, // funcref expressions, table 0
		{0x02, 0x02, 0x41, 0x01, 0x0b, 0x00, 0x01, 0x01}, // function indices, table 2
		{0x05, 0x6f, 0x01, 0xd0, 0x6f, 0x0b},             // passive externref expressions
		{0x03, 0x00, 0x01, 0x02},                         // declarative function indices
	}
	if got, w := elem, cat(u(5), cat(want...)); !bytes.Equal(got, w) {
		t.Errorf("element section\n got % x\nwant % x", got, w)
	}
}

// TestEncodeCustomPlacement checks that custom sections land after the
// section they followed, forcing an empty one when needed.
func TestEncodeCustomPlacement(t *testing.T) {
	m := &wasm.Module{Customs: []wasm.Custom{
		{Name: "a", After: wasm.SectionCustom},
		{Name: "b", After: wasm.SectionImport},
		{Name: "c", After: wasm.SectionData},
	}}
	out, err := Encode(m)
	if err != nil {
		t.Fatal(err)
	}
	secs, err := Sections(out)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, s := range secs {
		names = append(names, s.Name)
	}
	if got, want := strings.Join(names, ","), "a,import,b,data,c"; got != want {
		t.Errorf("sections %s, want %s", got, want)
	}
	if err := checkRoundTrip(m); err != nil {
		t.Error(err)
	}
}

// TestEncodeNamePlacement checks that the name section stays the first one
// called "name" when a raw one is kept too.
func TestEncodeNamePlacement(t *testing.T) {
	m := &wasm.Module{
		Names:   &wasm.Names{Funcs: wasm.NameMap{}},
		Customs: []wasm.Custom{{Name: "name", Data: []byte{0xff}, After: wasm.SectionCustom}},
	}
	if err := checkRoundTrip(m); err != nil {
		t.Fatal(err)
	}
}

func TestEncodeErrors(t *testing.T) {
	fn := func(body ...wasm.Instr) *wasm.Module {
		return &wasm.Module{
			Types: []wasm.SubType{{Final: true, Comp: wasm.CompositeType{Kind: wasm.CompFunc}}},
			Funcs: []wasm.Func{{Body: append(body, end())}},
		}
	}
	cases := []struct {
		name string
		m    *wasm.Module
		msg  string
	}{
		{"unknown opcode", fn(wasm.Instr{Op: 0xFF}), "unknown opcode"},
		{"br_table without labels", fn(wasm.Instr{Op: wasm.OpBrTable}), "lacks its immediates"},
		{"alignment", fn(wasm.Instr{Op: wasm.OpI32Load, Align: 64}), "alignment exponent 64"},
		{"heap type", fn(wasm.Instr{Op: wasm.OpRefNull, Ref: wasm.RefType(true, wasm.HeapBot)}), "has no encoding"},
		{"rec groups", &wasm.Module{
			Types:     []wasm.SubType{{Final: true, Comp: wasm.CompositeType{Kind: wasm.CompFunc}}},
			RecGroups: []wasm.RecGroup{{First: 1, Count: 1}},
		}, "rec group"},
		{"no end", &wasm.Module{
			Types: []wasm.SubType{{Final: true, Comp: wasm.CompositeType{Kind: wasm.CompFunc}}},
			Funcs: []wasm.Func{{Body: []wasm.Instr{{Op: wasm.OpNop}}}},
		}, "binary: encode: func 0: instruction sequence does not close with end"},
		{"array", &wasm.Module{Types: []wasm.SubType{{Comp: wasm.CompositeType{Kind: wasm.CompArray}}}}, "array type with 0"},
	}
	for _, c := range cases {
		_, err := Encode(c.m)
		if err == nil || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("%s: got %v, want an error saying %q", c.name, err, c.msg)
		}
	}
}

func TestSections(t *testing.T) {
	b := module(sec(1, vec()), sec(0, str("hello"), []byte{1, 2}), sec(3, vec()))
	secs, err := Sections(b)
	if err != nil {
		t.Fatal(err)
	}
	want := []SectionInfo{
		{ID: wasm.SectionType, Name: "type", Offset: 8, ContentOffset: 10, Size: 1},
		{ID: wasm.SectionCustom, Name: "hello", Offset: 11, ContentOffset: 13, Size: 8},
		{ID: wasm.SectionFunction, Name: "function", Offset: 21, ContentOffset: 23, Size: 1},
	}
	if !reflect.DeepEqual(secs, want) {
		t.Errorf("got %+v\nwant %+v", secs, want)
	}
	// Damage after the first section: what was read comes back with the error.
	damaged := cat(b[:11], []byte{0x0a, 0x40})
	secs, err = Sections(damaged)
	if len(secs) != 1 || err == nil || !strings.Contains(err.Error(), "offset 0xc: length out of bounds") {
		t.Errorf("damaged: got %d sections, %v", len(secs), err)
	}
}
