package runtime

import (
	"encoding/binary"
	"fmt"
	"math"
	"strconv"

	"github.com/gcscope/gcscope/engine/wasm"
)

// Value is a Wasm value as the embedding API passes it: its type and its
// bits. Numbers keep their IEEE or two's-complement bits (NaN payloads
// survive); references keep the Ref in Bits, and Type says which hierarchy
// (func, extern, any, exn) they belong to, with canonical heap types.
// Store.Describe tells what a reference points at.
type Value struct {
	Type wasm.ValType
	Bits uint64
	// Hi is a v128's high 64 bits (Bits holds the low 64, little-endian).
	Hi uint64
}

// V128 makes a v128 value from its 16 bytes, little-endian.
func V128(b [16]byte) Value {
	return Value{Type: wasm.V128, Bits: binary.LittleEndian.Uint64(b[:8]), Hi: binary.LittleEndian.Uint64(b[8:])}
}

// Bytes16 returns a v128 value's 16 bytes, little-endian.
func (v Value) Bytes16() [16]byte {
	var b [16]byte
	binary.LittleEndian.PutUint64(b[:8], v.Bits)
	binary.LittleEndian.PutUint64(b[8:], v.Hi)
	return b
}

// Slots returns the number of 64-bit slots a value of type t takes in a
// frame: two for a v128, one for anything else.
func Slots(t wasm.ValType) int {
	if t.Kind == wasm.KindV128 {
		return 2
	}
	return 1
}

// I32 makes an i32 value.
func I32(v int32) Value { return Value{Type: wasm.I32, Bits: uint64(uint32(v))} }

// I64 makes an i64 value.
func I64(v int64) Value { return Value{Type: wasm.I64, Bits: uint64(v)} }

// F32 makes an f32 value from its bits.
func F32(bits uint32) Value { return Value{Type: wasm.F32, Bits: uint64(bits)} }

// F64 makes an f64 value from its bits.
func F64(bits uint64) Value { return Value{Type: wasm.F64, Bits: bits} }

// Null makes a null reference of the given (abstract) heap type.
func Null(h wasm.HeapType) Value { return Value{Type: wasm.RefType(true, h)} }

// I31 makes an i31ref holding the low 31 bits of v.
func I31(v int32) Value {
	return Value{Type: wasm.RefType(false, wasm.HeapI31), Bits: uint64(uint32(v)<<1 | 1)}
}

// IsNull reports whether a reference value is null.
func (v Value) IsNull() bool { return v.Type.IsRef() && v.Bits == 0 }

func (v Value) String() string {
	switch v.Type.Kind {
	case wasm.KindI32:
		return fmt.Sprintf("%d : i32", int32(v.Bits))
	case wasm.KindI64:
		return fmt.Sprintf("%d : i64", int64(v.Bits))
	case wasm.KindF32:
		return fmt.Sprintf("%v : f32", math.Float32frombits(uint32(v.Bits)))
	case wasm.KindF64:
		return fmt.Sprintf("%v : f64", math.Float64frombits(v.Bits))
	case wasm.KindV128:
		return fmt.Sprintf("0x%016x%016x : v128", v.Hi, v.Bits)
	case wasm.KindRef:
		if v.Bits == 0 {
			return "null : " + v.Type.String()
		}
		return fmt.Sprintf("ref 0x%x : %s", v.Bits, v.Type)
	}
	return fmt.Sprintf("0x%x : %s", v.Bits, v.Type)
}

// RefKind says what a reference value points at.
type RefKind uint8

// Reference kinds.
const (
	RefNull RefKind = iota
	RefI31
	RefStruct
	RefArray
	RefFunc
	RefHost
	RefExn
	RefDangling // not a live object (a bug, or a value kept past a collection)
)

// RefInfo describes a reference value.
type RefInfo struct {
	Kind RefKind
	I31  int32  // RefI31: the value, sign-extended
	Host uint64 // RefHost: the host's handle
	Type TypeID // RefStruct, RefArray, RefFunc: the canonical type
	Func *Func  // RefFunc
}

