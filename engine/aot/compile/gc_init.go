package compile

import (
	"github.com/llir/llvm/ir"
	"github.com/llir/llvm/ir/constant"
	"github.com/llir/llvm/ir/enum"
	"github.com/llir/llvm/ir/types"

	"github.com/gcscope/gcscope/engine/gc"
)

// Initializing objects allocated inline.
//
// Buffer memory is not zeroed (engine/gc buffer_init.go): the inline
// allocation path writes every byte of the new object on the fast path,
// the header from a table of ready header words, and zeros wherever the
// instruction stores nothing. The slow path's helper returns a zeroed
// object, so the zeros are written on the fast path only; the values the
// instruction gives are stored after the two paths join.

// HeaderTableOffset is where, from the address in instance data word
// InstTypes, the header table starts for a module of nTypes types: after
// the u32 canonical ids (padded to 8 bytes), one u64 per type index, the
// header word of its objects (canonical id, kind << 32) for struct and
// array types, 0 for others. The loader fills both (setupData).
func HeaderTableOffset(nTypes int) int { return (nTypes + 1) / 2 * 8 }

// storeAt stores v at byte off (an i64 value) of the object at obj (i8*).
func (f *funcGen) storeAt(obj, off, v valueT) {
	b := f.cur
	p := b.NewBitCast(b.NewGetElementPtr(types.I8, obj, off), types.NewPointer(v.Type()))
	b.NewStore(v, p)
}

// zeroSpan stores zeros over bytes [from, to) of the object at obj, each
// store as wide as the alignment allows (objects are 8-aligned).
func (f *funcGen) zeroSpan(obj valueT, from, to uint32) {
	for at := from; at < to; {
		w := uint32(8)
		for at%w != 0 || at+w > to {
			w /= 2
		}
		f.storeAt(obj, i64c(int64(at)), zeroOfWidth(w))
		at += w
	}
}

// zeroOfWidth is the integer zero of w bytes.
func zeroOfWidth(w uint32) valueT {
	switch w {
	case 8:
		return i64c(0)
	case 4:
		return i32c(0)
	case 2:
		return constant.NewInt(types.I16, 0)
	}
	return constant.NewInt(types.I8, 0)
}

// maxUnrolledZero is the most bytes zeroSpan writes one store at a time
// for a default struct; larger ones take a loop (zeroWords).
const maxUnrolledZero = 64

// zeroWords stores 8-byte zeros over bytes [from, to) (i64 values,
// multiples of 8) of the object at obj with a loop.
func (f *funcGen) zeroWords(obj, from, to valueT) {
	pre := f.cur
	hdr, body, exit := f.newBlock(), f.newBlock(), f.newBlock()
	pre.NewBr(hdr)
	at := hdr.NewPhi(ir.NewIncoming(from, pre))
	hdr.NewCondBr(hdr.NewICmp(enum.IPredULT, at, to), body, exit)
	f.cur = body
	f.storeAt(obj, at, i64c(0))
	next := body.NewAdd(at, i64c(8))
	at.Incs = append(at.Incs, ir.NewIncoming(next, body))
	body.NewBr(hdr)
	f.cur = exit
}

// zeroStruct writes zeros over the bytes of a struct of layout l that the
// instruction does not store: every field not in written, and padding.
func (f *funcGen) zeroStruct(obj valueT, l *gc.Layout, written func(i int) bool) {
	spans := l.ZeroSpans(written)
	total := uint32(0)
	for _, s := range spans {
		total += s[1] - s[0]
	}
	if total > maxUnrolledZero && len(spans) == 1 && spans[0][0]%8 == 0 && spans[0][1]%8 == 0 {
		// A default struct (or one given mostly zeros at its end): a loop.
		f.zeroWords(obj, i64c(int64(spans[0][0])), i64c(int64(spans[0][1])))
		return
	}
	for _, s := range spans {
		f.zeroSpan(obj, s[0], s[1])
	}
}
