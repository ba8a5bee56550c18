package binary

import (
	"testing"

	"github.com/gcscope/gcscope/engine/wasm"
)

// sampleInstr gives an instruction of the opcode non-zero immediates of the
// kind its table entry names, so that a lost or swapped field shows.
func sampleInstr(info *wasm.OpInfo) wasm.Instr {
	in := wasm.Instr{Op: info.Op}
	switch info.Imm {
	case wasm.ImmBlock:
		in.Block = wasm.BlockType{Kind: wasm.BlockValue, Value: wasm.RefType(false, 2)}
	case wasm.ImmLabel, wasm.ImmFunc, wasm.ImmType, wasm.ImmLocal, wasm.ImmGlobal, wasm.ImmTable,
		wasm.ImmMemory, wasm.ImmTag, wasm.ImmData, wasm.ImmElem:
		in.Index = 3
	case wasm.ImmCallIndirect, wasm.ImmTypeField, wasm.ImmTypeCount, wasm.ImmTypeData, wasm.ImmTypeElem,
		wasm.ImmTypeType, wasm.ImmDataMem, wasm.ImmMemMem, wasm.ImmElemTable, wasm.ImmTableTable:
		in.Index, in.Index2 = 3, 300
	case wasm.ImmBrTable:
		in.Ext = &wasm.InstrExt{Labels: []uint32{1, 200, 0}}
	case wasm.ImmMemArg, wasm.ImmMemArgLane:
		in.Index, in.Align, in.Value = 1, uint32(info.Align), 1<<40
		if info.Imm == wasm.ImmMemArgLane {
			in.Lane = info.Lanes - 1
		}
	case wasm.ImmLane:
		in.Lane = info.Lanes - 1
	case wasm.ImmI32:
		in.Value = uint64(uint32(0x80000000))
	case wasm.ImmI64:
		in.Value = 1 << 63
	case wasm.ImmF32:
		in.Value = 0x7fc00001 // a NaN payload must survive
	case wasm.ImmF64:
		in.Value = 0xfff0000000000001
	case wasm.ImmV128, wasm.ImmShuffle:
		in.Ext = &wasm.InstrExt{Bytes: [16]byte{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 31}}
	case wasm.ImmSelectT:
		in.Ext = &wasm.InstrExt{Types: []wasm.ValType{wasm.RefType(true, 7)}}
	case wasm.ImmHeapType:
		in.Ref = wasm.RefType(true, wasm.HeapNoExn)
	case wasm.ImmRefType:
		nullable := info.Op == wasm.OpRefTestNull || info.Op == wasm.OpRefCastNull
		in.Ref = wasm.RefType(nullable, 9)
	case wasm.ImmBrOnCast:
		in.Index, in.Ref2, in.Ref = 1, wasm.AnyRef, wasm.RefType(false, 4)
	case wasm.ImmTryTable:
		in.Block = wasm.BlockType{Kind: wasm.BlockFunc, Index: 6}
		in.Ext = &wasm.InstrExt{Catches: []wasm.Catch{
			{Kind: wasm.CatchTag, Tag: 1, Label: 2}, {Kind: wasm.CatchTagRef, Tag: 3, Label: 4},
			{Kind: wasm.CatchAll, Label: 5}, {Kind: wasm.CatchAllRef, Label: 6},
		}}
	}
	return in
}

// sampleBody wraps the instruction in what makes it well bracketed.
func sampleBody(in wasm.Instr) []wasm.Instr {
	end := wasm.Instr{Op: wasm.OpEnd}
	try := wasm.Instr{Op: wasm.OpTry}
	switch in.Op {
	case wasm.OpEnd:
		return []wasm.Instr{end}
	case wasm.OpBlock, wasm.OpLoop, wasm.OpIf, wasm.OpTry, wasm.OpTryTable:
		return []wasm.Instr{in, end, end}
	case wasm.OpElse:
		return []wasm.Instr{{Op: wasm.OpIf}, in, end, end}
	case wasm.OpCatch, wasm.OpCatchAll:
		return []wasm.Instr{try, in, end, end}
	case wasm.OpDelegate:
		return []wasm.Instr{try, in, end}
	}
	return []wasm.Instr{in, end}
}

// TestEveryOpcodeRoundTrips encodes each instruction of the opcode table and
// decodes it back.
func TestEveryOpcodeRoundTrips(t *testing.T) {
	ops := wasm.AllOps()
	if len(ops) < 500 {
		t.Fatalf("only %d opcodes in the table", len(ops))
	}
	for _, info := range ops {
		body := sampleBody(sampleInstr(info))
		m := &wasm.Module{
			Types: []wasm.SubType{{Final: true, Comp: wasm.CompositeType{Kind: wasm.CompFunc}}},
			Funcs: []wasm.Func{{Body: append([]wasm.Instr(nil), body...)}},
		}
		out, err := Encode(m)
		if err != nil {
			t.Errorf("%s: %v", info.Name, err)
			continue
		}
		d, err := Decode(out)
		if err != nil {
			t.Errorf("%s: decoding % x: %v", info.Name, out, err)
			continue
		}
		got := d.Funcs[0].Body
		if len(got) != len(body) {
			t.Errorf("%s: %d instructions back, want %d", info.Name, len(got), len(body))
			continue
		}
		for i := range body {
			g := got[i]
			g.Offset = 0
			if !instrEqual(g, body[i]) {
				t.Errorf("%s: instr %d came back as %+v (ext %+v), want %+v (ext %+v)", info.Name, i, g, g.Ext, body[i], body[i].Ext)
			}
		}
	}
}
