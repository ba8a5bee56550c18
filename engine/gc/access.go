package gc

// The accessors take a Ref the runtime obtained from this heap. They never
// panic: a Ref that is not an object of the right kind, or an index out of
// range, makes getters return zero values and setters do nothing (the
// checked operations FillArray and CopyArray return errors). Valid tells
// the debugger whether a Ref is usable. Values are raw bits: f32/f64 as
// their IEEE bits, references as a Ref in the low 32 bits, packed fields
// truncated (widen them with Unpack).

// Valid reports whether r refers to an allocated object of this heap.
func (h *Heap) Valid(r Ref) bool { return h.validStart(uint64(r)) }

// object returns the heap bytes and offset of the object r, if valid. It
// stays small enough to inline into the accessors; callers try
// objectLate when it fails.
func (h *Heap) object(r Ref) ([]byte, uint64, Kind, bool) {
	off := uint64(r)
	if !h.isStart(off) {
		return nil, 0, KindFree, false
	}
	b := h.b
	return b, off, Kind(b[off+GCBitsOffset] & KindMask), true
}

// objectLate is object for an offset without a start bit, which may be
// an object allocated inline whose bit is not set yet (buffer_publish.go).
func (h *Heap) objectLate(r Ref) ([]byte, uint64, Kind, bool) {
	if !h.validStart(uint64(r)) {
		return nil, 0, KindFree, false
	}
	return h.object(r)
}

// KindOf returns what r refers to; KindFree if it is not an object.
func (h *Heap) KindOf(r Ref) Kind {
	_, _, k, ok := h.object(r)
	if !ok {
		_, _, k, _ = h.objectLate(r)
	}
	return k
}

// TypeOf returns the canonical type id in r's header: a struct's, array's,
// exception tag's or (when allocated with one) funcref's type; NoType for
// extern wrappers and for non-objects.
func (h *Heap) TypeOf(r Ref) uint32 {
	b, off, _, ok := h.object(r)
	if !ok {
		b, off, _, ok = h.objectLate(r)
	}
	if !ok {
		return NoType
	}
	return le.Uint32(b[off+TypeIDOffset:])
}

// LayoutOf returns the layout of a struct, array or exception, or nil.
func (h *Heap) LayoutOf(r Ref) *Layout {
	b, off, k, ok := h.object(r)
	if !ok {
		b, off, k, ok = h.objectLate(r)
	}
	if !ok || (k != KindStruct && k != KindArray && k != KindExn) {
		return nil
	}
	return h.Layout(le.Uint32(b[off+TypeIDOffset:]))
}

// SizeOf returns the bytes r occupies in the heap (0 for non-objects).
func (h *Heap) SizeOf(r Ref) uint64 {
	_, off, k, ok := h.object(r)
	if !ok {
		_, off, k, ok = h.objectLate(r)
	}
	if !ok {
		return 0
	}
	return h.blockSize(off, k)
}

// payload returns the uint32 at PayloadOffset of an object of kind k.
func (h *Heap) payload(r Ref, k Kind) (uint32, bool) {
	b, off, kind, ok := h.object(r)
	if !ok {
		b, off, kind, ok = h.objectLate(r)
	}
	if !ok || kind != k {
		return 0, false
	}
	return le.Uint32(b[off+PayloadOffset:]), true
}

// FuncID returns the function instance id of a funcref object.
func (h *Heap) FuncID(r Ref) (uint32, bool) { return h.payload(r, KindFunc) }

// ExternHost returns the host handle index an extern wrapper holds.
func (h *Heap) ExternHost(r Ref) (uint32, bool) { return h.payload(r, KindExtern) }

// ExnTag returns the tag instance id of an exception.
func (h *Heap) ExnTag(r Ref) (uint32, bool) { return h.payload(r, KindExn) }

// field locates field i of a struct or exception payload value i.
func (h *Heap) field(r Ref, i int) ([]byte, uint64, *Field) {
	b, off, k, ok := h.object(r)
	if !ok {
		b, off, k, ok = h.objectLate(r)
	}
	if !ok || (k != KindStruct && k != KindExn) {
		return nil, 0, nil
	}
	l := h.Layout(le.Uint32(b[off+TypeIDOffset:]))
	if l == nil || i < 0 || i >= len(l.Fields) {
		return nil, 0, nil
	}
	f := &l.Fields[i]
	return b, off + uint64(f.Offset), f
}

// GetField reads field i of a struct (or payload value i of an exception).
// For a v128 field it returns the low 64 bits; use GetFieldV128.
func (h *Heap) GetField(r Ref, i int) uint64 {
	b, p, f := h.field(r, i)
	if f == nil {
		return 0
	}
	return load(b, p, f.Size)
}

// SetField writes field i, truncating v to the field's size. For a v128
// field it writes v as the low half and zero as the high half.
func (h *Heap) SetField(r Ref, i int, v uint64) {
	b, p, f := h.field(r, i)
	if f != nil {
		store(b, p, f.Size, v, 0)
	}
}

// GetFieldV128 reads a v128 field as two little-endian halves.
func (h *Heap) GetFieldV128(r Ref, i int) (lo, hi uint64) {
	b, p, f := h.field(r, i)
	if f == nil || f.Size != 16 {
		return 0, 0
	}
	return le.Uint64(b[p:]), le.Uint64(b[p+8:])
}

// SetFieldV128 writes a v128 field.
func (h *Heap) SetFieldV128(r Ref, i int, lo, hi uint64) {
	b, p, f := h.field(r, i)
	if f != nil && f.Size == 16 {
		store(b, p, 16, lo, hi)
	}
}

func load(b []byte, p uint64, size uint32) uint64 {
	switch size {
	case 1:
		return uint64(b[p])
	case 2:
		return uint64(le.Uint16(b[p:]))
	case 4:
		return uint64(le.Uint32(b[p:]))
	}
	return le.Uint64(b[p:])
}

func store(b []byte, p uint64, size uint32, lo, hi uint64) {
	switch size {
	case 1:
		b[p] = byte(lo)
	case 2:
		le.PutUint16(b[p:], uint16(lo))
	case 4:
		le.PutUint32(b[p:], uint32(lo))
	case 8:
		le.PutUint64(b[p:], lo)
	case 16:
		le.PutUint64(b[p:], lo)
		le.PutUint64(b[p+8:], hi)
	}
}

// ObjectBytes returns the bytes of object r, header included, for the
// debugger's memory views and heap dumps (nil for non-objects). Writing
// through it bypasses every check: tools should only read.
func (h *Heap) ObjectBytes(r Ref) []byte {
	b, off, k, ok := h.object(r)
	if !ok {
		b, off, k, ok = h.objectLate(r)
	}
	if !ok {
		return nil
	}
	e := off + h.blockSize(off, k)
	return b[off:e:e]
}
