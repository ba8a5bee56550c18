package wasm

//go:generate go run ./internal/genops

import (
	_ "embed"
	"fmt"

	"github.com/gcscope/gcscope/engine/wasm/internal/opdef"
)

//go:embed opcodes.def
var opcodesDef string

// ImmKind says which immediates an instruction carries, and so how the
// decoder, encoder, parser and printer treat it (see Instr for the fields).
type ImmKind uint8

// Immediate kinds.
const (
	ImmNone ImmKind = iota
	ImmBlock
	ImmLabel
	ImmBrTable
	ImmFunc
	ImmCallIndirect
	ImmType
	ImmLocal
	ImmGlobal
	ImmTable
	ImmMemory
	ImmTag
	ImmData
	ImmElem
	ImmMemArg
	ImmMemArgLane
	ImmI32
	ImmI64
	ImmF32
	ImmF64
	ImmV128
	ImmSelectT
	ImmHeapType
	ImmRefType
	ImmTypeField
	ImmTypeCount
	ImmTypeData
	ImmTypeElem
	ImmTypeType
	ImmBrOnCast
	ImmDataMem
	ImmMemMem
	ImmElemTable
	ImmTableTable
	ImmLane
	ImmShuffle
	ImmTryTable
	ImmFence
)

var immKeywords = map[string]ImmKind{
	"none": ImmNone, "block": ImmBlock, "label": ImmLabel, "brtable": ImmBrTable,
	"func": ImmFunc, "callindirect": ImmCallIndirect, "type": ImmType, "local": ImmLocal,
	"global": ImmGlobal, "table": ImmTable, "memory": ImmMemory, "tag": ImmTag,
	"data": ImmData, "elem": ImmElem, "memarg": ImmMemArg, "memarglane": ImmMemArgLane,
	"i32": ImmI32, "i64": ImmI64, "f32": ImmF32, "f64": ImmF64, "v128": ImmV128,
	"selectt": ImmSelectT, "heaptype": ImmHeapType, "reftype": ImmRefType,
	"typefield": ImmTypeField, "typecount": ImmTypeCount, "typedata": ImmTypeData,
	"typeelem": ImmTypeElem, "typetype": ImmTypeType, "broncast": ImmBrOnCast,
	"datamem": ImmDataMem, "memmem": ImmMemMem, "elemtable": ImmElemTable,
	"tabletable": ImmTableTable, "lane": ImmLane, "shuffle": ImmShuffle,
	"trytable": ImmTryTable, "fence": ImmFence,
}

// OpInfo describes one opcode.
type OpInfo struct {
	Op   Opcode
	Name string // the text format's mnemonic
	Imm  ImmKind
	// Align is the natural alignment exponent of a memory access (log2 of
	// its size in bytes); Lanes is the lane count of a lane immediate.
	Align, Lanes uint8
	// Simple instructions are typed by Params and Results alone; an
	// address operand (AddrParam >= 0) takes the memory's address type.
	Simple          bool
	Params, Results []ValType
	AddrParam       int8
	// AddrResult says the single result is an address (memory.size/grow).
	AddrResult bool
	// Atomic accesses must be naturally aligned, not merely at most so.
	Atomic bool
}

var (
	opsByte   [256]*OpInfo
	opsPrefix [4][]*OpInfo // 0xFB..0xFE, indexed by sub-opcode
	opsByName = map[string][]*OpInfo{}
	allOps    []*OpInfo
)

func init() {
	entries, err := opdef.Parse(opcodesDef)
	if err != nil {
		panic(err) // the embedded table is part of the program; tests catch this
	}
	for _, e := range entries {
		imm, ok := immKeywords[e.Imm]
		if !ok {
			panic(fmt.Sprintf("opcodes.def:%d: unknown immediate %q", e.Line, e.Imm))
		}
		info := &OpInfo{
			Op: Opcode(uint32(e.Prefix)<<16 | e.Sub), Name: e.Mnemonic, Imm: imm,
			Align: uint8(e.Align), Lanes: uint8(e.Lanes), Simple: e.HasSig, AddrParam: -1,
			Atomic: e.Prefix == PrefixAtomic,
		}
		for i, c := range e.Params {
			if c == 'a' {
				info.AddrParam = int8(i)
			}
			info.Params = append(info.Params, sigType(c))
		}
		for _, c := range e.Results {
			if c == 'a' {
				info.AddrResult = true
			}
			info.Results = append(info.Results, sigType(c))
		}
		allOps = append(allOps, info)
		opsByName[info.Name] = append(opsByName[info.Name], info)
		if e.Prefix == 0 {
			opsByte[e.Sub] = info
			continue
		}
		p := &opsPrefix[e.Prefix-PrefixGC]
		for uint32(len(*p)) <= e.Sub {
			*p = append(*p, nil)
		}
		(*p)[e.Sub] = info
	}
}

func sigType(c rune) ValType {
	switch c {
	case 'i', 'a':
		return I32
	case 'I':
		return I64
	case 'f':
		return F32
	case 'F':
		return F64
	case 'v':
		return V128
	}
	panic(fmt.Sprintf("opcodes.def: unknown signature letter %q", c))
}

// Lookup returns the table entry for op, or nil if op is not an instruction.
func Lookup(op Opcode) *OpInfo {
	if p := op.Prefix(); p != 0 {
		if p < PrefixGC || p > PrefixAtomic {
			return nil
		}
		tab := opsPrefix[p-PrefixGC]
		if s := op.Sub(); s < uint32(len(tab)) {
			return tab[s]
		}
		return nil
	}
	return opsByte[op&0xFF]
}

// LookupName returns the opcodes with a mnemonic; ref.test and ref.cast have
// two each (the nullable forms), everything else one.
func LookupName(name string) []*OpInfo { return opsByName[name] }

// AllOps returns every opcode in table order.
func AllOps() []*OpInfo { return allOps }

// IsPrefix reports whether b starts a prefixed opcode.
func IsPrefix(b byte) bool { return b >= PrefixGC && b <= PrefixAtomic }

func (op Opcode) String() string {
	if info := Lookup(op); info != nil {
		return info.Name
	}
	if p := op.Prefix(); p != 0 {
		return fmt.Sprintf("opcode(0x%02x 0x%x)", p, op.Sub())
	}
	return fmt.Sprintf("opcode(0x%02x)", uint32(op))
}
