package printer

import (
	"strconv"

	"github.com/gcscope/gcscope/engine/wasm"
)

// label is an enclosing block while a body is printed: its identifier, if
// the name section gives one, and its nesting depth, shown as @depth in
// comments where it has no identifier (as wasm2wat does).
type label struct {
	name  string
	depth int
}

// appendInstr writes one instruction, its mnemonic and immediates, without
// any operands. Inside a body (p.labels in use) label depths are resolved to
// identifiers or annotated with the target's @depth; a block-like
// instruction takes its own label from p.blockLabel.
func (p *printer) appendInstr(b []byte, in *wasm.Instr) []byte {
	info := wasm.Lookup(in.Op)
	if info == nil {
		b = append(b, "(;unknown opcode "...)
		b = append(b, in.Op.String()...)
		return append(b, ";)"...)
	}
	b = append(b, info.Name...)
	switch info.Imm {
	case wasm.ImmNone, wasm.ImmFence:
	case wasm.ImmBlock:
		b = p.appendBlockStart(b, in)
	case wasm.ImmTryTable:
		b = p.appendBlockStart(b, in)
		if in.Ext != nil {
			for _, c := range in.Ext.Catches {
				b = p.appendCatch(b, c)
			}
		}
	case wasm.ImmLabel:
		b = append(b, ' ')
		b = p.appendLabelRef(b, in.Index)
	case wasm.ImmBrTable:
		if in.Ext != nil {
			for _, l := range in.Ext.Labels {
				b = append(b, ' ')
				b = p.appendLabelRef(b, l)
			}
		}
	case wasm.ImmFunc:
		b = append(b, ' ')
		b = appendRef(b, p.names.funcs, in.Index)
	case wasm.ImmCallIndirect:
		if in.Index2 != 0 {
			b = append(b, ' ')
			b = appendRef(b, p.names.tables, in.Index2)
		}
		b = append(b, " (type "...)
		b = appendRef(b, p.names.types, in.Index)
		b = append(b, ')')
	case wasm.ImmType:
		b = append(b, ' ')
		b = appendRef(b, p.names.types, in.Index)
	case wasm.ImmLocal:
		b = append(b, ' ')
		b = appendRef(b, p.locals, in.Index)
	case wasm.ImmGlobal:
		b = append(b, ' ')
		b = appendRef(b, p.names.globals, in.Index)
	case wasm.ImmTable:
		b = append(b, ' ')
		b = appendRef(b, p.names.tables, in.Index)
	case wasm.ImmMemory:
		b = p.appendMemIndex(b, in.Index)
	case wasm.ImmTag:
		b = append(b, ' ')
		b = appendRef(b, p.names.tags, in.Index)
	case wasm.ImmData:
		b = append(b, ' ')
		b = appendRef(b, p.names.datas, in.Index)
	case wasm.ImmElem:
		b = append(b, ' ')
		b = appendRef(b, p.names.elems, in.Index)
	case wasm.ImmMemArg:
		b = p.appendMemArg(b, in, info)
	case wasm.ImmMemArgLane:
		b = p.appendMemArg(b, in, info)
		b = append(b, ' ')
		b = strconv.AppendUint(b, uint64(in.Lane), 10)
	case wasm.ImmI32:
		b = append(b, ' ')
		b = strconv.AppendInt(b, int64(in.I32()), 10)
	case wasm.ImmI64:
		b = append(b, ' ')
		b = strconv.AppendInt(b, in.I64(), 10)
	case wasm.ImmF32:
		b = append(b, ' ')
		b = appendF32(b, uint32(in.Value))
	case wasm.ImmF64:
		b = append(b, ' ')
		b = appendF64(b, in.Value)
	case wasm.ImmV128:
		b = append(b, ' ')
		if in.Ext != nil {
			b = appendV128(b, &in.Ext.Bytes)
		} else {
			b = appendV128(b, &[16]byte{})
		}
	case wasm.ImmShuffle:
		var lanes [16]byte
		if in.Ext != nil {
			lanes = in.Ext.Bytes
		}
		for _, l := range lanes {
			b = append(b, ' ')
			b = strconv.AppendUint(b, uint64(l), 10)
		}
	case wasm.ImmLane:
		b = append(b, ' ')
		b = strconv.AppendUint(b, uint64(in.Lane), 10)
	case wasm.ImmSelectT:
		b = append(b, " (result"...)
		if in.Ext != nil {
			for _, t := range in.Ext.Types {
				b = append(b, ' ')
				b = p.appendValType(b, t)
			}
		}
		b = append(b, ')')
	case wasm.ImmHeapType:
		b = append(b, ' ')
		b = p.appendHeapType(b, in.Ref.Heap)
	case wasm.ImmRefType:
		// The opcode, not the operand, says whether the type is nullable.
		nullable := in.Op == wasm.OpRefTestNull || in.Op == wasm.OpRefCastNull
		b = append(b, ' ')
		b = p.appendRefType(b, nullable, in.Ref.Heap)
	case wasm.ImmTypeField:
		b = append(b, ' ')
		b = appendRef(b, p.names.types, in.Index)
		b = append(b, ' ')
		b = appendRef(b, p.names.fields[in.Index], in.Index2)
	case wasm.ImmTypeCount:
		b = append(b, ' ')
		b = appendRef(b, p.names.types, in.Index)
		b = append(b, ' ')
		b = strconv.AppendUint(b, uint64(in.Index2), 10)
	case wasm.ImmTypeData:
		b = append(b, ' ')
		b = appendRef(b, p.names.types, in.Index)
		b = append(b, ' ')
		b = appendRef(b, p.names.datas, in.Index2)
	case wasm.ImmTypeElem:
		b = append(b, ' ')
		b = appendRef(b, p.names.types, in.Index)
		b = append(b, ' ')
		b = appendRef(b, p.names.elems, in.Index2)
	case wasm.ImmTypeType:
		b = append(b, ' ')
		b = appendRef(b, p.names.types, in.Index)
		b = append(b, ' ')
		b = appendRef(b, p.names.types, in.Index2)
	case wasm.ImmBrOnCast:
		b = append(b, ' ')
		b = p.appendLabelRef(b, in.Index)
		b = append(b, ' ')
		b = p.appendValType(b, wasm.RefType(in.Ref2.Nullable, in.Ref2.Heap))
		b = append(b, ' ')
		b = p.appendValType(b, wasm.RefType(in.Ref.Nullable, in.Ref.Heap))
	case wasm.ImmDataMem:
		b = p.appendMemIndex(b, in.Index2)
		b = append(b, ' ')
		b = appendRef(b, p.names.datas, in.Index)
	case wasm.ImmMemMem:
		if in.Index != 0 || in.Index2 != 0 {
			b = append(b, ' ')
			b = appendRef(b, p.names.mems, in.Index)
			b = append(b, ' ')
			b = appendRef(b, p.names.mems, in.Index2)
		}
	case wasm.ImmElemTable:
		b = append(b, ' ')
		b = appendRef(b, p.names.tables, in.Index2)
		b = append(b, ' ')
		b = appendRef(b, p.names.elems, in.Index)
	case wasm.ImmTableTable:
		b = append(b, ' ')
		b = appendRef(b, p.names.tables, in.Index)
		b = append(b, ' ')
		b = appendRef(b, p.names.tables, in.Index2)
	default:
		b = append(b, " (;unknown immediate kind;)"...)
	}
	return b
}

