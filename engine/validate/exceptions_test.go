package validate

import (
	"testing"

	"github.com/gcscope/gcscope/engine/wasm"
)

func TestExceptions(t *testing.T) {
	I32 := wasm.I32
	// Type 0: [i32]->[] is the tag's type; tag 0 uses it.
	base := func() *wasm.Module {
		m := withTypes(fnType(vt(I32), nil))
		m.Tags = []wasm.Tag{{Type: wasm.TagType{TypeIndex: 0}}}
		return m
	}
	tryTable := func(bt wasm.Instr, catches ...wasm.Catch) wasm.Instr {
		bt.Op = wasm.OpTryTable
		bt.Ext = &wasm.InstrExt{Catches: catches}
		return bt
	}
	exn := wasm.RefType(false, wasm.HeapExn)
	runCases(t, []vcase{
		{"throw", addFunc(base(), nil, nil, nil, i32c(1), idx(wasm.OpThrow, 0)), ""},
		{"throw missing payload", addFunc(base(), nil, nil, nil, idx(wasm.OpThrow, 0)), "type mismatch"},
		{"throw unknown tag", addFunc(base(), nil, nil, nil, idx(wasm.OpThrow, 3)), "unknown tag 3"},
		{"throw_ref", addFunc(base(), vt(wasm.ExnRef), nil, nil, idx(wasm.OpLocalGet, 0), ins(wasm.OpThrowRef)), ""},
		{"try_table catch", addFunc(base(), nil, vt(I32), nil, block(wasm.OpBlock, I32),
			tryTable(block(0), wasm.Catch{Kind: wasm.CatchTag, Tag: 0, Label: 0}), end(), i32c(0), end()), ""},
		{"try_table catch wrong label", addFunc(base(), nil, nil, nil, block(wasm.OpBlock),
			tryTable(block(0), wasm.Catch{Kind: wasm.CatchTag, Tag: 0, Label: 0}), end(), end()), "type mismatch"},
		{"try_table catch_all_ref", addFunc(base(), nil, nil, nil, block(wasm.OpBlock, exn),
			tryTable(block(0), wasm.Catch{Kind: wasm.CatchAllRef, Label: 0}), end(), ins(wasm.OpUnreachable), end(), ins(wasm.OpDrop)), ""},
		{"try_table label counted outside", addFunc(base(), nil, nil, nil,
			tryTable(block(0), wasm.Catch{Kind: wasm.CatchAll, Label: 1}), end()), "unknown label 1"},
		{"try_table bad kind", addFunc(base(), nil, nil, nil, tryTable(block(0), wasm.Catch{Kind: 9}), end()), "type mismatch"},
		{"legacy try catch ok", addFunc(base(), nil, vt(I32), nil, block(wasm.OpTry, I32), i32c(1),
			idx(wasm.OpCatch, 0), ins(wasm.OpCatchAll), i32c(2), end()), ""},
		{"legacy catch wrong payload", addFunc(base(), nil, vt(wasm.I64), nil, block(wasm.OpTry, wasm.I64), i64c(1),
			idx(wasm.OpCatch, 0), end()), "type mismatch"},
		{"legacy try body wrong", addFunc(base(), nil, vt(I32), nil, block(wasm.OpTry, I32), i64c(1),
			ins(wasm.OpCatchAll), i32c(2), end()), "type mismatch"},
		{"rethrow in catch", addFunc(base(), nil, nil, nil, block(wasm.OpTry), idx(wasm.OpCatch, 0), ins(wasm.OpDrop), idx(wasm.OpRethrow, 0), end()), ""},
		{"rethrow nested", addFunc(base(), nil, nil, nil, block(wasm.OpTry), ins(wasm.OpCatchAll), block(wasm.OpBlock), idx(wasm.OpRethrow, 1), end(), end()), ""},
		{"rethrow in try", addFunc(base(), nil, nil, nil, block(wasm.OpTry), idx(wasm.OpRethrow, 0), end()), "invalid rethrow label"},
		{"rethrow in block", addFunc(base(), nil, nil, nil, block(wasm.OpBlock), idx(wasm.OpRethrow, 0), end()), "invalid rethrow label"},
		{"delegate", addFunc(base(), nil, nil, nil, block(wasm.OpTry), idx(wasm.OpDelegate, 0)), ""},
		{"delegate too far", addFunc(base(), nil, nil, nil, block(wasm.OpTry), idx(wasm.OpDelegate, 1)), "unknown label 1"},
		{"catch without try", addFunc(base(), nil, nil, nil, block(wasm.OpBlock), idx(wasm.OpCatch, 0), end()), "type mismatch"},
		{"catch after catch_all", addFunc(base(), nil, nil, nil, block(wasm.OpTry), ins(wasm.OpCatchAll), idx(wasm.OpCatch, 0), ins(wasm.OpDrop), end()), "type mismatch"},
	})
}

func TestLegacyTryValid(t *testing.T) {
	m := withTypes(fnType(vt(wasm.I32), nil))
	m.Tags = []wasm.Tag{{Type: wasm.TagType{TypeIndex: 0}}}
	addFunc(m, nil, vt(wasm.I32), nil, block(wasm.OpTry, wasm.I32), i32c(1),
		idx(wasm.OpCatch, 0), ins(wasm.OpCatchAll), i32c(2), end())
	// The catch clause leaves the payload i32 as the result: valid.
	m.Funcs[0].Body = []wasm.Instr{block(wasm.OpTry, wasm.I32), i32c(1), idx(wasm.OpCatch, 0), ins(wasm.OpCatchAll), i32c(2), end(), end()}
	expect(t, m, "")
	info, err := Analyze(m, Options{})
	if err != nil {
		t.Fatal(err)
	}
	b := info.Funcs[0].Blocks
	if len(b) != 1 || b[0].Start != 0 || b[0].Else != 2 || b[0].End != 5 || b[0].LabelArity != 1 ||
		len(b[0].Parts) != 2 || b[0].Parts[1] != 3 {
		t.Errorf("blocks = %+v", b)
	}
}
