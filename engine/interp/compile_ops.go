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

// copyOp is the copy instruction for a value of type t.
func copyOp(t wasm.ValType) op {
	if width(t) == 2 {
		return opCopy2
	}
	return opCopy
}

// fuseLocal removes a just-emitted local.get copy into operand slot dst
// and returns the local to read instead (or dst itself). Only copies after
// the last jump target qualify, so no branch can land between them.
//
// The copy may also be followed by one constant into another slot (the
// other operand, as in i32.lt_u (local.get) (i32.const)): the constant
// does not touch the local, so reading the local afterwards is the same.
func (c *compiler) fuseLocal(dst uint32) uint32 {
	n := len(c.out.instrs)
	i := n - 1
	if i >= 0 && c.out.instrs[i].op == opConst && c.out.instrs[i].a != dst {
		i--
	}
	if i < 0 || i < c.barrier {
		return dst
	}
	cp := &c.out.instrs[i]
	if cp.op != opCopy || cp.a != dst || cp.b >= c.out.nLocals {
		return dst
	}
	src := cp.b
	c.out.instrs = append(c.out.instrs[:i], c.out.instrs[i+1:]...)
	c.out.offsets = append(c.out.offsets[:i], c.out.offsets[i+1:]...)
	return src
}

// fuseConst removes a just-emitted i32.const into slot dst that is the
// second operand of i32.add or i32.sub, and returns the addend.
func (c *compiler) fuseConst(o wasm.Opcode, dst uint32) (uint32, bool) {
	n := len(c.out.instrs)
	if (o != wasm.OpI32Add && o != wasm.OpI32Sub) || n == 0 || n-1 < c.barrier {
		return 0, false
	}
	last := &c.out.instrs[n-1]
	if last.op != opConst || last.a != dst {
		return 0, false
	}
	k := uint32(last.imm)
	if o == wasm.OpI32Sub {
		k = -k
	}
	c.out.instrs = c.out.instrs[:n-1]
	c.out.offsets = c.out.offsets[:n-1]
	return k, true
}

// retarget makes the just-emitted numeric instruction that produced
// operand slot from write local to directly (local.set after arithmetic).
func (c *compiler) retarget(from, to uint32) bool {
	n := len(c.out.instrs)
	if n == 0 || n-1 < c.barrier {
		return false
	}
	last := &c.out.instrs[n-1]
	if last.a != from || !(last.op == opNum1 || last.op == opNum2 || (last.op >= opFirstArith && last.op <= opLastArith)) {
		return false
	}
	last.a = to
	return true
}

