package engine

import (
	"errors"
	"fmt"

	"github.com/gcscope/gcscope/engine/runtime"
	"github.com/gcscope/gcscope/engine/wasm"
)

// The GC object API: what WAMR's gc_export.h offers hosts. Objects are
// created with an instance's types (its type index space), read and
// written by field or element index, and typed: a field's value must
// match its declared type.
//
// A reference value the host keeps between calls must be pinned with
// Runtime.Pin: the collector sees the references in Wasm frames, globals,
// tables and handles, not those in Go variables.

// NewStruct allocates a struct of the instance's type typeIndex with the
// given field values (none: every field takes its default, which needs
// every field to be defaultable).
func (i *Instance) NewStruct(typeIndex uint32, fields ...Value) (Value, error) {
	d, err := i.compositeType(typeIndex, wasm.CompStruct)
	if err != nil {
		return Value{}, err
	}
	s := i.rt.store
	if len(fields) != 0 && len(fields) != len(d.Comp.Fields) {
		return Value{}, fmt.Errorf("engine: struct type %d has %d fields, %d values given", typeIndex, len(d.Comp.Fields), len(fields))
	}
	if len(fields) == 0 {
		for fi, f := range d.Comp.Fields {
			if !f.Storage.Val.Defaultable() && f.Storage.Packed == wasm.NotPacked {
				return Value{}, fmt.Errorf("engine: field %d of struct type %d is %s, which has no default: give every field a value", fi, typeIndex, f.Storage.Val)
			}
		}
	}
	for fi, v := range fields {
		if err := i.rt.checkStorage(v, d.Comp.Fields[fi].Storage); err != nil {
			return Value{}, fmt.Errorf("engine: field %d of struct type %d: %w", fi, typeIndex, err)
		}
	}
	// The field values are not rooted anywhere else while the struct is
	// being allocated (a collection may run): pin them for the moment.
	release := i.rt.pinAll(fields)
	defer release()
	ref, err := s.Heap.AllocStruct(d)
	if err != nil {
		return Value{}, err
	}
	for fi, v := range fields {
		setSlot(s, ref, fi, d.Comp.Fields[fi].Storage, v, false)
	}
	return Value{Type: wasm.RefType(false, wasm.HeapType(d.ID)), Bits: uint64(ref)}, nil
}

// NewArray allocates an array of the instance's type typeIndex with
// length elements, each set to init (a zero Value means the element type's
// default).
func (i *Instance) NewArray(typeIndex uint32, length uint32, init Value) (Value, error) {
	d, err := i.compositeType(typeIndex, wasm.CompArray)
	if err != nil {
		return Value{}, err
	}
	elem := d.Comp.Fields[0].Storage
	hasInit := init.Type.Kind != 0
	if hasInit {
		if err := i.rt.checkStorage(init, elem); err != nil {
			return Value{}, fmt.Errorf("engine: array type %d element: %w", typeIndex, err)
		}
	} else if !elem.Val.Defaultable() && elem.Packed == wasm.NotPacked {
		return Value{}, fmt.Errorf("engine: array type %d holds %s, which has no default: give an initial value", typeIndex, elem.Val)
	}
	release := i.rt.pinAll([]Value{init})
	defer release()
	s := i.rt.store
	ref, err := s.Heap.AllocArray(d, length)
	if err != nil {
		return Value{}, err
	}
	if hasInit {
		for e := uint32(0); e < length; e++ {
			setSlot(s, ref, int(e), elem, init, true)
		}
	}
	return Value{Type: wasm.RefType(false, wasm.HeapType(d.ID)), Bits: uint64(ref)}, nil
}

// compositeType resolves one of the instance's type indices to its
// canonical definition, checking that it is a struct or an array.
func (i *Instance) compositeType(typeIndex uint32, want wasm.CompKind) (*runtime.TypeDef, error) {
	if i.rt.store == nil {
		return nil, ErrClosed
	}
	if int64(typeIndex) >= int64(len(i.inst.Types)) {
		return nil, fmt.Errorf("engine: the instance has no type %d (it has %d)", typeIndex, len(i.inst.Types))
	}
	d := i.inst.TypeDef(typeIndex)
	if d == nil || d.Comp.Kind != want {
		kinds := map[wasm.CompKind]string{wasm.CompFunc: "func", wasm.CompStruct: "struct", wasm.CompArray: "array"}
		got := "unknown"
		if d != nil {
			got = kinds[d.Comp.Kind]
		}
		return nil, fmt.Errorf("engine: type %d is a %s type, not a %s type", typeIndex, got, kinds[want])
	}
	return d, nil
}

