package validate

import (
	"github.com/gcscope/gcscope/engine/wasm"
)

// instr checks one instruction against the stacks. Instructions the
// opcode table types by signature alone go through simple; the others have
// their own rules in the files named after their topic.
func (c *checker) instr(in *wasm.Instr) error {
	switch in.Op {
	case wasm.OpUnreachable:
		c.setUnreachable()
		return nil
	case wasm.OpNop:
		return nil
	case wasm.OpBlock, wasm.OpLoop, wasm.OpIf, wasm.OpElse, wasm.OpEnd, wasm.OpBr, wasm.OpBrIf,
		wasm.OpBrTable, wasm.OpReturn, wasm.OpCall, wasm.OpCallIndirect, wasm.OpReturnCall,
		wasm.OpReturnCallIndirect, wasm.OpCallRef, wasm.OpReturnCallRef:
		return c.control(in)
	case wasm.OpTry, wasm.OpCatch, wasm.OpCatchAll, wasm.OpDelegate, wasm.OpRethrow,
		wasm.OpThrow, wasm.OpThrowRef, wasm.OpTryTable:
		return c.exception(in)
	case wasm.OpDrop:
		_, err := c.pop()
		return err
	case wasm.OpSelect, wasm.OpSelectT:
		return c.selectInstr(in)
	case wasm.OpLocalGet, wasm.OpLocalSet, wasm.OpLocalTee, wasm.OpGlobalGet, wasm.OpGlobalSet:
		return c.variable(in)
	case wasm.OpTableGet, wasm.OpTableSet, wasm.OpTableSize, wasm.OpTableGrow, wasm.OpTableFill,
		wasm.OpTableCopy, wasm.OpTableInit, wasm.OpElemDrop:
		return c.tableInstr(in)
	case wasm.OpMemoryInit, wasm.OpDataDrop, wasm.OpMemoryCopy, wasm.OpMemoryFill:
		return c.bulkMemory(in)
	case wasm.OpRefNull, wasm.OpRefIsNull, wasm.OpRefFunc, wasm.OpRefEq, wasm.OpRefAsNonNull,
		wasm.OpBrOnNull, wasm.OpBrOnNonNull, wasm.OpRefI31, wasm.OpI31GetS, wasm.OpI31GetU,
		wasm.OpAnyConvertExtern, wasm.OpExternConvertAny:
		return c.reference(in)
	case wasm.OpAtomicFence:
		return nil
	}
	if in.Op.Prefix() == wasm.PrefixGC {
		return c.gc(in)
	}
	info := wasm.Lookup(in.Op)
	if info == nil || !info.Simple {
		return c.errf("unknown operator %s", in.Op)
	}
	return c.simple(in, info)
}

// simple types an instruction by its table signature, after checking its
// memory, alignment and lane immediates.
func (c *checker) simple(in *wasm.Instr, info *wasm.OpInfo) error {
	addr := wasm.I32
	switch info.Imm {
	case wasm.ImmMemArg, wasm.ImmMemArgLane, wasm.ImmMemory:
		mt, err := c.mc.memory(in.Index)
		if err != nil {
			return err
		}
		addr = mt.AddrType()
		if info.Imm != wasm.ImmMemory {
			if err := c.memArg(in, info, mt); err != nil {
				return err
			}
		}
	}
	switch info.Imm {
	case wasm.ImmMemArgLane, wasm.ImmLane:
		if in.Lane >= info.Lanes {
			return c.errf("invalid lane index %d", in.Lane)
		}
	case wasm.ImmShuffle:
		if in.Ext == nil {
			return c.errf("invalid lane index: shuffle has no lanes")
		}
		for _, l := range in.Ext.Bytes {
			if l >= 32 {
				return c.errf("invalid lane index %d", l)
			}
		}
	case wasm.ImmV128:
		if in.Ext == nil {
			return c.errf("type mismatch: v128.const has no value")
		}
	}
	// Pop the parameters, last first, giving the address operand the
	// memory's address type.
	f := c.top()
	n := len(info.Params)
	ok := true
	avail := len(c.vals) - f.height
	for i := 0; i < n; i++ {
		w := info.Params[n-1-i]
		if n-1-i == int(info.AddrParam) {
			w = addr
		}
		if i >= avail {
			ok = ok && f.unreachable
			continue
		}
		if got := c.vals[len(c.vals)-1-i]; got != w && got.Kind != wasm.KindBot {
			ok = false
		}
	}
	if !ok {
		want := append([]wasm.ValType(nil), info.Params...)
		if info.AddrParam >= 0 {
			want[info.AddrParam] = addr
		}
		return c.mismatch(want, "instruction")
	}
	c.vals = c.vals[:len(c.vals)-min(n, avail)]
	for _, r := range info.Results {
		if info.AddrResult {
			r = addr
		}
		c.push(r)
	}
	return nil
}

