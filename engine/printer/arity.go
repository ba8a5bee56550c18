package printer

import "github.com/gcscope/gcscope/engine/wasm"

// unknownArity marks an instruction whose results cannot be operands of a
// later instruction in folded form: it ends the block (br, return,
// unreachable...) or its result count is not known.
const unknownArity = -1

// arity returns how many operands an instruction pops and how many values
// it pushes, as far as folding needs them. labelArity gives the value count
// of a branch target. The answer only decides how readable the folded text
// is: (op a b) means a b op whatever op's arity, so a wrong or unknown
// arity never changes the printed program.
func (p *printer) arity(in *wasm.Instr, labelArity func(depth uint32) int) (pops, pushes int) {
	info := wasm.Lookup(in.Op)
	if info == nil {
		return 0, unknownArity
	}
	if info.Simple {
		return len(info.Params), len(info.Results)
	}
	sig := func(ti uint32) (int, int) {
		if c, ok := p.funcType(ti); ok {
			return len(c.Params), len(c.Results)
		}
		return 0, unknownArity
	}
	switch in.Op {
	case wasm.OpNop, wasm.OpDataDrop, wasm.OpElemDrop, wasm.OpAtomicFence:
		return 0, 0
	case wasm.OpUnreachable, wasm.OpRethrow:
		return 0, unknownArity
	case wasm.OpBr:
		return max(labelArity(in.Index), 0), unknownArity
	case wasm.OpBrIf:
		n := labelArity(in.Index)
		if n < 0 {
			return 0, unknownArity
		}
		return n + 1, n
	case wasm.OpBrTable:
		if in.Ext == nil || len(in.Ext.Labels) == 0 {
			return 0, unknownArity
		}
		return max(labelArity(in.Ext.Labels[len(in.Ext.Labels)-1]), 0) + 1, unknownArity
	case wasm.OpReturn:
		_, r := sig(p.funcTypeIndex())
		return max(r, 0), unknownArity
	case wasm.OpCall:
		ti, ok := p.m.FuncTypeIndex(in.Index)
		if !ok {
			return 0, unknownArity
		}
		return sig(ti)
	case wasm.OpReturnCall:
		if ti, ok := p.m.FuncTypeIndex(in.Index); ok {
			n, _ := sig(ti)
			return n, unknownArity
		}
		return 0, unknownArity
	case wasm.OpCallIndirect, wasm.OpCallRef:
		n, r := sig(in.Index)
		if r < 0 {
			return 0, unknownArity
		}
		return n + 1, r
	case wasm.OpReturnCallIndirect, wasm.OpReturnCallRef:
		n, r := sig(in.Index)
		if r < 0 {
			return 0, unknownArity
		}
		return n + 1, unknownArity
	case wasm.OpThrow:
		n := 0
		if ti, ok := p.tagType(in.Index); ok {
			n, _ = sig(ti)
		}
		return n, unknownArity
	case wasm.OpThrowRef:
		return 1, unknownArity
	case wasm.OpDrop:
		return 1, 0
	case wasm.OpSelect, wasm.OpSelectT:
		return 3, 1
	case wasm.OpLocalGet, wasm.OpGlobalGet, wasm.OpRefNull, wasm.OpRefFunc, wasm.OpTableSize,
		wasm.OpStructNewDefault:
		return 0, 1
	case wasm.OpLocalSet, wasm.OpGlobalSet:
		return 1, 0
	case wasm.OpLocalTee, wasm.OpTableGet, wasm.OpRefIsNull, wasm.OpRefAsNonNull,
		wasm.OpStructGet, wasm.OpStructGetS, wasm.OpStructGetU, wasm.OpArrayNewDefault,
		wasm.OpArrayLen, wasm.OpRefTest, wasm.OpRefTestNull, wasm.OpRefCast, wasm.OpRefCastNull,
		wasm.OpAnyConvertExtern, wasm.OpExternConvertAny, wasm.OpRefI31, wasm.OpI31GetS, wasm.OpI31GetU:
		return 1, 1
	case wasm.OpTableSet, wasm.OpStructSet:
		return 2, 0
	case wasm.OpRefEq, wasm.OpTableGrow, wasm.OpArrayNew, wasm.OpArrayNewData, wasm.OpArrayNewElem,
		wasm.OpArrayGet, wasm.OpArrayGetS, wasm.OpArrayGetU:
		return 2, 1
	case wasm.OpArraySet, wasm.OpMemoryInit, wasm.OpMemoryCopy, wasm.OpMemoryFill,
		wasm.OpTableInit, wasm.OpTableCopy, wasm.OpTableFill:
		return 3, 0
	case wasm.OpArrayFill, wasm.OpArrayInitData, wasm.OpArrayInitElem:
		return 4, 0
	case wasm.OpArrayCopy:
		return 5, 0
	case wasm.OpArrayNewFixed:
		return int(min(in.Index2, 1<<20)), 1
	case wasm.OpStructNew:
		if int64(in.Index) < int64(len(p.m.Types)) && p.m.Types[in.Index].Comp.Kind == wasm.CompStruct {
			return len(p.m.Types[in.Index].Comp.Fields), 1
		}
		return 0, unknownArity
	case wasm.OpBrOnNull:
		n := labelArity(in.Index)
		if n < 0 {
			return 0, unknownArity
		}
		return n + 1, n + 1
	case wasm.OpBrOnNonNull:
		n := labelArity(in.Index)
		if n < 1 {
			return 0, unknownArity
		}
		return n, n - 1
	case wasm.OpBrOnCast, wasm.OpBrOnCastFail:
		n := labelArity(in.Index)
		if n < 1 {
			return 0, unknownArity
		}
		return n, n
	}
	return 0, unknownArity
}

// blockArity returns a block type's parameter and result counts.
func (p *printer) blockArity(bt wasm.BlockType) (params, results int) {
	switch bt.Kind {
	case wasm.BlockValue:
		return 0, 1
	case wasm.BlockFunc:
		if c, ok := p.funcType(bt.Index); ok {
			return len(c.Params), len(c.Results)
		}
		return 0, unknownArity
	}
	return 0, 0
}

// funcTypeIndex is the type of the function being printed.
func (p *printer) funcTypeIndex() uint32 {
	ti, ok := p.m.FuncTypeIndex(p.fn)
	if !ok {
		return ^uint32(0)
	}
	return ti
}

// tagType returns the function type index of tag t.
func (p *printer) tagType(t uint32) (uint32, bool) {
	for i := range p.m.Imports {
		if p.m.Imports[i].Kind == wasm.ExternTag {
			if t == 0 {
				return p.m.Imports[i].TypeIndex, true
			}
			t--
		}
	}
	if int64(t) < int64(len(p.m.Tags)) {
		return p.m.Tags[t].Type.TypeIndex, true
	}
	return 0, false
}
