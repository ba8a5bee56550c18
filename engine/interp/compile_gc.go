package interp

import (
	"fmt"

	"github.com/gcscope/gcscope/engine/wasm"
)

// gcOp compiles the GC proposal's struct, array, i31 and cast
// instructions. Allocating ones are safepoints: their operands are still
// in their slots (and in the stack map) while the collector may run.
func (c *compiler) gcOp(in *wasm.Instr) error {
	t := in.Index
	comp := func() (*wasm.CompositeType, error) {
		if int(t) >= len(c.m.Types) {
			return nil, fmt.Errorf("unknown type %d", t)
		}
		return &c.m.Types[t].Comp, nil
	}
	ref := wasm.RefType(false, wasm.HeapType(t))
	emit := func(o op, pops int, in2 instr, results ...wasm.ValType) error {
		in2.op = o
		in2.a = c.top(pops)
		if err := c.pop(pops); err != nil {
			return err
		}
		c.emit(in2)
		c.push(results...)
		return nil
	}
	signOf := func(o wasm.Opcode, s, u wasm.Opcode) uint32 {
		switch o {
		case s:
			return 1
		case u:
			return 2
		}
		return 0
	}
	switch in.Op {
	case wasm.OpStructNew, wasm.OpStructNewDefault:
		ct, err := comp()
		if err != nil {
			return err
		}
		c.safepoint()
		if in.Op == wasm.OpStructNewDefault {
			return emit(opStructNew, 0, instr{b: t, c: 1}, ref)
		}
		return emit(opStructNew, len(ct.Fields), instr{b: t}, ref)
	case wasm.OpStructGet, wasm.OpStructGetS, wasm.OpStructGetU:
		ct, err := comp()
		if err != nil {
			return err
		}
		if int(in.Index2) >= len(ct.Fields) {
			return fmt.Errorf("unknown field %d", in.Index2)
		}
		d := signOf(in.Op, wasm.OpStructGetS, wasm.OpStructGetU)
		return emit(opStructGet, 1, instr{b: t, c: in.Index2, d: d}, ct.Fields[in.Index2].Storage.Unpacked())
	case wasm.OpStructSet:
		return emit(opStructSet, 2, instr{b: t, c: in.Index2})
	case wasm.OpArrayNew:
		c.safepoint()
		return emit(opArrayNew, 2, instr{b: t}, ref)
	case wasm.OpArrayNewDefault:
		c.safepoint()
		return emit(opArrayNewDefault, 1, instr{b: t}, ref)
	case wasm.OpArrayNewFixed:
		c.safepoint()
		return emit(opArrayNewFixed, int(in.Index2), instr{b: t, c: in.Index2}, ref)
	case wasm.OpArrayNewData:
		c.safepoint()
		return emit(opArrayNewData, 2, instr{b: t, c: in.Index2}, ref)
	case wasm.OpArrayNewElem:
		c.safepoint()
		return emit(opArrayNewElem, 2, instr{b: t, c: in.Index2}, ref)
	case wasm.OpArrayGet, wasm.OpArrayGetS, wasm.OpArrayGetU:
		ct, err := comp()
		if err != nil {
			return err
		}
		if len(ct.Fields) != 1 {
			return fmt.Errorf("type %d is not an array", t)
		}
		d := signOf(in.Op, wasm.OpArrayGetS, wasm.OpArrayGetU)
		return emit(opArrayGet, 2, instr{b: t, d: d}, ct.Fields[0].Storage.Unpacked())
	case wasm.OpArraySet:
		return emit(opArraySet, 3, instr{b: t})
	case wasm.OpArrayLen:
		return emit(opArrayLen, 1, instr{}, wasm.I32)
	case wasm.OpArrayFill:
		return emit(opArrayFill, 4, instr{b: t})
	case wasm.OpArrayCopy:
		return emit(opArrayCopy, 5, instr{b: t, c: in.Index2})
	case wasm.OpArrayInitData:
		return emit(opArrayInitData, 4, instr{b: t, c: in.Index2})
	case wasm.OpArrayInitElem:
		return emit(opArrayInitElem, 4, instr{b: t, c: in.Index2})
	case wasm.OpRefTest, wasm.OpRefTestNull:
		return emit(opRefTest, 1, instr{b: c.castOf(in.Ref)}, wasm.I32)
	case wasm.OpRefCast, wasm.OpRefCastNull:
		return emit(opRefCast, 1, instr{b: c.castOf(in.Ref)}, in.Ref)
	case wasm.OpAnyConvertExtern, wasm.OpExternConvertAny:
		// One representation serves both hierarchies: only the type changes.
		rt := c.peek()
		if err := c.pop(1); err != nil {
			return err
		}
		h := wasm.HeapAny
		if in.Op == wasm.OpExternConvertAny {
			h = wasm.HeapExtern
		}
		c.push(wasm.RefType(rt.Nullable, h))
	case wasm.OpRefI31:
		return emit(opI31New, 1, instr{}, wasm.RefType(false, wasm.HeapI31))
	case wasm.OpI31GetS:
		return emit(opI31GetS, 1, instr{}, wasm.I32)
	case wasm.OpI31GetU:
		return emit(opI31GetU, 1, instr{}, wasm.I32)
	default:
		return fmt.Errorf("unsupported instruction %s", in.Op)
	}
	return nil
}
