package wasm

import "testing"

func TestShiftOffsetsKeepsUnknownOffsets(t *testing.T) {
	m := &Module{
		Funcs:   []Func{{Offset: 10, BodyOffset: 11, Body: []Instr{{Op: OpNop, Offset: 12}, {Op: OpEnd, Offset: 0}}}},
		Globals: []Global{{Init: Expr{{Op: OpI32Const, Offset: 5}, {Op: OpEnd, Offset: 7}}}},
		Datas:   []DataSegment{{Offset: Expr{{Op: OpI32Const, Offset: 3}}}},
	}
	m.ShiftOffsets(100)
	f := m.Funcs[0]
	if f.Offset != 110 || f.BodyOffset != 111 || f.Body[0].Offset != 112 || f.Body[1].Offset != 0 {
		t.Errorf("function offsets: %d %d %d %d", f.Offset, f.BodyOffset, f.Body[0].Offset, f.Body[1].Offset)
	}
	if m.Globals[0].Init[0].Offset != 105 || m.Globals[0].Init[1].Offset != 107 || m.Datas[0].Offset[0].Offset != 103 {
		t.Error("constant expression offsets not moved")
	}
}

func TestTakeSection(t *testing.T) {
	dst := &Module{Names: &Names{Module: "kept"}}
	one := uint32(1)
	src := &Module{Globals: []Global{{}}, Start: &one, Names: &Names{Module: "other"}, Customs: []Custom{{Name: "c"}}}
	dst.TakeSection(src, SectionGlobal)
	dst.TakeSection(src, SectionCustom)
	if len(dst.Globals) != 1 || dst.Start != nil || dst.Names.Module != "kept" || len(dst.Customs) != 1 {
		t.Errorf("TakeSection: %+v", dst)
	}
}
