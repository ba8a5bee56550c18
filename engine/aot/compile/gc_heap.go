package compile

import (
	"github.com/llir/llvm/ir"
	"github.com/llir/llvm/ir/constant"
	"github.com/llir/llvm/ir/enum"
	"github.com/llir/llvm/ir/types"

	"github.com/gcscope/gcscope/engine/gc"
	w "github.com/gcscope/gcscope/engine/wasm"
)

// layout returns the engine/gc layout of module type t (nil if it is not
// a struct or array type), the one the runtime registers for its
// canonical id: field offsets are therefore compile-time constants.
func (g *modGen) layout(t uint32) *gc.Layout {
	if g.layouts == nil {
		g.layouts = map[uint32]*gc.Layout{}
	}
	if l, ok := g.layouts[t]; ok {
		return l
	}
	var l *gc.Layout
	if int(t) < len(g.m.Types) {
		if c := &g.m.Types[t].Comp; c.Kind == w.CompStruct || c.Kind == w.CompArray {
			l = gc.NewLayout(c)
		}
	}
	g.layouts[t] = l
	return l
}

// objLayout returns the layout of a struct (or array) type, or an
// Unsupported error when t is not one.
func (f *funcGen) objLayout(t uint32, k gc.Kind) (*gc.Layout, error) {
	l := f.g.layout(t)
	if l == nil || l.Kind != k {
		return nil, unsupported("type %d is not a %s type", t, k)
	}
	return l, nil
}

// memType is the LLVM type of a field as stored.
func memType(fd gc.Field) types.Type {
	switch fd.Packed {
	case w.PackedI8:
		return types.I8
	case w.PackedI16:
		return types.I16
	}
	switch fd.Val {
	case w.KindI64:
		return types.I64
	case w.KindF32:
		return types.Float
	case w.KindF64:
		return types.Double
	case w.KindV128:
		return v128T
	}
	return types.I32 // i32 and references
}

// instWord loads instance data word k (see InstTypes), stored after the
// globals table.
// The words are written once before the instance's code runs, so the
// loads are invariant (invariant.go).
func (f *funcGen) instWord(k int) valueT {
	return f.memo(memoKey{memoInstWord, int64(k)}, func() valueT { // block_memo.go
		tbl := f.cur.NewIntToPtr(f.loadEnvInvariant(envGlobals), slotPtr)
		return f.loadInvariant(types.I64, f.cur.NewGetElementPtr(types.I64, tbl, i64c(int64(len(f.g.globals)+k))))
	})
}

// canonID loads the canonical type id of module type t (invariant).
func (f *funcGen) canonID(t uint32) valueT {
	return f.memo(memoKey{memoCanonID, int64(t)}, func() valueT { // block_memo.go
		tbl := f.cur.NewIntToPtr(f.instWord(InstTypes), types.NewPointer(types.I32))
		return f.loadInvariant(types.I32, f.cur.NewGetElementPtr(types.I32, tbl, i64c(int64(t))))
	})
}

// objPtr is the address of byte off of the object r: heap base + r + off.
func (f *funcGen) objPtr(r valueT, off valueT, t types.Type) valueT {
	b := f.cur
	base := f.heapBase() // block_memo.go, an invariant load
	p := b.NewGetElementPtr(types.I8, base, b.NewAdd(b.NewZExt(r, types.I64), off))
	return b.NewBitCast(p, types.NewPointer(t))
}

// nullCheck traps with code when r is null, unless validation proved the
// operand non-nullable (nonnull.go).
func (f *funcGen) nullCheck(r valueT, code int) {
	if f.operandNonNull() {
		return
	}
	f.trapIf(f.cur.NewICmp(enum.IPredEQ, r, i32c(0)), code)
}

// loadField reads a field or element at p and widens it for the operand
// stack: packed values sign-extended (sign) or zero-extended.
func (f *funcGen) loadField(p valueT, fd gc.Field, sign bool) valueT {
	mt := memType(fd)
	ld := f.cur.NewLoad(mt, p)
	if isV128(mt) {
		// gc.NewLayout aligns v128 fields and elements to 8 only.
		ld.Align = 8
	}
	v := valueT(ld)
	if fd.Packed != w.NotPacked {
		if sign {
			return f.cur.NewSExt(v, types.I32)
		}
		return f.cur.NewZExt(v, types.I32)
	}
	return v
}

// storeField writes v (an operand) to the field or element at p.
func (f *funcGen) storeField(p valueT, fd gc.Field, v valueT) {
	if fd.Packed != w.NotPacked {
		v = f.cur.NewTrunc(v, memType(fd))
	}
	if fd.Val == w.KindV128 {
		f.cur.NewStore(f.as(v, v128T), p).Align = 8
		return
	}
	f.cur.NewStore(v, p)
}

// pushField pushes a field value; references are marked as such.
func (f *funcGen) pushField(v valueT, fd gc.Field) {
	if fd.Ref() {
		f.pushRef(v)
		return
	}
	f.push(v)
}