// operation compiles everything but control flow.
func (c *compiler) operation(in *wasm.Instr) error {
	info := wasm.Lookup(in.Op)
	if info == nil {
		return fmt.Errorf("unknown opcode %s", in.Op)
	}
	if in.Op.Prefix() == wasm.PrefixSIMD || in.Op == wasm.OpV128Const {
		return c.simdOp(in, info)
	}
	if k, ok := numIdx[in.Op]; ok {
		n := len(info.Params)
		a := c.top(n)
		if err := c.pop(n); err != nil {
			return err
		}
		o := opNum1
		if n == 2 {
			o = opNum2
		}
		if f, ok := fastOps[in.Op]; ok {
			o = f
		}
		// i32.add/sub of a constant keeps the constant in the instruction.
		if k, ok := c.fuseConst(in.Op, a+1); ok {
			c.emit(instr{op: opI32AddK, a: a, b: c.fuseLocal(a), imm: uint64(k)})
			c.push(info.Results...)
			return nil
		}
		// Operands that local.get just copied are read from the locals.
		src1, src2 := a, a+1
		if n == 2 {
			src2 = c.fuseLocal(a + 1)
		}
		src1 = c.fuseLocal(a)
		c.emit(instr{op: o, a: a, b: src1, c: src2, imm: k})
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
		if d, ok := divOps[in.Op]; ok {
			o = d
		}
		c.emit(instr{op: o, a: a, imm: k})
		c.push(info.Results...)
		return nil
	}
	switch in.Op {
	case wasm.OpI32Const, wasm.OpI64Const, wasm.OpF32Const, wasm.OpF64Const:
		v := in.Value
		if in.Op == wasm.OpI32Const || in.Op == wasm.OpF32Const {
			v = uint64(uint32(v)) // 32-bit values are zero-extended in slots
		}
		c.emit(instr{op: opConst, a: c.top(0), imm: v})
		c.push(info.Results...)
	case wasm.OpDrop:
		return c.pop(1)
	case wasm.OpSelect, wasm.OpSelectT:
		if len(c.stack) < 3 {
			return fmt.Errorf("type mismatch: select needs 3 operands")
		}
		a, b, cond := c.top(3), c.top(2), c.top(1)
		t := c.stack[len(c.stack)-2]
		if err := c.pop(3); err != nil {
			return err
		}
		if in.Ext != nil && len(in.Ext.Types) == 1 {
			t = in.Ext.Types[0]
		}
		c.emit(instr{op: opSelect, a: a, b: b, c: cond, d: width(t)})
		c.push(t)
	case wasm.OpLocalGet:
		if int(in.Index) >= len(c.locals) {
			return fmt.Errorf("unknown local %d", in.Index)
		}
		t := c.locals[in.Index]
		c.emit(instr{op: copyOp(t), a: c.top(0), b: c.localSlot[in.Index]})
		c.push(t)
	case wasm.OpLocalSet, wasm.OpLocalTee:
		if int(in.Index) >= len(c.locals) {
			return fmt.Errorf("unknown local %d", in.Index)
		}
		dst := c.localSlot[in.Index]
		if in.Op == wasm.OpLocalSet && c.retarget(c.top(1), dst) {
			return c.pop(1)
		}
		c.emit(instr{op: copyOp(c.locals[in.Index]), a: dst, b: c.top(1)})
		if in.Op == wasm.OpLocalSet {
			return c.pop(1)
		}
	case wasm.OpGlobalGet, wasm.OpGlobalSet:
		if int(in.Index) >= len(c.inst.Globals) {
			return fmt.Errorf("unknown global %d", in.Index)
		}
		t := c.inst.Globals[in.Index].Type.Val
		if in.Op == wasm.OpGlobalGet {
			c.emit(instr{op: opGlobalGet, a: c.top(0), b: in.Index, d: width(t)})
			c.push(t)
			return nil
		}
		c.emit(instr{op: opGlobalSet, a: c.top(1), b: in.Index, d: width(t)})
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

// simdOp compiles a SIMD instruction: every one is typed by its
// signature; immediates go to b (memory), c (lane) and imm (offset, or
// the index of a 16-byte constant in code.vecs).
func (c *compiler) simdOp(in *wasm.Instr, info *wasm.OpInfo) error {
	k, ok := simdIdx[in.Op]
	if !ok {
		return fmt.Errorf("%s is not supported by the interpreter yet", in.Op)
	}
	n := len(info.Params)
	a := c.top(n)
	if err := c.pop(n); err != nil {
		return err
	}
	ins := instr{op: opSIMD, a: a, d: k}
	switch info.Imm {
	case wasm.ImmMemArg, wasm.ImmMemArgLane:
		if int(in.Index) >= len(c.inst.Mems) {
			return fmt.Errorf("unknown memory %d", in.Index)
		}
		ins.b, ins.c, ins.imm = in.Index, uint32(in.Lane), in.Value
	case wasm.ImmLane:
		ins.c = uint32(in.Lane)
	case wasm.ImmV128, wasm.ImmShuffle:
		if in.Ext == nil {
			return fmt.Errorf("%s without its constant", in.Op)
		}
		ins.imm = uint64(len(c.out.vecs))
		c.out.vecs = append(c.out.vecs, vec(in.Ext.Bytes))
	}
	c.emit(ins)
	c.push(info.Results...)
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
	// Memory 0 with 32-bit addresses, the common case, gets one opcode
	// per access width that reads its operands from locals when it can.
	// Those index Memory.Data; a shared memory, which other threads may
	// grow, takes the general path (Memory.Bytes).
	if in.Index == 0 && !c.inst.Mems[0].Type.Addr64 && !c.inst.Mems[0].Type.Shared {
		if o, ok := loadOps[in.Op]; ok {
			c.emit(instr{op: o, a: a, b: c.fuseLocal(a), imm: in.Value})
			c.push(info.Results...)
			return nil
		}
		if o, ok := storeOps[in.Op]; ok {
			v := c.fuseLocal(a + 1)
			c.emit(instr{op: o, a: c.fuseLocal(a), c: v, imm: in.Value})
			return nil
		}
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
	if atomics[in.Op] == atomWait {
		c.safepoint() // the thread blocks outside Wasm: collections may run
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