// appendMemIndex writes a memory index operand, which the text format lets
// us leave out when it is 0.
func (p *printer) appendMemIndex(b []byte, mem uint32) []byte {
	if mem == 0 {
		return b
	}
	b = append(b, ' ')
	return appendRef(b, p.names.mems, mem)
}

// appendMemArg writes "offset=N align=A", each only when it differs from
// the default (0, and the access's natural alignment).
func (p *printer) appendMemArg(b []byte, in *wasm.Instr, info *wasm.OpInfo) []byte {
	b = p.appendMemIndex(b, in.Index)
	if in.Value != 0 {
		b = append(b, " offset="...)
		b = strconv.AppendUint(b, in.Value, 10)
	}
	if in.Align != uint32(info.Align) {
		if in.Align < 64 {
			b = append(b, " align="...)
			b = strconv.AppendUint(b, 1<<in.Align, 10)
		} else {
			// Not a number the text format can express; say what it was.
			b = append(b, " (;align=2**"...)
			b = strconv.AppendUint(b, uint64(in.Align), 10)
			b = append(b, ";)"...)
		}
	}
	return b
}

// appendBlockStart writes a block's label and type. The label comes from
// p.blockLabel, which the body printer sets before the block is pushed.
func (p *printer) appendBlockStart(b []byte, in *wasm.Instr) []byte {
	if p.blockLabel != "" {
		b = append(b, ' ')
		b = append(b, p.blockLabel...)
	}
	switch in.Block.Kind {
	case wasm.BlockValue:
		b = append(b, " (result "...)
		b = p.appendValType(b, in.Block.Value)
		b = append(b, ')')
	case wasm.BlockFunc:
		b = append(b, " (type "...)
		b = appendRef(b, p.names.types, in.Block.Index)
		b = append(b, ')')
	}
	return b
}

