package wasm

import (
	"fmt"
	"strings"
)

// Kind is the shape of a value type: a number, a vector or a reference.
type Kind uint8

// Value type kinds. KindBot is the validator's "unknown" operand type that
// appears on the polymorphic stack after unreachable code; it never occurs in
// a decoded module.
const (
	KindI32 Kind = iota + 1
	KindI64
	KindF32
	KindF64
	KindV128
	KindRef
	KindBot
)

// HeapType names the heap a reference points into. Values >= 0 are type
// indices into the module's type section; negative values are the abstract
// heap types, numbered as the binary format's s33 encoding numbers them, so
// the decoder can store what it reads without translation.
type HeapType int64

// The abstract heap types (their one-byte binary codes as s33 values).
const (
	HeapNoExn    HeapType = -0x0C // 0x74
	HeapNoFunc   HeapType = -0x0D // 0x73
	HeapNoExtern HeapType = -0x0E // 0x72
	HeapNone     HeapType = -0x0F // 0x71
	HeapFunc     HeapType = -0x10 // 0x70
	HeapExtern   HeapType = -0x11 // 0x6F
	HeapAny      HeapType = -0x12 // 0x6E
	HeapEq       HeapType = -0x13 // 0x6D
	HeapI31      HeapType = -0x14 // 0x6C
	HeapStruct   HeapType = -0x15 // 0x6B
	HeapArray    HeapType = -0x16 // 0x6A
	HeapExn      HeapType = -0x17 // 0x69
	// HeapBot is the validator's bottom heap type (below every other); it is
	// never encoded.
	HeapBot HeapType = -0x7F
)

// IsAbstract reports whether h is an abstract heap type rather than a type
// index.
func (h HeapType) IsAbstract() bool { return h < 0 }

// Index returns the type index of a concrete heap type.
func (h HeapType) Index() uint32 { return uint32(h) }

var abstractHeapNames = map[HeapType]string{
	HeapNoExn: "noexn", HeapNoFunc: "nofunc", HeapNoExtern: "noextern", HeapNone: "none",
	HeapFunc: "func", HeapExtern: "extern", HeapAny: "any", HeapEq: "eq", HeapI31: "i31",
	HeapStruct: "struct", HeapArray: "array", HeapExn: "exn", HeapBot: "bot",
}

// AbstractHeapByName maps the text format's keywords to abstract heap types.
var AbstractHeapByName = map[string]HeapType{
	"noexn": HeapNoExn, "nofunc": HeapNoFunc, "noextern": HeapNoExtern, "none": HeapNone,
	"func": HeapFunc, "extern": HeapExtern, "any": HeapAny, "eq": HeapEq, "i31": HeapI31,
	"struct": HeapStruct, "array": HeapArray, "exn": HeapExn,
}

// The nullable bottom types have shorthands of their own.
var bottomShorthands = map[HeapType]string{
	HeapNone: "nullref", HeapNoFunc: "nullfuncref", HeapNoExtern: "nullexternref", HeapNoExn: "nullexnref",
}

func (h HeapType) String() string {
	if h >= 0 {
		return fmt.Sprintf("%d", int64(h))
	}
	if s, ok := abstractHeapNames[h]; ok {
		return s
	}
	return fmt.Sprintf("heaptype(%d)", int64(h))
}

// ValType is a value type. Numbers and vectors use only Kind; references also
// carry nullability and a heap type. ValType is comparable with ==, which
// compares type indices syntactically (module-local); use the validator's
// type equivalence for iso-recursive equality.
type ValType struct {
	Kind     Kind
	Nullable bool
	Heap     HeapType
}

// The number and vector types, and the common reference shorthands.
var (
	I32       = ValType{Kind: KindI32}
	I64       = ValType{Kind: KindI64}
	F32       = ValType{Kind: KindF32}
	F64       = ValType{Kind: KindF64}
	V128      = ValType{Kind: KindV128}
	FuncRef   = ValType{Kind: KindRef, Nullable: true, Heap: HeapFunc}
	ExternRef = ValType{Kind: KindRef, Nullable: true, Heap: HeapExtern}
	AnyRef    = ValType{Kind: KindRef, Nullable: true, Heap: HeapAny}
	EqRef     = ValType{Kind: KindRef, Nullable: true, Heap: HeapEq}
	I31Ref    = ValType{Kind: KindRef, Nullable: true, Heap: HeapI31}
	StructRef = ValType{Kind: KindRef, Nullable: true, Heap: HeapStruct}
	ArrayRef  = ValType{Kind: KindRef, Nullable: true, Heap: HeapArray}
	ExnRef    = ValType{Kind: KindRef, Nullable: true, Heap: HeapExn}
	NullRef   = ValType{Kind: KindRef, Nullable: true, Heap: HeapNone}
)

// RefType builds a reference type.
func RefType(nullable bool, heap HeapType) ValType {
	return ValType{Kind: KindRef, Nullable: nullable, Heap: heap}
}

