package interp

import (
	"fmt"

	"github.com/gcscope/gcscope/engine/wasm"
)

// numIndex interns the numeric function tables so instructions carry a
// small index instead of a function value.
var (
	numTable  []numFn
	trapTable []trapFn
	numIdx    = map[wasm.Opcode]uint64{}
	trapIdx   = map[wasm.Opcode]uint64{}
)

func init() {
	for op, f := range numOps {
		numIdx[op] = uint64(len(numTable))
		numTable = append(numTable, f)
	}
	for op, f := range trapOps {
		trapIdx[op] = uint64(len(trapTable))
		trapTable = append(trapTable, f)
	}
}

// operation compiles everything but control flow.
func (c *compiler) operation(in *wasm.Instr) error {
	info := wasm.Lookup(in.Op)
	if info == nil {
		return fmt.Errorf("unknown opcode %s", in.Op)
	}
	if in.Op.Prefix() == wasm.PrefixSIMD {
		return fmt.Errorf("SIMD is not supported by the interpreter yet")
	}
	if k, ok := numIdx[in.Op]; ok {
		a := c.top(len(info.Params))
		if err := c.pop(len(info.Params)); err != nil {
			return err
		}
		o := opNum1
		if len(info.Params) == 2 {
			o = opNum2
		}
		c.emit(instr{op: o, a: a, imm: k})
		c.push(info.Results...)
		return nil
	}
	if k, ok := trapIdx[in.Op]; ok {
		a := c.top(len(info.Params))
		if err := c.pop(len(info.Params)); err != nil {
			return err
		}
		o := opNumTrap
		if len(info.Params) == 1 {
			o = opNumTrap1
		}
		c.emit(instr{op: o, a: a, imm: k})
		c.push(info.Results...)
		return nil
	}
	switch in.Op {
	case wasm.OpI32Const, wasm.OpI64Const, wasm.OpF32Const, wasm.OpF64Const:
		c.emit(instr{op: opConst, a: c.top(0), imm: in.Value})
		c.push(info.Results...)
	case wasm.OpDrop:
		return c.pop(1)
	case wasm.OpSelect, wasm.OpSelectT:
		a := c.top(3)
		t := c.stack[len(c.stack)-2]
		if err := c.pop(3); err != nil {
			return err
		}
		if in.Ext != nil && len(in.Ext.Types) == 1 {
			t = in.Ext.Types[0]
		}
		c.emit(instr{op: opSelect, a: a})
		c.push(t)
	case wasm.OpLocalGet:
		if int(in.Index) >= len(c.locals) {
			return fmt.Errorf("unknown local %d", in.Index)
		}
		c.emit(instr{op: opCopy, a: c.top(0), b: in.Index})
		c.push(c.locals[in.Index])
	case wasm.OpLocalSet, wasm.OpLocalTee:
		if int(in.Index) >= len(c.locals) {
			return fmt.Errorf("unknown local %d", in.Index)
		}
		c.emit(instr{op: opCopy, a: in.Index, b: c.top(1)})
		if in.Op == wasm.OpLocalSet {
			return c.pop(1)
		}
	case wasm.OpGlobalGet, wasm.OpGlobalSet:
		if int(in.Index) >= len(c.inst.Globals) {
			return fmt.Errorf("unknown global %d", in.Index)
		}
		if in.Op == wasm.OpGlobalGet {
			c.emit(instr{op: opGlobalGet, a: c.top(0), b: in.Index})
			c.push(c.inst.Globals[in.Index].Type.Val)
			return nil
		}
		c.emit(instr{op: opGlobalSet, a: c.top(1), b: in.Index})
		return c.pop(1)
	default:
		if in.Op.Prefix() == wasm.PrefixGC {
			return c.gcOp(in)
		}
		if in.Op.Prefix() == wasm.PrefixAtomic {
			return c.atomicOp(in, info)
		}
		if info.Imm == wasm.ImmMemArg {
			return c.memAccess(in, info)
		}
		return c.memTableRef(in, info)
	}
	return nil
}

// memAccess compiles plain loads and stores.
func (c *compiler) memAccess(in *wasm.Instr, info *wasm.OpInfo) error {
	if int(in.Index) >= len(c.inst.Mems) {
		return fmt.Errorf("unknown memory %d", in.Index)
	}
	n := len(info.Params)
	a := c.top(n)
	if err := c.pop(n); err != nil {
		return err
	}
	o := opLoad
	if len(info.Results) == 0 {
		o = opStore
	}
	c.emit(instr{op: o, a: a, b: in.Index, c: uint32(in.Op), imm: in.Value})
	c.push(info.Results...)
	return nil
}

