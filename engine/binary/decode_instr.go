package binary

import (
	"github.com/gcscope/gcscope/engine/wasm"
)

// maxSubOpcode bounds prefixed sub-opcodes: wasm.Opcode keeps them in 16
// bits, and no instruction has a larger one.
const maxSubOpcode = 0xFFFF

// codeUse notes which instructions a body used that the module-level checks
// care about.
type codeUse struct {
	dataIndex bool // an instruction names a data segment (needs the data count section)
}

// Open block kinds, for checking where else, catch, catch_all and delegate
// may appear.
const (
	openBlock byte = iota
	openIf
	openElse
	openTry
	openCatch
	openCatchAll
)

// instrs reads instructions up to and including the End that closes the
// sequence (a function body or a constant expression), appending them flat to
// out. It checks the nesting the spec's grammar demands (else only in an if,
// catch and catch_all only in a try, delegate closing a try), so a decoded
// body is well-bracketed; the spec interpreter reports a misplaced one as an
// END opcode that was expected there.
func (r *reader) instrs(out []wasm.Instr, use *codeUse) []wasm.Instr {
	var open []byte
	for r.err == nil {
		// Decode in place: an Instr is large enough that copying it shows.
		out = append(out, wasm.Instr{Offset: uint32(r.pos)})
		in := &out[len(out)-1]
		r.instr(in, use)
		if r.err != nil {
			return out[:len(out)-1]
		}
		top := byte(255)
		if len(open) > 0 {
			top = open[len(open)-1]
		}
		switch in.Op {
		case wasm.OpBlock, wasm.OpLoop, wasm.OpTryTable:
			open = append(open, openBlock)
		case wasm.OpIf:
			open = append(open, openIf)
		case wasm.OpTry:
			open = append(open, openTry)
		case wasm.OpElse:
			if top != openIf {
				r.failAt(int(in.Offset), "END opcode expected: else outside if")
				return out[:len(out)-1]
			}
			open[len(open)-1] = openElse
		case wasm.OpCatch, wasm.OpCatchAll:
			if top != openTry && top != openCatch {
				r.failAt(int(in.Offset), "END opcode expected: %s outside try", in.Op)
				return out[:len(out)-1]
			}
			open[len(open)-1] = openCatch
			if in.Op == wasm.OpCatchAll {
				open[len(open)-1] = openCatchAll
			}
		case wasm.OpDelegate:
			if top != openTry {
				r.failAt(int(in.Offset), "END opcode expected: delegate outside try")
				return out[:len(out)-1]
			}
			open = open[:len(open)-1]
		case wasm.OpEnd:
			if len(open) == 0 {
				return out
			}
			open = open[:len(open)-1]
		}
	}
	return out
}

// expr reads a constant expression.
func (r *reader) expr() wasm.Expr {
	var use codeUse
	return r.exactInstrs(&use)
}

// exactInstrs reads an instruction sequence into a scratch buffer reused
// across sequences, then keeps an exact-length copy in a slab shared by many
// sequences: instructions are most of a decoded module's memory (real
// programs have hundreds of thousands, in global initializers as well as
// bodies), and growing or allocating each sequence on its own would cost
// both space and time. (Decoding straight into the slab was measured: no
// faster on the largest program, and more memory.)
func (r *reader) exactInstrs(use *codeUse) []wasm.Instr {
	r.scratch = r.instrs(r.scratch[:0], use)
	if r.err != nil {
		return nil
	}
	return r.keep(r.scratch)
}

// Slabs start small, so that small modules stay small, and double up to
// maxSlab instructions; a sequence longer than a quarter of that gets an
// allocation of its own.
const (
	minSlab = 64
	maxSlab = 1 << 16
)

// keep copies an instruction sequence into the slab. The result's capacity
// ends with it, so appending to one sequence never overwrites the next.
func (r *reader) keep(seq []wasm.Instr) []wasm.Instr {
	if len(seq) > maxSlab/4 {
		return append([]wasm.Instr(nil), seq...)
	}
	if cap(r.slab)-len(r.slab) < len(seq) {
		r.slab = make([]wasm.Instr, 0, max(min(max(2*cap(r.slab), minSlab), maxSlab), len(seq)))
	}
	start := len(r.slab)
	r.slab = append(r.slab, seq...)
	return r.slab[start:len(r.slab):len(r.slab)]
}

// opcode reads an opcode, prefix and sub-opcode, and returns its table
// entry, or records "illegal opcode".
func (r *reader) opcode() *wasm.OpInfo {
	at := r.pos
	c := r.byte()
	if r.err != nil {
		return nil
	}
	if !wasm.IsPrefix(c) {
		info := wasm.Lookup(wasm.Opcode(c))
		if info == nil {
			r.failAt(at, "illegal opcode %02x", c)
		}
		return info
	}
	sub := r.u32()
	if r.err != nil {
		return nil
	}
	var info *wasm.OpInfo
	if sub <= maxSubOpcode {
		info = wasm.Lookup(wasm.Opcode(uint32(c)<<16 | sub))
	}
	if info == nil {
		r.failAt(at, "illegal opcode %02x %02x", c, sub)
	}
	return info
}

