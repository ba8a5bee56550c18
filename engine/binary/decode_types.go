package binary

import "github.com/gcscope/gcscope/engine/wasm"

// Binary codes of types.
const (
	codeI32    = 0x7F
	codeI64    = 0x7E
	codeF32    = 0x7D
	codeF64    = 0x7C
	codeV128   = 0x7B
	codeI8     = 0x78
	codeI16    = 0x77
	codeRef    = 0x64
	codeRefNul = 0x63
	codeRec    = 0x4E
	codeSub    = 0x50
	codeSubFin = 0x4F
	codeArray  = 0x5E
	codeStruct = 0x5F
	codeFunc   = 0x60
	codeEmpty  = 0x40 // the empty block type, and the table-with-initializer marker
)

// isAbstractHeapCode reports whether a one-byte code is an abstract heap type
// (0x69 exn .. 0x74 noexn), which alone is also the nullable reference
// shorthand (funcref, anyref, ...).
func isAbstractHeapCode(c byte) bool { return c >= 0x69 && c <= 0x74 }

// heapType reads a heap type: a non-negative type index or an abstract heap
// type, both as one s33.
func (r *reader) heapType() wasm.HeapType {
	at := r.pos
	v := r.s33()
	if r.err != nil {
		return 0
	}
	h := wasm.HeapType(v)
	if v < 0 && (h < wasm.HeapExn || h > wasm.HeapNoExn) {
		r.failAt(at, "malformed heap type")
		return 0
	}
	return h
}

// refTypeOr reads a reference type; msg names a malformed one, since the
// spec's wording depends on the place (value type or reference type).
func (r *reader) refTypeOr(msg string) wasm.ValType {
	at := r.pos
	c := r.byte()
	if r.err != nil {
		return wasm.ValType{}
	}
	switch {
	case c == codeRef || c == codeRefNul:
		return wasm.RefType(c == codeRefNul, r.heapType())
	case isAbstractHeapCode(c):
		return wasm.RefType(true, wasm.HeapType(int64(c)-0x80))
	}
	r.failAt(at, "%s", msg)
	return wasm.ValType{}
}

func (r *reader) refType() wasm.ValType { return r.refTypeOr("malformed reference type") }

// valType reads a value type.
func (r *reader) valType() wasm.ValType {
	c, ok := r.peek()
	if ok {
		switch c {
		case codeI32:
			r.pos++
			return wasm.I32
		case codeI64:
			r.pos++
			return wasm.I64
		case codeF32:
			r.pos++
			return wasm.F32
		case codeF64:
			r.pos++
			return wasm.F64
		case codeV128:
			r.pos++
			return wasm.V128
		}
	}
	return r.refTypeOr("malformed value type")
}

func (r *reader) valTypes() []wasm.ValType {
	n := r.count()
	if n == 0 {
		return nil
	}
	ts := make([]wasm.ValType, 0, r.capFor(n, 1))
	for i := 0; i < n && r.err == nil; i++ {
		ts = append(ts, r.valType())
	}
	return ts
}

func (r *reader) mutability() bool {
	at := r.pos
	switch c := r.byte(); c {
	case 0:
		return false
	case 1:
		return true
	}
	r.failAt(at, "malformed mutability")
	return false
}

func (r *reader) fieldType() wasm.FieldType {
	var st wasm.StorageType
	c, _ := r.peek()
	switch c {
	case codeI8:
		r.pos++
		st = wasm.StorageType{Packed: wasm.PackedI8, Val: wasm.I32}
	case codeI16:
		r.pos++
		st = wasm.StorageType{Packed: wasm.PackedI16, Val: wasm.I32}
	default:
		st = wasm.StorageType{Val: r.valType()}
	}
	return wasm.FieldType{Storage: st, Mutable: r.mutability()}
}

