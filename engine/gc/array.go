package gc

// array returns the bytes, element base offset, layout and length of the
// array r.
func (h *Heap) array(r Ref) (b []byte, base uint64, l *Layout, n uint32, ok bool) {
	b, off, k, ok := h.object(r)
	if !ok {
		b, off, k, ok = h.objectLate(r)
	}
	if !ok || k != KindArray {
		return nil, 0, nil, 0, false
	}
	l = h.Layout(le.Uint32(b[off+TypeIDOffset:]))
	if l == nil {
		return nil, 0, nil, 0, false
	}
	return b, off + uint64(l.ElemOffset), l, le.Uint32(b[off+ArrayLenOffset:]), true
}

// ArrayLen returns an array's length (0 for non-arrays).
func (h *Heap) ArrayLen(r Ref) uint32 {
	_, _, _, n, _ := h.array(r)
	return n
}

// elem locates element i.
func (h *Heap) elem(r Ref, i uint32) ([]byte, uint64, uint32) {
	b, base, l, n, ok := h.array(r)
	if !ok || i >= n {
		return nil, 0, 0
	}
	return b, base + uint64(i)*uint64(l.ElemSize), l.ElemSize
}

// GetElem reads element i (low 64 bits of a v128; see GetElemV128). The
// caller checks i against ArrayLen to trap; here an index out of range
// reads 0.
func (h *Heap) GetElem(r Ref, i uint32) uint64 {
	b, p, size := h.elem(r, i)
	if size == 0 {
		return 0
	}
	return load(b, p, size)
}

// SetElem writes element i, truncating v to the element size (a v128
// element gets v as its low half and zero as its high half).
func (h *Heap) SetElem(r Ref, i uint32, v uint64) {
	b, p, size := h.elem(r, i)
	if size != 0 {
		store(b, p, size, v, 0)
	}
}

// GetElemV128 reads a v128 element.
func (h *Heap) GetElemV128(r Ref, i uint32) (lo, hi uint64) {
	b, p, size := h.elem(r, i)
	if size != 16 {
		return 0, 0
	}
	return le.Uint64(b[p:]), le.Uint64(b[p+8:])
}

// SetElemV128 writes a v128 element.
func (h *Heap) SetElemV128(r Ref, i uint32, lo, hi uint64) {
	b, p, size := h.elem(r, i)
	if size == 16 {
		store(b, p, 16, lo, hi)
	}
}

// span returns the bytes of elements [off, off+n) of array r.
func (h *Heap) elemSpan(r Ref, off, n uint32) ([]byte, uint32, error) {
	b, base, l, length, ok := h.array(r)
	if !ok {
		return nil, 0, ErrBadRef
	}
	if uint64(off)+uint64(n) > uint64(length) {
		return nil, 0, ErrOutOfBounds
	}
	s := base + uint64(off)*uint64(l.ElemSize)
	e := s + uint64(n)*uint64(l.ElemSize)
	return b[s:e:e], l.ElemSize, nil
}

// FillArray sets elements [off, off+n) to v (array.fill). A range past the
// end is ErrOutOfBounds and writes nothing; a non-array is ErrBadRef (check
// for null first to trap "null array reference").
func (h *Heap) FillArray(r Ref, off, n uint32, v uint64) error {
	return h.FillArrayV128(r, off, n, v, 0)
}

// FillArrayV128 is FillArray with a 128-bit value (lo, hi); for narrower
// elements hi is ignored.
func (h *Heap) FillArrayV128(r Ref, off, n uint32, lo, hi uint64) error {
	s, size, err := h.elemSpan(r, off, n)
	if err != nil || n == 0 {
		return err
	}
	store(s, 0, size, lo, hi)
	// Double the filled prefix each step: log(n) copies instead of n stores.
	for done := int(size); done < len(s); done *= 2 {
		copy(s[done:], s[:done])
	}
	return nil
}

// CopyArray copies n elements from src[srcOff:] to dst[dstOff:] with
// memmove semantics (the arrays may be the same and the ranges overlap),
// as array.copy does. Both ranges are checked before anything is copied.
func (h *Heap) CopyArray(dst Ref, dstOff uint32, src Ref, srcOff uint32, n uint32) error {
	d, ds, err := h.elemSpan(dst, dstOff, n)
	if err != nil {
		return err
	}
	s, ss, err := h.elemSpan(src, srcOff, n)
	if err != nil {
		return err
	}
	if ds != ss {
		return ErrBadRef
	}
	copy(d, s)
	return nil
}

// ArrayData returns the bytes of an array's elements, little-endian and
// packed as the layout says: array.new_data, array.init_data and the AOT
// tier copy through it. Nil for non-arrays.
func (h *Heap) ArrayData(r Ref) []byte {
	b, base, l, n, ok := h.array(r)
	if !ok {
		return nil
	}
	e := base + uint64(n)*uint64(l.ElemSize)
	return b[base:e:e]
}

// VisitRefs calls fn for every reference r holds (null and i31 included),
// with the field or element index it sits in: the edges of heap snapshots.
func (h *Heap) VisitRefs(r Ref, fn func(slot uint32, child Ref)) {
	b, off, k, ok := h.object(r)
	if !ok {
		b, off, k, ok = h.objectLate(r)
	}
	if !ok {
		return
	}
	l := h.Layout(le.Uint32(b[off+TypeIDOffset:]))
	if l == nil {
		return
	}
	switch k {
	case KindStruct, KindExn:
		for i, f := range l.Fields {
			if f.Ref() {
				fn(uint32(i), Ref(le.Uint32(b[off+uint64(f.Offset):])))
			}
		}
	case KindArray:
		if l.ElemRef {
			n := le.Uint32(b[off+ArrayLenOffset:])
			p := off + uint64(l.ElemOffset)
			for i := uint32(0); i < n; i++ {
				fn(i, Ref(le.Uint32(b[p+4*uint64(i):])))
			}
		}
	}
}