// alloc allocates an object of module type t of size bytes
// (i64) and returns its Ref. n is an array's length (i32), nil for a
// struct. The fast path bumps the thread's allocation buffer (the record's
// alloc_cursor/alloc_limit words) as gc.Heap's Go fast path does: the
// header word (canonical id and kind, from the header table, loaded once
// in the function's entry block, gc_hoist.go) at the old cursor, an array's length as 8 bytes
// after its last 8 bytes are zeroed, then init (nil: nothing more) writes
// zeros over whatever the instruction will not store itself, since buffer
// memory is not zeroed (engine/gc buffer_init.go). The object's bit in
// the start bitmap is not set: the buffer's objects lie end to end, so
// the runtime sets the bits of everything below the cursor in one walk
// over the headers when it needs them (engine/gc buffer_publish.go; the
// read-modify-write was about a fifth of each allocation's instructions),
// which needs the header and the cursor in memory at every call, as they
// are on this path. In stress mode buffers stay empty, so the room check
// fails. Otherwise the frame is committed (the operands still on the
// stack are roots) and the op helper allocates a zeroed object, refilling
// the buffer and collecting. Call it before popping the instruction's
// operands.
func (f *funcGen) alloc(t uint32, size valueT, n valueT, init func(obj valueT)) valueT {
	if f.outlineAlloc {
		return f.allocOutlined(t, size, n, init) // alloc_outline.go
	}
	b := f.cur
	kept := f.dbgKeptWord() // debug_word_alloc.go
	// The variable or the env word (alloc_cursor.go).
	cur := f.loadCursor()
	end := b.NewAdd(cur, size) // cannot wrap: cur < 4 GiB, size < 2^36
	var full valueT = b.NewICmp(enum.IPredUGT, end, f.loadEnv(envAllocLimit))
	if !fitsInline(size) {
		full = b.NewOr(full, b.NewICmp(enum.IPredUGT, size, i64c(maxInlineAlloc)))
	}
	fast, slow, join := f.newBlock(), f.newBlock(), f.newBlock()
	// Cold: one allocation in thousands refills (its code then leaves the
	// hot path's lines, docs/aot-compiler.md "binary_trees (aot-trees)").
	f.coldBr(full, slow, fast)

	f.cur = fast
	fast.NewStore(end, f.envWord(envAllocCursor))
	f.keepCursor(end)
	ref := fast.NewTrunc(cur, types.I32)
	obj := fast.NewGetElementPtr(types.I8, f.heapBase(), cur)
	if n != nil {
		// The padding after the last element (or, for an empty array,
		// after the length), before the length and elements go over it.
		f.storeAt(obj, fast.NewAdd(size, i64c(-8)), i64c(0))
	}
	f.storeAt(obj, i64c(gc.TypeIDOffset), f.entryHeaderWord(t))
	if n != nil {
		// 8 bytes: the 4 after the length are padding, or the start of
		// element 0, which the instruction writes after this.
		f.storeAt(obj, i64c(gc.ArrayLenOffset), fast.NewZExt(n, types.I64))
	}
	if init != nil {
		init(obj)
	}
	fastEnd := f.cur
	f.cur.NewBr(join)

	f.cur = slow
	f.commit()
	op := int64(OpAllocStruct)
	slots := f.scratchSlots(1)
	if n != nil {
		op = OpAllocArray
		f.cur.NewStore(f.cur.NewZExt(n, types.I64), slotAt(f.cur, slots, 0))
	}
	f.publishTop()
	h := f.helper(HelperOp, types.I64, envPtr, types.I64, types.I64, slotPtr)
	r := f.cur.NewTrunc(f.cur.NewCall(h, f.env, i64c(op), i64c(int64(t)), slots), types.I32)
	f.dbgRekeepWord(kept) // debug_word_alloc.go
	slowEnd := f.cur
	f.cur.NewBr(join)

	f.cur = join
	return join.NewPhi(ir.NewIncoming(ref, fastEnd), ir.NewIncoming(r, slowEnd))
}

// fitsInline reports whether the constant size c is small enough for the
// inline path (no run-time check needed).
func fitsInline(c valueT) bool {
	k, ok := c.(*constant.Int)
	return ok && k.X.IsInt64() && k.X.Int64() <= maxInlineAlloc
}

// arraySize is the byte size of an array of n (i32) elements of layout l,
// in 64 bits so it cannot overflow (gc.Layout.ArraySize).
func (f *funcGen) arraySize(l *gc.Layout, n valueT) valueT {
	b := f.cur
	s := b.NewAdd(b.NewMul(b.NewZExt(n, types.I64), i64c(int64(l.ElemSize))), i64c(int64(l.ElemOffset)+7))
	return b.NewAnd(s, i64c(^int64(7)))
}

// elemPtr addresses element i (i32) of array r.
func (f *funcGen) elemPtr(r valueT, l *gc.Layout, i valueT) valueT {
	b := f.cur
	off := b.NewAdd(b.NewMul(b.NewZExt(i, types.I64), i64c(int64(l.ElemSize))), i64c(int64(l.ElemOffset)))
	return f.objPtr(r, off, memType(l.Fields[0]))
}

// fillElems stores v into elements [from, from+n) of array r with a loop.
func (f *funcGen) fillElems(r valueT, l *gc.Layout, from, n, v valueT) {
	pre := f.cur
	hdr, body, exit := f.newBlock(), f.newBlock(), f.newBlock()
	end := pre.NewAdd(from, n)
	pre.NewBr(hdr)
	i := hdr.NewPhi(ir.NewIncoming(from, pre))
	hdr.NewCondBr(hdr.NewICmp(enum.IPredULT, i, end), body, exit)
	f.cur = body
	f.storeField(f.elemPtr(r, l, i), l.Fields[0], v)
	next := f.cur.NewAdd(i, i32c(1))
	i.Incs = append(i.Incs, ir.NewIncoming(next, f.cur))
	f.cur.NewBr(hdr)
	f.cur = exit
}
