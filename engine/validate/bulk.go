package validate

import (
	"github.com/gcscope/gcscope/engine/wasm"
)

// minAddr is the type of a length that spans two memories or tables: i64
// only when both are 64-bit.
func minAddr(a, b wasm.ValType) wasm.ValType {
	if a == wasm.I64 && b == wasm.I64 {
		return wasm.I64
	}
	return wasm.I32
}

// tableInstr checks the table instructions.
func (c *checker) tableInstr(in *wasm.Instr) error {
	if in.Op == wasm.OpElemDrop {
		_, err := c.mc.elem(in.Index)
		return err
	}
	if in.Op == wasm.OpTableInit {
		tt, err := c.mc.table(in.Index2)
		if err != nil {
			return err
		}
		et, err := c.mc.elem(in.Index)
		if err != nil {
			return err
		}
		if !c.mc.sub(et, tt.Elem) {
			return c.errf("type mismatch: element segment of %s does not fit table of %s", et, tt.Elem)
		}
		return c.popVals([]wasm.ValType{tt.AddrType(), wasm.I32, wasm.I32}, "instruction")
	}
	tt, err := c.mc.table(in.Index)
	if err != nil {
		return err
	}
	at := tt.AddrType()
	switch in.Op {
	case wasm.OpTableGet:
		if _, err := c.popExpect(at); err != nil {
			return err
		}
		c.push(tt.Elem)
	case wasm.OpTableSet:
		return c.popVals([]wasm.ValType{at, tt.Elem}, "instruction")
	case wasm.OpTableSize:
		c.push(at)
	case wasm.OpTableGrow:
		if err := c.popVals([]wasm.ValType{tt.Elem, at}, "instruction"); err != nil {
			return err
		}
		c.push(at)
	case wasm.OpTableFill:
		return c.popVals([]wasm.ValType{at, tt.Elem, at}, "instruction")
	case wasm.OpTableCopy:
		src, err := c.mc.table(in.Index2)
		if err != nil {
			return err
		}
		if !c.mc.sub(src.Elem, tt.Elem) {
			return c.errf("type mismatch: table of %s cannot be copied into table of %s", src.Elem, tt.Elem)
		}
		return c.popVals([]wasm.ValType{at, src.AddrType(), minAddr(at, src.AddrType())}, "instruction")
	}
	return nil
}

// bulkMemory checks memory.init, data.drop, memory.copy and memory.fill.
func (c *checker) bulkMemory(in *wasm.Instr) error {
	switch in.Op {
	case wasm.OpDataDrop:
		return c.mc.data(in.Index)
	case wasm.OpMemoryInit:
		mt, err := c.mc.memory(in.Index2)
		if err != nil {
			return err
		}
		if err := c.mc.data(in.Index); err != nil {
			return err
		}
		return c.popVals([]wasm.ValType{mt.AddrType(), wasm.I32, wasm.I32}, "instruction")
	case wasm.OpMemoryCopy:
		dst, err := c.mc.memory(in.Index)
		if err != nil {
			return err
		}
		src, err := c.mc.memory(in.Index2)
		if err != nil {
			return err
		}
		da, sa := dst.AddrType(), src.AddrType()
		return c.popVals([]wasm.ValType{da, sa, minAddr(da, sa)}, "instruction")
	case wasm.OpMemoryFill:
		mt, err := c.mc.memory(in.Index)
		if err != nil {
			return err
		}
		at := mt.AddrType()
		return c.popVals([]wasm.ValType{at, wasm.I32, at}, "instruction")
	}
	return nil
}
