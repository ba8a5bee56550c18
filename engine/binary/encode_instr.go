package binary

import (
	"github.com/gcscope/gcscope/engine/wasm"
)

// opcode writes an opcode: one byte, or the prefix and the sub-opcode as
// u32.
func (w *writer) opcode(op wasm.Opcode) {
	if p := op.Prefix(); p != 0 {
		w.byte(p)
		w.u32(op.Sub())
		return
	}
	w.byte(byte(op))
}

// instrs writes an instruction sequence, recording each instruction's
// offset within w.buf (the caller later shifts it to a file offset). The
// sequence must close with its End, or the bytes would not decode.
func (w *writer) instrs(body []wasm.Instr) {
	if len(body) == 0 || body[len(body)-1].Op != wasm.OpEnd {
		w.fail("instruction sequence does not close with end")
		return
	}
	for i := range body {
		if w.err != nil {
			return
		}
		w.instr(&body[i])
	}
}

// ext returns the instruction's extension, failing if it has none.
func (w *writer) ext(in *wasm.Instr) *wasm.InstrExt {
	if in.Ext == nil {
		w.fail("%s at instruction offset %d lacks its immediates", in.Op, in.Offset)
		return &wasm.InstrExt{}
	}
	return in.Ext
}

func (w *writer) memArg(in *wasm.Instr) {
	if in.Align >= 0x40 {
		w.fail("%s: alignment exponent %d out of range", in.Op, in.Align)
		return
	}
	if in.Index != 0 {
		w.u32(in.Align | 0x40)
		w.u32(in.Index)
	} else {
		w.u32(in.Align)
	}
	w.u64(in.Value)
}

func (w *writer) instr(in *wasm.Instr) {
	info := wasm.Lookup(in.Op)
	if info == nil {
		w.fail("unknown opcode %s", in.Op)
		return
	}
	op := in.Op
	// ref.test and ref.cast: the reference type's nullability picks the
	// opcode, so a module built by hand cannot contradict itself.
	switch op {
	case wasm.OpRefTest, wasm.OpRefTestNull:
		op = wasm.OpRefTest
		if in.Ref.Nullable {
			op = wasm.OpRefTestNull
		}
	case wasm.OpRefCast, wasm.OpRefCastNull:
		op = wasm.OpRefCast
		if in.Ref.Nullable {
			op = wasm.OpRefCastNull
		}
	}
	in.Offset = w.offset()
	w.opcode(op)
	switch info.Imm {
	case wasm.ImmNone:
	case wasm.ImmBlock:
		w.blockType(in.Block)
	case wasm.ImmLabel, wasm.ImmFunc, wasm.ImmType, wasm.ImmLocal, wasm.ImmGlobal,
		wasm.ImmTable, wasm.ImmMemory, wasm.ImmTag, wasm.ImmElem, wasm.ImmData:
		w.u32(in.Index)
	case wasm.ImmBrTable:
		labels := w.ext(in).Labels
		if len(labels) == 0 {
			w.fail("br_table without a default label")
			return
		}
		w.count(len(labels) - 1)
		for _, l := range labels {
			w.u32(l)
		}
	case wasm.ImmCallIndirect, wasm.ImmTypeField, wasm.ImmTypeCount, wasm.ImmTypeElem,
		wasm.ImmTypeType, wasm.ImmMemMem, wasm.ImmElemTable, wasm.ImmTableTable,
		wasm.ImmTypeData, wasm.ImmDataMem:
		w.u32(in.Index)
		w.u32(in.Index2)
	case wasm.ImmMemArg:
		w.memArg(in)
	case wasm.ImmMemArgLane:
		w.memArg(in)
		w.byte(in.Lane)
	case wasm.ImmI32:
		w.s64(int64(int32(uint32(in.Value))))
	case wasm.ImmI64:
		w.s64(int64(in.Value))
	case wasm.ImmF32:
		w.fixed32(uint32(in.Value))
	case wasm.ImmF64:
		w.fixed32(uint32(in.Value))
		w.fixed32(uint32(in.Value >> 32))
	case wasm.ImmV128, wasm.ImmShuffle:
		x := w.ext(in)
		w.bytes(x.Bytes[:])
	case wasm.ImmSelectT:
		w.valTypes(w.ext(in).Types)
	case wasm.ImmHeapType, wasm.ImmRefType:
		w.heapType(in.Ref.Heap)
	case wasm.ImmBrOnCast:
		var flags byte
		if in.Ref2.Nullable {
			flags |= 1
		}
		if in.Ref.Nullable {
			flags |= 2
		}
		w.byte(flags)
		w.u32(in.Index)
		w.heapType(in.Ref2.Heap)
		w.heapType(in.Ref.Heap)
	case wasm.ImmLane:
		w.byte(in.Lane)
	case wasm.ImmTryTable:
		w.blockType(in.Block)
		var catches []wasm.Catch
		if in.Ext != nil {
			catches = in.Ext.Catches
		}
		w.count(len(catches))
		for _, c := range catches {
			w.byte(byte(c.Kind))
			switch c.Kind {
			case wasm.CatchTag, wasm.CatchTagRef:
				w.u32(c.Tag)
			case wasm.CatchAll, wasm.CatchAllRef:
			default:
				w.fail("try_table catch kind %d has no encoding", c.Kind)
			}
			w.u32(c.Label)
		}
	case wasm.ImmFence:
		w.byte(0)
	default:
		w.fail("%s: immediate kind %d has no encoding", in.Op, info.Imm)
	}
}