func (p *printer) appendCatch(b []byte, c wasm.Catch) []byte {
	switch c.Kind {
	case wasm.CatchTag:
		b = append(b, " (catch "...)
	case wasm.CatchTagRef:
		b = append(b, " (catch_ref "...)
	case wasm.CatchAll:
		b = append(b, " (catch_all "...)
	case wasm.CatchAllRef:
		b = append(b, " (catch_all_ref "...)
	default:
		return append(b, " (;unknown catch kind;)"...)
	}
	if c.Kind == wasm.CatchTag || c.Kind == wasm.CatchTagRef {
		b = appendRef(b, p.names.tags, c.Tag)
		b = append(b, ' ')
	}
	b = p.appendLabelRef(b, c.Label)
	return append(b, ')')
}

// appendLabelRef writes a branch target. Outside a body it is the plain
// depth. Inside, it is the target's identifier when it has one that no
// inner label shadows, and otherwise the depth with the target's @depth in
// a comment.
func (p *printer) appendLabelRef(b []byte, depth uint32) []byte {
	n := uint32(len(p.labels))
	if !p.inBody || depth > n {
		return strconv.AppendUint(b, uint64(depth), 10)
	}
	target := 0 // the function's own label
	if depth < n {
		l := p.labels[n-1-depth]
		if l.name != "" && !p.shadowed(l.name, depth) {
			return append(b, l.name...)
		}
		target = l.depth
	}
	b = strconv.AppendUint(b, uint64(depth), 10)
	b = append(b, " (;@"...)
	b = strconv.AppendInt(b, int64(target), 10)
	return append(b, ";)"...)
}

// shadowed reports whether a label nearer than depth has the same name.
func (p *printer) shadowed(name string, depth uint32) bool {
	n := uint32(len(p.labels))
	for d := uint32(0); d < depth; d++ {
		if p.labels[n-1-d].name == name {
			return true
		}
	}
	return false
}

// InstrString writes one instruction of function f (in the function index
// space) with its immediates, names resolved from m's name section. Branch
// targets are plain depths, since a lone instruction has no enclosing
// blocks. For many calls on one module, use a Disassembler.
func InstrString(m *wasm.Module, f uint32, in *wasm.Instr) string {
	return NewDisassembler(m).InstrString(f, in)
}

// Disassembler writes single instructions of one module, with the module's
// names prepared once.
type Disassembler struct {
	p          *printer
	haveLocals bool // p.locals holds the names of function p.fn
}

// NewDisassembler prepares m's names for InstrString calls.
func NewDisassembler(m *wasm.Module) *Disassembler {
	return &Disassembler{p: newPrinter(m, false)}
}

// InstrString is the package's InstrString with the names prepared. It is
// not safe for concurrent use.
func (d *Disassembler) InstrString(f uint32, in *wasm.Instr) string {
	if in == nil {
		return ""
	}
	p := d.p
	if !d.haveLocals || p.fn != f {
		p.fn = f
		p.locals = p.names.localNames(f)
		d.haveLocals = true
	}
	p.buf = p.appendInstr(p.buf[:0], in)
	return string(p.buf)
}