// IsRef reports whether t is a reference type.
func (t ValType) IsRef() bool { return t.Kind == KindRef }

// IsNum reports whether t is i32, i64, f32 or f64.
func (t ValType) IsNum() bool { return t.Kind >= KindI32 && t.Kind <= KindF64 }

// Defaultable reports whether locals of type t start with a default value
// (numbers, vectors and nullable references do; non-null references do not).
func (t ValType) Defaultable() bool { return t.Kind != KindRef || t.Nullable }

// String writes the type as the text format does, with shorthands where one
// exists ("funcref", "(ref null 3)", "(ref $t)" needs names, so indices here).
func (t ValType) String() string {
	switch t.Kind {
	case KindI32:
		return "i32"
	case KindI64:
		return "i64"
	case KindF32:
		return "f32"
	case KindF64:
		return "f64"
	case KindV128:
		return "v128"
	case KindBot:
		return "bot"
	case KindRef:
		if t.Nullable && t.Heap < 0 && t.Heap != HeapBot {
			if short, ok := bottomShorthands[t.Heap]; ok {
				return short
			}
			return t.Heap.String() + "ref"
		}
		if t.Nullable {
			return "(ref null " + t.Heap.String() + ")"
		}
		return "(ref " + t.Heap.String() + ")"
	}
	return fmt.Sprintf("valtype(%d)", t.Kind)
}

// Packed is the packed storage of a struct field or array element.
type Packed uint8

// Storage kinds: a plain value type, or a packed 8- or 16-bit integer.
const (
	NotPacked Packed = iota
	PackedI8
	PackedI16
)

// StorageType is a field's storage: a value type or a packed integer.
type StorageType struct {
	Packed Packed
	// Val is the value type when Packed is NotPacked; for packed storage it
	// is I32, the type the field reads and writes as.
	Val ValType
}

// Unpacked is the value type a field of this storage reads as.
func (s StorageType) Unpacked() ValType {
	if s.Packed != NotPacked {
		return I32
	}
	return s.Val
}

// Size is the field's size in bytes as stored in a heap object.
func (s StorageType) Size() int {
	switch s.Packed {
	case PackedI8:
		return 1
	case PackedI16:
		return 2
	}
	switch s.Val.Kind {
	case KindI32, KindF32:
		return 4
	case KindV128:
		return 16
	case KindRef:
		return 4 // compressed references (DESIGN.md section 2)
	}
	return 8
}

func (s StorageType) String() string {
	switch s.Packed {
	case PackedI8:
		return "i8"
	case PackedI16:
		return "i16"
	}
	return s.Val.String()
}

// FieldType is a struct field or array element type.
type FieldType struct {
	Storage StorageType
	Mutable bool
}

// CompKind says which composite type a SubType defines.
type CompKind uint8

// Composite type kinds.
const (
	CompFunc CompKind = iota + 1
	CompStruct
	CompArray
)

// CompositeType is a function, struct or array type.
type CompositeType struct {
	Kind    CompKind
	Params  []ValType   // CompFunc
	Results []ValType   // CompFunc
	Fields  []FieldType // CompStruct: the fields; CompArray: exactly one, the element
}

// Elem returns an array type's element type.
func (c *CompositeType) Elem() FieldType { return c.Fields[0] }

// SubType is one entry of the type section: a composite type with its
// declared supertypes and finality. A type written without `sub` is final
// with no supertypes.
type SubType struct {
	Final  bool
	Supers []uint32
	Comp   CompositeType
	Pos    Pos // where the type was defined in text, if it came from text
}

// RecGroup is a recursion group: Count consecutive entries of Module.Types
// starting at First. A type written outside `rec` is a group of one.
type RecGroup struct {
	First, Count uint32
}

// Limits are the size bounds of a memory or table, in pages or elements.
type Limits struct {
	Min    uint64
	Max    uint64
	HasMax bool
}

// MemoryType describes a linear memory.
type MemoryType struct {
	Limits Limits
	Shared bool
	Addr64 bool // memory64: addressed with i64
}

// AddrType is the memory's address type, i32 or i64.
func (m MemoryType) AddrType() ValType {
	if m.Addr64 {
		return I64
	}
	return I32
}

// TableType describes a table.
type TableType struct {
	Elem   ValType // a reference type
	Limits Limits
	Addr64 bool // table64: indexed with i64
}

// AddrType is the table's index type, i32 or i64.
func (t TableType) AddrType() ValType {
	if t.Addr64 {
		return I64
	}
	return I32
}

// GlobalType describes a global.
type GlobalType struct {
	Val     ValType
	Mutable bool
}

// TagType describes an exception tag: its function type gives the payload
// (params; results must be empty).
type TagType struct {
	TypeIndex uint32
}

// TypeString renders a list of value types as "[i32 f64]".
func TypeString(ts []ValType) string {
	parts := make([]string, len(ts))
	for i, t := range ts {
		parts[i] = t.String()
	}
	return "[" + strings.Join(parts, " ") + "]"
}