func (c *compiler) atomicOp(in *wasm.Instr, info *wasm.OpInfo) error {
	if in.Op == wasm.OpAtomicFence {
		c.emit(instr{op: opFence})
		return nil
	}
	if int(in.Index) >= len(c.inst.Mems) {
		return fmt.Errorf("unknown memory %d", in.Index)
	}
	n := len(info.Params)
	a := c.top(n)
	if err := c.pop(n); err != nil {
		return err
	}
	c.emit(instr{op: opAtomic, a: a, b: in.Index, c: uint32(in.Op), d: uint32(info.Align), imm: in.Value})
	c.push(info.Results...)
	return nil
}

// memTableRef compiles memory, table and reference instructions without
// a memarg.
func (c *compiler) memTableRef(in *wasm.Instr, info *wasm.OpInfo) error {
	type shape struct {
		o      op
		pops   int
		result []wasm.ValType
	}
	addr := func(mem bool, i uint32) wasm.ValType {
		if mem && int(i) < len(c.inst.Mems) && c.inst.Mems[i].Type.Addr64 {
			return wasm.I64
		}
		if !mem && int(i) < len(c.inst.Tables) && c.inst.Tables[i].Type.Addr64 {
			return wasm.I64
		}
		return wasm.I32
	}
	var s shape
	b, cc := in.Index, in.Index2
	switch in.Op {
	case wasm.OpMemorySize:
		s = shape{opMemSize, 0, []wasm.ValType{addr(true, b)}}
	case wasm.OpMemoryGrow:
		s = shape{opMemGrow, 1, []wasm.ValType{addr(true, b)}}
	case wasm.OpMemoryFill:
		s = shape{opMemFill, 3, nil}
	case wasm.OpMemoryCopy:
		s = shape{opMemCopy, 3, nil}
	case wasm.OpMemoryInit:
		s = shape{opMemInit, 3, nil}
		b, cc = in.Index2, in.Index
	case wasm.OpDataDrop:
		s = shape{opDataDrop, 0, nil}
	case wasm.OpTableGet, wasm.OpTableSet, wasm.OpTableSize, wasm.OpTableGrow, wasm.OpTableFill:
		if int(b) >= len(c.inst.Tables) {
			return fmt.Errorf("unknown table %d", b)
		}
		et := c.inst.Tables[b].Type.Elem
		switch in.Op {
		case wasm.OpTableGet:
			s = shape{opTableGet, 1, []wasm.ValType{et}}
		case wasm.OpTableSet:
			s = shape{opTableSet, 2, nil}
		case wasm.OpTableSize:
			s = shape{opTableSize, 0, []wasm.ValType{addr(false, b)}}
		case wasm.OpTableGrow:
			s = shape{opTableGrow, 2, []wasm.ValType{addr(false, b)}}
		default:
			s = shape{opTableFill, 3, nil}
		}
	case wasm.OpTableCopy:
		s = shape{opTableCopy, 3, nil}
	case wasm.OpTableInit:
		s = shape{opTableInit, 3, nil}
		b, cc = in.Index2, in.Index
	case wasm.OpElemDrop:
		s = shape{opElemDrop, 0, nil}
	case wasm.OpRefNull:
		s = shape{opConst, 0, []wasm.ValType{wasm.RefType(true, in.Ref.Heap)}}
	case wasm.OpRefIsNull:
		s = shape{opRefIsNull, 1, []wasm.ValType{wasm.I32}}
	case wasm.OpRefFunc:
		s = shape{opRefFunc, 0, []wasm.ValType{wasm.RefType(false, wasm.HeapFunc)}}
	case wasm.OpRefEq:
		s = shape{opRefEq, 2, []wasm.ValType{wasm.I32}}
	case wasm.OpRefAsNonNull:
		t := c.peek()
		t.Nullable = false
		s = shape{opRefAsNonNull, 1, []wasm.ValType{t}}
	default:
		return fmt.Errorf("unsupported instruction %s", in.Op)
	}
	a := c.top(s.pops)
	if err := c.pop(s.pops); err != nil {
		return err
	}
	c.emit(instr{op: s.o, a: a, b: b, c: cc})
	c.push(s.result...)
	return nil
}
