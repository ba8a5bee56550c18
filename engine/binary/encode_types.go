package binary

import (
	"fmt"
	"math"

	"github.com/gcscope/gcscope/engine/binary/leb128"
	"github.com/gcscope/gcscope/engine/wasm"
)

// writer accumulates bytes; errors are sticky, as in the reader, and name
// what could not be encoded (Encode adds the package prefix).
type writer struct {
	buf []byte
	err error
}

func (w *writer) fail(format string, args ...any) {
	if w.err == nil {
		w.err = fmt.Errorf(format, args...)
	}
}

func (w *writer) byte(c byte)    { w.buf = append(w.buf, c) }
func (w *writer) u32(v uint32)   { w.buf = leb128.AppendUint32(w.buf, v) }
func (w *writer) u64(v uint64)   { w.buf = leb128.AppendUint64(w.buf, v) }
func (w *writer) s64(v int64)    { w.buf = leb128.AppendInt64(w.buf, v) }
func (w *writer) bytes(b []byte) { w.buf = append(w.buf, b...) }
func (w *writer) count(n int)    { w.u32(uint32(n)) }
func (w *writer) offset() uint32 { return uint32(len(w.buf)) }
func (w *writer) name(s string)  { w.count(len(s)); w.buf = append(w.buf, s...) }
func (w *writer) fixed32(v uint32) {
	w.buf = append(w.buf, byte(v), byte(v>>8), byte(v>>16), byte(v>>24))
}

func (w *writer) heapType(h wasm.HeapType) {
	if h < 0 && (h < wasm.HeapExn || h > wasm.HeapNoExn) {
		w.fail("heap type %s has no encoding", h)
		return
	}
	if h > math.MaxUint32 {
		w.fail("heap type index %d out of range", int64(h))
		return
	}
	w.s64(int64(h))
}

func (w *writer) valType(t wasm.ValType) {
	switch t.Kind {
	case wasm.KindI32:
		w.byte(codeI32)
	case wasm.KindI64:
		w.byte(codeI64)
	case wasm.KindF32:
		w.byte(codeF32)
	case wasm.KindF64:
		w.byte(codeF64)
	case wasm.KindV128:
		w.byte(codeV128)
	case wasm.KindRef:
		w.refType(t)
	default:
		w.fail("value type %s has no encoding", t)
	}
}

// refType uses the one-byte shorthand for nullable abstract references.
func (w *writer) refType(t wasm.ValType) {
	if t.Kind != wasm.KindRef {
		w.fail("%s is not a reference type", t)
		return
	}
	if t.Nullable && t.Heap >= wasm.HeapExn && t.Heap <= wasm.HeapNoExn {
		w.byte(byte(int64(t.Heap) + 0x80))
		return
	}
	if t.Nullable {
		w.byte(codeRefNul)
	} else {
		w.byte(codeRef)
	}
	w.heapType(t.Heap)
}

func (w *writer) valTypes(ts []wasm.ValType) {
	w.count(len(ts))
	for _, t := range ts {
		w.valType(t)
	}
}

func (w *writer) fieldType(f wasm.FieldType) {
	switch f.Storage.Packed {
	case wasm.NotPacked:
		w.valType(f.Storage.Val)
	case wasm.PackedI8:
		w.byte(codeI8)
	case wasm.PackedI16:
		w.byte(codeI16)
	default:
		w.fail("storage type %d has no encoding", f.Storage.Packed)
	}
	w.mutability(f.Mutable)
}

func (w *writer) mutability(mut bool) {
	if mut {
		w.byte(1)
	} else {
		w.byte(0)
	}
}

func (w *writer) subType(st *wasm.SubType) {
	if !st.Final || len(st.Supers) > 0 {
		if st.Final {
			w.byte(codeSubFin)
		} else {
			w.byte(codeSub)
		}
		w.count(len(st.Supers))
		for _, s := range st.Supers {
			w.u32(s)
		}
	}
	c := &st.Comp
	switch c.Kind {
	case wasm.CompFunc:
		w.byte(codeFunc)
		w.valTypes(c.Params)
		w.valTypes(c.Results)
	case wasm.CompStruct:
		w.byte(codeStruct)
		w.count(len(c.Fields))
		for _, f := range c.Fields {
			w.fieldType(f)
		}
	case wasm.CompArray:
		if len(c.Fields) != 1 {
			w.fail("array type with %d element types", len(c.Fields))
			return
		}
		w.byte(codeArray)
		w.fieldType(c.Fields[0])
	default:
		w.fail("composite type kind %d has no encoding", c.Kind)
	}
}

func (w *writer) limits(l wasm.Limits, shared, addr64 bool) {
	var flags byte
	if l.HasMax {
		flags |= 1
	}
	if shared {
		flags |= 2
	}
	if addr64 {
		flags |= 4
	}
	w.byte(flags)
	w.u64(l.Min)
	if l.HasMax {
		w.u64(l.Max)
	}
}

func (w *writer) tableType(t wasm.TableType) {
	w.refType(t.Elem)
	w.limits(t.Limits, false, t.Addr64)
}

func (w *writer) memoryType(t wasm.MemoryType) { w.limits(t.Limits, t.Shared, t.Addr64) }

func (w *writer) globalType(t wasm.GlobalType) {
	w.valType(t.Val)
	w.mutability(t.Mutable)
}

func (w *writer) tagType(t wasm.TagType) {
	w.byte(0) // attribute: exception
	w.u32(t.TypeIndex)
}

func (w *writer) blockType(b wasm.BlockType) {
	switch b.Kind {
	case wasm.BlockEmpty:
		w.byte(codeEmpty)
	case wasm.BlockValue:
		w.valType(b.Value)
	case wasm.BlockFunc:
		w.s64(int64(b.Index))
	default:
		w.fail("block type kind %d has no encoding", b.Kind)
	}
}