// memArg reads alignment flags (bit 6 says a memory index follows), the
// memory index, and the offset (u64, so memory64 offsets fit; the validator
// bounds it for 32-bit memories).
func (r *reader) memArg(in *wasm.Instr) {
	at := r.pos
	flags := r.u32()
	if r.err != nil {
		return
	}
	if flags >= 0x80 {
		r.failAt(at, "malformed memop flags: 0x%x", flags)
		return
	}
	if flags&0x40 != 0 {
		in.Index = r.u32()
	}
	in.Align = flags & 0x3F
	in.Value = r.u64()
}

func (r *reader) ext(in *wasm.Instr) *wasm.InstrExt {
	if in.Ext == nil {
		in.Ext = &wasm.InstrExt{}
	}
	return in.Ext
}

// instr reads one instruction's opcode and immediates into in.
func (r *reader) instr(in *wasm.Instr, use *codeUse) {
	info := r.opcode()
	if info == nil {
		return
	}
	in.Op = info.Op
	switch info.Imm {
	case wasm.ImmNone:
	case wasm.ImmBlock:
		in.Block = r.blockType()
	case wasm.ImmLabel, wasm.ImmFunc, wasm.ImmType, wasm.ImmLocal, wasm.ImmGlobal,
		wasm.ImmTable, wasm.ImmMemory, wasm.ImmTag, wasm.ImmElem:
		in.Index = r.u32()
	case wasm.ImmData:
		in.Index = r.u32()
		use.dataIndex = true
	case wasm.ImmBrTable:
		n := r.count()
		if r.err != nil {
			return
		}
		labels := make([]uint32, 0, r.capFor(n, 1)+1)
		for i := 0; i < n && r.err == nil; i++ {
			labels = append(labels, r.u32())
		}
		labels = append(labels, r.u32())
		r.ext(in).Labels = labels
	case wasm.ImmCallIndirect, wasm.ImmTypeField, wasm.ImmTypeCount, wasm.ImmTypeElem,
		wasm.ImmTypeType, wasm.ImmMemMem, wasm.ImmElemTable, wasm.ImmTableTable:
		in.Index = r.u32()
		in.Index2 = r.u32()
	case wasm.ImmTypeData, wasm.ImmDataMem:
		in.Index = r.u32()
		in.Index2 = r.u32()
		use.dataIndex = true
	case wasm.ImmMemArg:
		r.memArg(in)
	case wasm.ImmMemArgLane:
		r.memArg(in)
		in.Lane = r.byte()
	case wasm.ImmI32:
		in.Value = uint64(uint32(r.s32()))
	case wasm.ImmI64:
		in.Value = uint64(r.s64())
	case wasm.ImmF32:
		in.Value = uint64(r.fixed32())
	case wasm.ImmF64:
		in.Value = r.fixed64()
	case wasm.ImmV128, wasm.ImmShuffle:
		if s := r.bytes(16); s != nil {
			copy(r.ext(in).Bytes[:], s)
		}
	case wasm.ImmSelectT:
		n := r.count()
		types := make([]wasm.ValType, 0, r.capFor(n, 1))
		for i := 0; i < n && r.err == nil; i++ {
			types = append(types, r.valType())
		}
		r.ext(in).Types = types
	case wasm.ImmHeapType:
		in.Ref = wasm.RefType(true, r.heapType())
	case wasm.ImmRefType:
		nullable := in.Op == wasm.OpRefTestNull || in.Op == wasm.OpRefCastNull
		in.Ref = wasm.RefType(nullable, r.heapType())
	case wasm.ImmBrOnCast:
		at := r.pos
		flags := r.byte()
		if flags > 3 && r.err == nil {
			r.failAt(at, "malformed cast flags: 0x%02x", flags)
			return
		}
		in.Index = r.u32()
		in.Ref2 = wasm.RefType(flags&1 != 0, r.heapType())
		in.Ref = wasm.RefType(flags&2 != 0, r.heapType())
	case wasm.ImmLane:
		in.Lane = r.byte()
	case wasm.ImmTryTable:
		in.Block = r.blockType()
		n := r.count()
		if r.err != nil {
			return
		}
		catches := make([]wasm.Catch, 0, r.capFor(n, 2))
		for i := 0; i < n && r.err == nil; i++ {
			at := r.pos
			var c wasm.Catch
			c.Kind = wasm.CatchKind(r.byte())
			switch c.Kind {
			case wasm.CatchTag, wasm.CatchTagRef:
				c.Tag = r.u32()
			case wasm.CatchAll, wasm.CatchAllRef:
			default:
				r.failAt(at, "malformed catch clause: 0x%02x", byte(c.Kind))
			}
			c.Label = r.u32()
			catches = append(catches, c)
		}
		r.ext(in).Catches = catches
	case wasm.ImmFence:
		r.expectZero()
	default:
		r.failAt(int(in.Offset), "illegal opcode %s: unsupported immediate", info.Name)
	}
}