// StructField reads field i of a struct. Packed i8/i16 fields read as
// i32, zero-extended; use StructFieldSigned for the signed reading.
func (r *Runtime) StructField(obj Value, field int) (Value, error) {
	return r.structField(obj, field, false)
}

// StructFieldSigned reads a packed field sign-extended (as struct.get_s).
func (r *Runtime) StructFieldSigned(obj Value, field int) (Value, error) {
	return r.structField(obj, field, true)
}

func (r *Runtime) structField(obj Value, field int, signed bool) (Value, error) {
	d, ref, err := r.object(obj, runtime.RefStruct)
	if err != nil {
		return Value{}, err
	}
	if field < 0 || field >= len(d.Comp.Fields) {
		return Value{}, fmt.Errorf("engine: struct has %d fields, no field %d", len(d.Comp.Fields), field)
	}
	return getSlot(r.store, ref, field, d.Comp.Fields[field].Storage, signed, false), nil
}

// SetStructField writes field i of a struct; the field must be mutable.
func (r *Runtime) SetStructField(obj Value, field int, v Value) error {
	d, ref, err := r.object(obj, runtime.RefStruct)
	if err != nil {
		return err
	}
	if field < 0 || field >= len(d.Comp.Fields) {
		return fmt.Errorf("engine: struct has %d fields, no field %d", len(d.Comp.Fields), field)
	}
	f := d.Comp.Fields[field]
	if !f.Mutable {
		return fmt.Errorf("engine: field %d is immutable", field)
	}
	if err := r.checkStorage(v, f.Storage); err != nil {
		return fmt.Errorf("engine: field %d: %w", field, err)
	}
	setSlot(r.store, ref, field, f.Storage, v, false)
	return nil
}

// ArrayLen returns an array's length.
func (r *Runtime) ArrayLen(obj Value) (uint32, error) {
	_, ref, err := r.object(obj, runtime.RefArray)
	if err != nil {
		return 0, err
	}
	return r.store.Heap.GC.ArrayLen(ref), nil
}

// ArrayElem reads element i (packed elements zero-extended).
func (r *Runtime) ArrayElem(obj Value, i uint32) (Value, error) {
	d, ref, err := r.object(obj, runtime.RefArray)
	if err != nil {
		return Value{}, err
	}
	if n := r.store.Heap.GC.ArrayLen(ref); i >= n {
		return Value{}, fmt.Errorf("engine: index %d out of bounds of an array of %d", i, n)
	}
	return getSlot(r.store, ref, int(i), d.Comp.Fields[0].Storage, false, true), nil
}

// SetArrayElem writes element i; the array type must be mutable.
func (r *Runtime) SetArrayElem(obj Value, i uint32, v Value) error {
	d, ref, err := r.object(obj, runtime.RefArray)
	if err != nil {
		return err
	}
	f := d.Comp.Fields[0]
	if !f.Mutable {
		return errors.New("engine: the array is immutable")
	}
	if n := r.store.Heap.GC.ArrayLen(ref); i >= n {
		return fmt.Errorf("engine: index %d out of bounds of an array of %d", i, n)
	}
	if err := r.checkStorage(v, f.Storage); err != nil {
		return fmt.Errorf("engine: element: %w", err)
	}
	setSlot(r.store, ref, int(i), f.Storage, v, true)
	return nil
}

// object checks that v is a live, non-null reference to a struct or an
// array (as want says) and returns its canonical type.
func (r *Runtime) object(v Value, want runtime.RefKind) (*runtime.TypeDef, runtime.Ref, error) {
	if r.store == nil {
		return nil, 0, ErrClosed
	}
	what := map[runtime.RefKind]string{runtime.RefStruct: "struct", runtime.RefArray: "array"}[want]
	if !v.Type.IsRef() {
		return nil, 0, fmt.Errorf("engine: a %s is not a reference to a %s", v.Type, what)
	}
	info := r.store.Describe(v)
	switch info.Kind {
	case runtime.RefNull:
		return nil, 0, fmt.Errorf("engine: null %s reference", what)
	case runtime.RefDangling:
		return nil, 0, errors.New("engine: the reference points at no live object (was it pinned?)")
	case want:
		return r.store.Types.Def(info.Type), runtime.Ref(v.Bits), nil
	}
	return nil, 0, fmt.Errorf("engine: the reference is not to a %s", what)
}