// Describe tells what a reference value points at.
func (s *Store) Describe(v Value) RefInfo {
	r := Ref(v.Bits)
	switch {
	case r == 0:
		return RefInfo{Kind: RefNull}
	case r&1 == 1:
		return RefInfo{Kind: RefI31, I31: r.I31S()}
	}
	switch s.Heap.Kind(r) {
	case ObjStruct:
		return RefInfo{Kind: RefStruct, Type: s.Heap.TypeOf(r)}
	case ObjArray:
		return RefInfo{Kind: RefArray, Type: s.Heap.TypeOf(r)}
	case ObjFunc:
		return RefInfo{Kind: RefFunc, Type: s.Heap.TypeOf(r), Func: s.FuncOf(r)}
	case ObjHost:
		return RefInfo{Kind: RefHost, Host: s.Heap.Aux(r)}
	case ObjExn:
		return RefInfo{Kind: RefExn}
	}
	return RefInfo{Kind: RefDangling}
}

// FuncOf returns the function a funcref points at, or nil.
func (s *Store) FuncOf(r Ref) *Func {
	if s.Heap.Kind(r) != ObjFunc {
		return nil
	}
	n := s.Heap.Aux(r)
	if funcs := s.funcList(); n < uint64(len(funcs)) {
		return funcs[n]
	}
	return nil
}

// TagOf returns the tag of an exception object, or nil.
func (s *Store) TagOf(r Ref) *Tag {
	if s.Heap.Kind(r) != ObjExn {
		return nil
	}
	n := s.Heap.Aux(r)
	if tags := s.tagList(); n < uint64(len(tags)) {
		return tags[n]
	}
	return nil
}

// HostRef returns the reference that wraps host handle n, as an
// externref; the same n always gives the same object, so ref.eq after
// any.convert_extern and the script's (ref.extern n) agree. Pass the
// value's Bits with an anyref type for (ref.host n). Any goroutine may
// call it, also while threads run and collect.
func (s *Store) HostRef(n uint64) (Value, error) {
	s.rootsMu.Lock()
	r, ok := s.hostRefs[n]
	s.rootsMu.Unlock()
	if !ok {
		var err error
		if r, err = s.newHostRef(n); err != nil {
			return Value{}, err
		}
	}
	return Value{Type: wasm.RefType(false, wasm.HeapExtern), Bits: uint64(r)}, nil
}

// newHostRef allocates host handle n's object and records it as a root
// before the heap's lock is released: a collection in between (another
// thread's, or another goroutine's allocation) would find the new object
// unreachable and free it. Another goroutine may have recorded n since
// the caller looked; its object wins and the new one is garbage.
func (s *Store) newHostRef(n uint64) (Ref, error) {
	var got Ref
	_, err := s.Heap.allocHostKept(n, func(r Ref) {
		s.rootsMu.Lock()
		defer s.rootsMu.Unlock()
		if old, ok := s.hostRefs[n]; ok {
			got = old
			return
		}
		s.hostRefs[n], got = r, r
	})
	return got, err
}

// FormatNumber writes a number or vector value as tools show it: integers
// in signed decimal, floats as the shortest decimal that reads back to the
// same bits, v128 as 32 hex digits. ok is false for references, which need
// the store to describe.
func FormatNumber(v Value) (s string, ok bool) {
	switch v.Type.Kind {
	case wasm.KindI32:
		return strconv.FormatInt(int64(int32(v.Bits)), 10), true
	case wasm.KindI64:
		return strconv.FormatInt(int64(v.Bits), 10), true
	case wasm.KindF32:
		return strconv.FormatFloat(float64(math.Float32frombits(uint32(v.Bits))), 'g', -1, 32), true
	case wasm.KindF64:
		return strconv.FormatFloat(math.Float64frombits(v.Bits), 'g', -1, 64), true
	case wasm.KindV128:
		return fmt.Sprintf("0x%016x%016x", v.Hi, v.Bits), true
	}
	return "", false
}