func (r *reader) compType(c wasm.CompositeType, code byte, at int) wasm.CompositeType {
	switch code {
	case codeFunc:
		c.Kind = wasm.CompFunc
		c.Params = r.valTypes()
		c.Results = r.valTypes()
	case codeStruct:
		c.Kind = wasm.CompStruct
		n := r.count()
		if n > 0 {
			c.Fields = make([]wasm.FieldType, 0, r.capFor(n, 2))
		}
		for i := 0; i < n && r.err == nil; i++ {
			c.Fields = append(c.Fields, r.fieldType())
		}
	case codeArray:
		c.Kind = wasm.CompArray
		c.Fields = []wasm.FieldType{r.fieldType()}
	default:
		r.failAt(at, "malformed type: 0x%02x", code)
	}
	return c
}

// subType reads one type definition, with or without `sub`.
func (r *reader) subType() wasm.SubType {
	at := r.pos
	code := r.byte()
	st := wasm.SubType{Final: true}
	if code == codeSub || code == codeSubFin {
		st.Final = code == codeSubFin
		n := r.count()
		if n > 0 {
			st.Supers = make([]uint32, 0, r.capFor(n, 1))
		}
		for i := 0; i < n && r.err == nil; i++ {
			st.Supers = append(st.Supers, r.u32())
		}
		at = r.pos
		code = r.byte()
	}
	if r.err != nil {
		return st
	}
	if code >= 0x80 {
		// The spec interpreter reads the form as a one-byte signed LEB128,
		// so a continuation bit makes it too long rather than unknown.
		r.failAt(at+1, "integer representation too long")
		return st
	}
	st.Comp = r.compType(st.Comp, code, at)
	return st
}

// limits reads a limits flags byte and the bounds it announces. The flags
// say: bit 0 a maximum follows, bit 1 shared, bit 2 64-bit addresses.
func (r *reader) limits(table bool) (lim wasm.Limits, shared, addr64 bool) {
	at := r.pos
	flags := r.byte()
	if r.err != nil {
		return
	}
	if flags > 7 {
		r.failAt(at, "malformed limits flags: 0x%02x", flags)
		return
	}
	shared = flags&2 != 0
	addr64 = flags&4 != 0
	if table && shared {
		r.failAt(at, "tables cannot be shared (yet)")
		return
	}
	lim.HasMax = flags&1 != 0
	// Bounds are read as u64 whatever the address type; that a 32-bit
	// memory or table stays within 32 bits is the validator's check.
	lim.Min = r.u64()
	if lim.HasMax {
		lim.Max = r.u64()
	}
	return
}

func (r *reader) tableType() wasm.TableType {
	var t wasm.TableType
	t.Elem = r.refType()
	t.Limits, _, t.Addr64 = r.limits(true)
	return t
}

func (r *reader) memoryType() wasm.MemoryType {
	var m wasm.MemoryType
	m.Limits, m.Shared, m.Addr64 = r.limits(false)
	return m
}

func (r *reader) globalType() wasm.GlobalType {
	t := r.valType()
	return wasm.GlobalType{Val: t, Mutable: r.mutability()}
}

// tagType reads a tag's attribute (0, exception) and its type index.
func (r *reader) tagType() wasm.TagType {
	at := r.pos
	if c := r.byte(); c != 0 && r.err == nil {
		r.failAt(at, "malformed tag attribute: 0x%02x", c)
	}
	return wasm.TagType{TypeIndex: r.u32()}
}

// blockType reads a block type: 0x40 (empty), a value type (a one-byte
// negative s33), or a type index (a non-negative s33).
func (r *reader) blockType() wasm.BlockType {
	c, ok := r.peek()
	if !ok {
		r.byte() // reports the end
		return wasm.BlockType{}
	}
	if c == codeEmpty {
		r.pos++
		return wasm.BlockType{Kind: wasm.BlockEmpty}
	}
	if c&0xC0 == 0x40 {
		return wasm.BlockType{Kind: wasm.BlockValue, Value: r.valType()}
	}
	at := r.pos
	v := r.s33()
	if v < 0 && r.err == nil {
		r.failAt(at, "malformed block type")
	}
	return wasm.BlockType{Kind: wasm.BlockFunc, Index: uint32(v)}
}