// memArg checks a load or store's alignment and offset.
func (c *checker) memArg(in *wasm.Instr, info *wasm.OpInfo, mt *wasm.MemoryType) error {
	if info.Atomic {
		if in.Align != uint32(info.Align) {
			return c.errf("atomic alignment must be natural")
		}
	} else if in.Align > uint32(info.Align) {
		return c.errf("alignment must not be larger than natural")
	}
	if !mt.Addr64 && in.Value > 0xFFFFFFFF {
		return c.errf("offset out of range: %d does not fit a 32-bit address", in.Value)
	}
	return nil
}

// selectInstr checks select with and without a type annotation.
func (c *checker) selectInstr(in *wasm.Instr) error {
	if in.Op == wasm.OpSelectT {
		if in.Ext == nil || len(in.Ext.Types) != 1 {
			return c.errf("invalid result arity")
		}
		t, err := c.mc.valType(in.Ext.Types[0])
		if err != nil {
			return err
		}
		if _, err := c.popExpect(wasm.I32); err != nil {
			return err
		}
		if err := c.popVals([]wasm.ValType{t, t}, "instruction"); err != nil {
			return err
		}
		c.push(t)
		return nil
	}
	if _, err := c.popExpect(wasm.I32); err != nil {
		return err
	}
	t1, err := c.pop()
	if err != nil {
		return err
	}
	t2, err := c.pop()
	if err != nil {
		return err
	}
	// Untyped select is only for numbers and vectors: a reference operand
	// needs the annotation so the result type is known.
	if t1.IsRef() || t2.IsRef() {
		return c.errf("type mismatch: select without a type needs numeric or vector operands")
	}
	if t1 != t2 && t1.Kind != wasm.KindBot && t2.Kind != wasm.KindBot {
		return c.errf("type mismatch: select operands %s and %s differ", t2, t1)
	}
	if t1.Kind == wasm.KindBot {
		t1 = t2
	}
	c.push(t1)
	return nil
}

// variable checks local and global accesses.
func (c *checker) variable(in *wasm.Instr) error {
	switch in.Op {
	case wasm.OpGlobalGet, wasm.OpGlobalSet:
		if int64(in.Index) >= int64(len(c.mc.globals)) {
			return c.errf("unknown global %d", in.Index)
		}
		g := c.mc.globals[in.Index]
		if in.Op == wasm.OpGlobalGet {
			c.push(g.Val)
			return nil
		}
		if !g.Mutable {
			return c.errf("immutable global %d", in.Index)
		}
		_, err := c.popExpect(g.Val)
		return err
	}
	if int64(in.Index) >= int64(len(c.locals)) {
		return c.errf("unknown local %d", in.Index)
	}
	t := c.locals[in.Index]
	switch in.Op {
	case wasm.OpLocalGet:
		if !c.inited[in.Index] {
			return c.errf("uninitialized local %d", in.Index)
		}
		c.push(t)
	case wasm.OpLocalSet:
		if _, err := c.popExpect(t); err != nil {
			return err
		}
		c.initLocal(in.Index)
	case wasm.OpLocalTee:
		if _, err := c.popExpect(t); err != nil {
			return err
		}
		c.initLocal(in.Index)
		c.push(t)
	}
	return nil
}
