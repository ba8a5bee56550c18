package gc

import "github.com/gcscope/gcscope/engine/wasm"

// Kind is what a heap block holds; it is stored in the low three bits of the
// header's GC byte.
type Kind uint8

// Block kinds. KindFree marks free memory in the heap; accessors also
// report it for anything that is not an object.
const (
	KindFree   Kind = iota // free block; word 0 of its header is its size
	KindStruct             // a GC struct; word 0 is its canonical type id
	KindArray              // a GC array; word 0 is its canonical type id
	KindFunc               // a funcref: a function instance id
	KindExtern             // an externref wrapper: a host handle index
	KindExn                // an exception: tag instance id and payload
)

// String names the kind as the debugger prints it.
func (k Kind) String() string {
	switch k {
	case KindFree:
		return "free"
	case KindStruct:
		return "struct"
	case KindArray:
		return "array"
	case KindFunc:
		return "func"
	case KindExtern:
		return "extern"
	case KindExn:
		return "exn"
	}
	return "kind?"
}

// The object header, 8 bytes at the object's offset: a little-endian uint32
// (the canonical type id, or a free block's size), then the GC word whose
// low three bits hold the kind. The other GC bits are reserved (zero) for
// later collectors; mark bits live in a side bitmap, not in the header.
const (
	HeaderSize   = 8
	TypeIDOffset = 0
	GCBitsOffset = 4
	KindMask     = 0x07

	// ArrayLenOffset is where an array's uint32 length sits; elements
	// follow at the layout's ElemOffset.
	ArrayLenOffset = 8
	// PayloadOffset is where the uint32 of a funcref (function instance
	// id), an extern wrapper (host index) and an exception (tag instance
	// id) sits.
	PayloadOffset = 8
	// SmallObjectSize is the size of funcref and extern objects.
	SmallObjectSize = 16
	// ExnFieldsOffset is where an exception's payload values start.
	ExnFieldsOffset = 12

	// NoType is the type id of objects that have none (funcrefs allocated
	// without one) and what TypeOf returns for non-objects.
	NoType = ^uint32(0)
)

// Field is where one struct field, array element or exception payload value
// lives in an object.
type Field struct {
	Offset uint32      // from the object start
	Size   uint32      // 1, 2, 4, 8 or 16
	Packed wasm.Packed // i8/i16 storage
	Val    wasm.Kind   // the unpacked value kind (KindRef for references)
}

// Ref reports whether the field holds a reference (a 4-byte Ref).
func (f Field) Ref() bool { return f.Val == wasm.KindRef }

// Layout is the shape of the objects of one type, computed once per type by
// NewLayout and registered with Heap.DefineType under its canonical id.
type Layout struct {
	Kind Kind // KindStruct, KindArray or KindExn
	// Size is the object size of a struct or exception, a multiple of 8.
	// For arrays it is unused; see ArraySize.
	Size uint32
	// Fields are the struct fields or exception payload values in order;
	// for arrays, the one element type with Offset = ElemOffset.
	Fields []Field
	// RefOffsets lists the offsets of reference fields (structs and
	// exceptions): what the collector scans.
	RefOffsets []uint32
	// ElemOffset is where an array's elements start: 12 for elements of
	// up to 4 bytes, 16 for 8- and 16-byte ones.
	ElemOffset uint32
	// ElemSize is the size of one array element.
	ElemSize uint32
	// ElemRef reports whether array elements are references.
	ElemRef bool
}

// NewLayout lays out objects of a composite type. Struct fields go in
// declaration order from offset 8, each at its natural alignment (at most
// 8; v128 is 8-aligned since objects are), so a subtype's layout extends its
// supertype's unchanged and a field has one offset in every subtype. Packed
// fields take 1 or 2 bytes, references 4. A function type yields the layout
// of exceptions whose tag has that type: the tag id at offset 8 and the
// parameters from offset 12. It returns nil for a nil or unknown type.
func NewLayout(c *wasm.CompositeType) *Layout {
	if c == nil {
		return nil
	}
	switch c.Kind {
	case wasm.CompStruct:
		l := &Layout{Kind: KindStruct}
		l.Size = l.place(HeaderSize, c.Fields)
		return l
	case wasm.CompArray:
		if len(c.Fields) != 1 {
			return nil
		}
		f := fieldOf(c.Fields[0].Storage)
		l := &Layout{Kind: KindArray, ElemSize: f.Size, ElemRef: f.Ref(), ElemOffset: 12}
		if f.Size > 4 {
			l.ElemOffset = 16
		}
		f.Offset = l.ElemOffset
		l.Fields = []Field{f}
		return l
	case wasm.CompFunc:
		fs := make([]wasm.FieldType, len(c.Params))
		for i, p := range c.Params {
			fs[i] = wasm.FieldType{Storage: wasm.StorageType{Val: p}}
		}
		l := &Layout{Kind: KindExn}
		l.Size = l.place(ExnFieldsOffset, fs)
		return l
	}
	return nil
}

// place assigns offsets to fields starting at off and returns the object
// size rounded up to 8.
func (l *Layout) place(off uint32, fields []wasm.FieldType) uint32 {
	l.Fields = make([]Field, len(fields))
	for i, ft := range fields {
		f := fieldOf(ft.Storage)
		align := min(f.Size, 8)
		off = (off + align - 1) &^ (align - 1)
		f.Offset = off
		off += f.Size
		l.Fields[i] = f
		if f.Ref() {
			l.RefOffsets = append(l.RefOffsets, f.Offset)
		}
	}
	return (off + 7) &^ 7
}

func fieldOf(s wasm.StorageType) Field {
	return Field{Size: uint32(s.Size()), Packed: s.Packed, Val: s.Unpacked().Kind}
}

// ArraySize is the size in bytes of an array of n elements of this layout
// (header, length, padding, elements, rounded up to 8), computed without
// overflow.
func (l *Layout) ArraySize(n uint32) uint64 {
	return (uint64(l.ElemOffset) + uint64(n)*uint64(l.ElemSize) + 7) &^ 7
}

// sameShape reports whether two layouts place the same bytes the same way:
// canonical ids may be registered by several modules, each building its own
// Layout.
func sameShape(a, b *Layout) bool {
	if a.Kind != b.Kind || a.Size != b.Size || a.ElemOffset != b.ElemOffset ||
		a.ElemSize != b.ElemSize || a.ElemRef != b.ElemRef || len(a.Fields) != len(b.Fields) {
		return false
	}
	for i := range a.Fields {
		if a.Fields[i] != b.Fields[i] {
			return false
		}
	}
	return true
}

// Unpack widens the raw bits of a packed field to i32, sign- or
// zero-extending as struct.get_s/_u and array.get_s/_u ask. Unpacked
// storage is returned truncated to 32 bits unchanged.
func Unpack(v uint64, p wasm.Packed, signed bool) uint32 {
	switch p {
	case wasm.PackedI8:
		if signed {
			return uint32(int32(int8(v)))
		}
		return uint32(uint8(v))
	case wasm.PackedI16:
		if signed {
			return uint32(int32(int16(v)))
		}
		return uint32(uint16(v))
	}
	return uint32(v)
}