func getSlot(s *runtime.Store, ref runtime.Ref, i int, st wasm.StorageType, signed, elem bool) Value {
	gcHeap := s.Heap.GC
	if st.Packed == wasm.NotPacked && st.Val.Kind == wasm.KindV128 {
		var lo, hi uint64
		if elem {
			lo, hi = gcHeap.GetElemV128(ref, uint32(i))
		} else {
			lo, hi = gcHeap.GetFieldV128(ref, i)
		}
		return Value{Type: wasm.V128, Bits: lo, Hi: hi}
	}
	var bits uint64
	if elem {
		bits = gcHeap.GetElem(ref, uint32(i))
	} else {
		bits = gcHeap.GetField(ref, i)
	}
	switch st.Packed {
	case wasm.PackedI8:
		if signed {
			return I32(int32(int8(bits)))
		}
		return I32(int32(uint8(bits)))
	case wasm.PackedI16:
		if signed {
			return I32(int32(int16(bits)))
		}
		return I32(int32(uint16(bits)))
	}
	return Value{Type: st.Val, Bits: bits}
}

func setSlot(s *runtime.Store, ref runtime.Ref, i int, st wasm.StorageType, v Value, elem bool) {
	gcHeap := s.Heap.GC
	if st.Packed == wasm.NotPacked && st.Val.Kind == wasm.KindV128 {
		if elem {
			gcHeap.SetElemV128(ref, uint32(i), v.Bits, v.Hi)
		} else {
			gcHeap.SetFieldV128(ref, i, v.Bits, v.Hi)
		}
		return
	}
	bits := runtime.PackField(st, v.Bits)
	if elem {
		gcHeap.SetElem(ref, uint32(i), bits)
	} else {
		gcHeap.SetField(ref, i, bits)
	}
}

// checkStorage checks that a host value fits a field of storage st: the
// same number kind, or a reference whose target is a subtype of the
// field's reference type.
func (r *Runtime) checkStorage(v Value, st wasm.StorageType) error {
	want := st.Unpacked()
	if !want.IsRef() {
		if v.Type.Kind != want.Kind {
			return fmt.Errorf("expected %s, got %s", st, v.Type)
		}
		return nil
	}
	if !v.Type.IsRef() {
		return fmt.Errorf("expected %s, got %s", want, v.Type)
	}
	info := r.store.Describe(v)
	var actual wasm.HeapType
	switch info.Kind {
	case runtime.RefNull:
		if !want.Nullable {
			return fmt.Errorf("expected %s, got null", want)
		}
		return nil
	case runtime.RefI31:
		actual = wasm.HeapI31
	case runtime.RefStruct, runtime.RefArray, runtime.RefFunc:
		actual = wasm.HeapType(info.Type)
	case runtime.RefHost:
		actual = wasm.HeapExtern
		if v.Type.Heap != wasm.HeapExtern && !r.store.Types.HeapSub(v.Type.Heap, wasm.HeapExtern) {
			actual = wasm.HeapAny // a host value converted into the any hierarchy
		}
	case runtime.RefExn:
		actual = wasm.HeapExn
	default:
		return errors.New("the reference points at no live object (was it pinned?)")
	}
	if !r.store.Types.HeapSub(actual, want.Heap) {
		return fmt.Errorf("expected %s, got a reference to %s", want, actual)
	}
	return nil
}

// I31 makes an i31ref holding the low 31 bits of v.
func I31(v int32) Value { return runtime.I31(v) }

// I31Value reads an i31ref, sign-extended (as i31.get_s).
func (r *Runtime) I31Value(v Value) (int32, error) {
	if r.store == nil {
		return 0, ErrClosed
	}
	if !v.Type.IsRef() {
		return 0, fmt.Errorf("engine: a %s is not an i31ref", v.Type)
	}
	info := r.store.Describe(v)
	if info.Kind != runtime.RefI31 {
		return 0, errors.New("engine: the reference is not an i31")
	}
	return info.I31, nil
}
