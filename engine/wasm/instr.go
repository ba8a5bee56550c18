package wasm

import "fmt"

// Opcode identifies an instruction. One-byte opcodes are their byte; prefixed
// opcodes are prefix<<16 | sub-opcode (0xFB GC, 0xFC misc, 0xFD SIMD, 0xFE
// atomics), so every instruction of Wasm 3.0 fits and the prefix is visible.
type Opcode uint32

// Opcode prefixes.
const (
	PrefixGC     = 0xFB
	PrefixMisc   = 0xFC
	PrefixSIMD   = 0xFD
	PrefixAtomic = 0xFE
)

// Prefix returns the opcode's prefix byte, or 0 for a one-byte opcode.
func (op Opcode) Prefix() byte { return byte(op >> 16) }

// Sub returns the sub-opcode of a prefixed opcode (or the byte itself).
func (op Opcode) Sub() uint32 { return uint32(op) & 0xFFFF }

// Pos is a line:column position in text source, 1-based. The zero Pos means
// the instruction did not come from text.
type Pos struct {
	Line, Col int32
}

// IsValid reports whether p names a place in text.
func (p Pos) IsValid() bool { return p.Line > 0 }

func (p Pos) String() string { return fmt.Sprintf("%d:%d", p.Line, p.Col) }

// BlockKind says how a block's type is given.
type BlockKind uint8

// Block type forms.
const (
	BlockEmpty BlockKind = iota // [] -> []
	BlockValue                  // [] -> [Value]
	BlockFunc                   // the function type at Index
)

// BlockType is the type of a block, loop, if, try or try_table.
type BlockType struct {
	Kind  BlockKind
	Value ValType
	Index uint32
}

// CatchKind is the form of a try_table catch clause.
type CatchKind uint8

// try_table catch clause forms, numbered as in the binary format.
const (
	CatchTag    CatchKind = 0 // catch $tag $label
	CatchTagRef CatchKind = 1 // catch_ref $tag $label
	CatchAll    CatchKind = 2 // catch_all $label
	CatchAllRef CatchKind = 3 // catch_all_ref $label
)

// Catch is one clause of a try_table.
type Catch struct {
	Kind  CatchKind
	Tag   uint32 // CatchTag, CatchTagRef
	Label uint32
}

// InstrExt holds the immediates few instructions have, kept out of Instr so
// that the common instruction stays small.
type InstrExt struct {
	Labels  []uint32  // br_table: the targets, then the default last
	Types   []ValType // select t*
	Catches []Catch   // try_table
	Bytes   [16]byte  // v128.const value (little-endian), i8x16.shuffle lanes
}

// Instr is one instruction with its immediates. Which fields are meaningful
// follows from the opcode's ImmKind (see OpInfo):
//
//	ImmBlock        Block
//	ImmLabel        Index = label depth
//	ImmBrTable      Ext.Labels
//	ImmFunc         Index = function
//	ImmCallIndirect Index = type, Index2 = table
//	ImmType         Index = type
//	ImmLocal/Global/Table/Memory/Tag/Data/Elem   Index
//	ImmMemArg       Index = memory, Value = offset, Align = alignment exponent
//	ImmMemArgLane   as ImmMemArg, and Lane
//	ImmI32/I64      Value = the bits (sign-extended i32 kept as uint32 in the low half)
//	ImmF32/F64      Value = the IEEE bits (NaN payloads preserved)
//	ImmV128         Ext.Bytes
//	ImmSelectT      Ext.Types
//	ImmHeapType     Ref.Heap (ref.null)
//	ImmRefType      Ref (ref.test, ref.cast; nullability also in the opcode)
//	ImmTypeField    Index = type, Index2 = field
//	ImmTypeCount    Index = type, Index2 = count (array.new_fixed)
//	ImmTypeData     Index = type, Index2 = data segment
//	ImmTypeElem     Index = type, Index2 = element segment
//	ImmTypeType     Index = destination type, Index2 = source type (array.copy)
//	ImmBrOnCast     Index = label, Ref2 = source type, Ref = target type
//	ImmDataMem      Index = data segment, Index2 = memory (memory.init)
//	ImmMemMem       Index = destination memory, Index2 = source memory
//	ImmElemTable    Index = element segment, Index2 = table (table.init)
//	ImmTableTable   Index = destination table, Index2 = source table
//	ImmLane         Lane
//	ImmShuffle      Ext.Bytes
//	ImmTryTable     Block, Ext.Catches
//	ImmFence        nothing (the reserved byte is 0)
type Instr struct {
	Op     Opcode
	Index  uint32
	Index2 uint32
	Align  uint32
	Lane   uint8
	Value  uint64
	Block  BlockType
	Ref    ValType
	Ref2   ValType
	Ext    *InstrExt
	// Offset is the byte offset of the opcode in the module's binary: set by
	// the decoder, and by the encoder for a module that came from text.
	Offset uint32
	// Pos is the instruction's position in the text source, if any.
	Pos Pos
}

// Expr is a constant expression or other instruction sequence; like a
// function body it ends with an End instruction.
type Expr []Instr

// I32 returns an i32.const's value.
func (in *Instr) I32() int32 { return int32(uint32(in.Value)) }

// I64 returns an i64.const's value.
func (in *Instr) I64() int64 { return int64(in.Value) }

// Info returns the opcode table entry for the instruction's opcode.
func (in *Instr) Info() *OpInfo { return Lookup(in.Op) }
