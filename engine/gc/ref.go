package gc

// Ref is a compressed reference: 0 is null, an odd value is an i31
// (v<<1 | 1), and anything else is the byte offset of an object from the
// heap base, a multiple of 8 (offsets 0..7 hold no object, so null is never
// an object).
type Ref uint32

// Null is the null reference of every heap type.
const Null Ref = 0

// MakeI31 packs the low 31 bits of v as an i31 reference (ref.i31).
func MakeI31(v int32) Ref { return Ref(uint32(v)<<1 | 1) }

// IsNull reports whether r is null.
func (r Ref) IsNull() bool { return r == 0 }

// IsI31 reports whether r is an i31 reference.
func (r Ref) IsI31() bool { return r&1 != 0 }

// IsObject reports whether r has the form of an object reference (non-null,
// even). Heap.Valid checks that an object is actually there.
func (r Ref) IsObject() bool { return r != 0 && r&1 == 0 }

// I31S is i31.get_s: the 31-bit value sign-extended.
func (r Ref) I31S() int32 { return int32(r) >> 1 }

// I31U is i31.get_u: the 31-bit value zero-extended.
func (r Ref) I31U() uint32 { return uint32(r) >> 1 }
