package compile

import (
	"github.com/llir/llvm/ir"
	"github.com/llir/llvm/ir/enum"
	"github.com/llir/llvm/ir/types"

	"github.com/gcscope/gcscope/engine/gc"
	w "github.com/gcscope/gcscope/engine/wasm"
)

// refTest computes (as an i1) whether reference r matches the cast target
// t, with the interpreter's rules (engine/interp refTest): null matches a
// nullable target; a non-null value always matches its hierarchy's top
// and never a bottom; i31 matches i31 and eq; structs and arrays match
// eq, struct/array and their concrete types with subtyping. Abstract
// targets and an exact canonical id are tested inline; a concrete target
// that may have subtypes falls back to the op helper when the id differs.
func (f *funcGen) refTest(r valueT, t w.ValType) valueT {
	b := f.cur
	// The operand's static type may rule out null and i31 (nonnull.go).
	var isNull, isI31 valueT = i1c(false), i1c(false)
	if !f.operandNonNull() {
		isNull = b.NewICmp(enum.IPredEQ, r, i32c(0))
	}
	if !f.operandNotI31() {
		isI31 = b.NewICmp(enum.IPredNE, b.NewAnd(r, i32c(1)), i32c(0))
	}
	// An object: neither null nor i31. Only objects' headers are read; the
	// others read the heap's first word (offset 0 is committed) instead
	// of an address an i31 would make up.
	isObj := b.NewXor(b.NewOr(isNull, isI31), i1c(true))
	safe := b.NewSelect(isObj, r, i32c(0))
	kindOf := func() valueT {
		k := f.cur.NewLoad(types.I32, f.objPtr(safe, i64c(gc.GCBitsOffset), types.I32))
		return f.cur.NewAnd(k, i32c(gc.KindMask))
	}
	kindIs := func(k valueT, want gc.Kind) valueT {
		return f.cur.NewICmp(enum.IPredEQ, k, i32c(int64(want)))
	}
	var nonNull valueT
	switch h := t.Heap; h {
	case w.HeapAny, w.HeapExtern, w.HeapFunc, w.HeapExn:
		nonNull = b.NewXor(isNull, i1c(true))
	case w.HeapNone, w.HeapNoFunc, w.HeapNoExtern, w.HeapNoExn:
		nonNull = i1c(false)
	case w.HeapI31:
		nonNull = isI31
	case w.HeapEq:
		k := kindOf()
		obj := f.cur.NewAnd(isObj, f.cur.NewOr(kindIs(k, gc.KindStruct), kindIs(k, gc.KindArray)))
		nonNull = f.cur.NewOr(isI31, obj)
	case w.HeapStruct:
		nonNull = f.cur.NewAnd(isObj, kindIs(kindOf(), gc.KindStruct))
	case w.HeapArray:
		nonNull = f.cur.NewAnd(isObj, kindIs(kindOf(), gc.KindArray))
	default:
		nonNull = f.concreteTest(r, safe, isObj, uint32(h))
	}
	if t.Nullable {
		return f.cur.NewOr(isNull, nonNull)
	}
	return nonNull
}

// concreteTest tests an object against module type ti: its header's
// canonical id equal to the type's or to one of the module's own subtypes
// of it (compared inline), or (unless the type is final, so no type can
// extend it) a subtype from elsewhere as the store's registry says.
func (f *funcGen) concreteTest(r, safe, isObj valueT, ti uint32) valueT {
	id := f.cur.NewLoad(types.I32, f.objPtr(safe, i64c(gc.TypeIDOffset), types.I32))
	match := valueT(f.cur.NewICmp(enum.IPredEQ, id, f.canonID(ti)))
	if int(ti) < len(f.g.m.Types) && f.g.m.Types[ti].Final {
		return f.cur.NewAnd(isObj, match)
	}
	for _, s := range f.g.moduleSubtypes(ti) {
		match = f.cur.NewOr(match, f.cur.NewICmp(enum.IPredEQ, id, f.canonID(s)))
	}
	exact := f.cur.NewAnd(isObj, match)
	from := f.cur
	slow, join := f.newBlock(), f.newBlock()
	// Only objects whose id differs need the display (or the registry).
	from.NewCondBr(f.cur.NewAnd(isObj, f.cur.NewXor(exact, i1c(true))), slow, join)
	f.cur = slow
	res := f.displayTest(r, id, ti) // gc_display.go
	slowEnd := f.cur
	f.cur.NewBr(join)
	f.cur = join
	return join.NewPhi(ir.NewIncoming(exact, from), ir.NewIncoming(res, slowEnd))
}

// subtypeHelper asks the op helper whether object r is a subtype of
// module type ti (the store's registry; no frame materialization).
func (f *funcGen) subtypeHelper(r valueT, ti uint32) valueT {
	slots := f.scratchSlots(1)
	f.cur.NewStore(f.cur.NewZExt(r, types.I64), slotAt(f.cur, slots, 0))
	kept := f.dbgKeptWord() // debug_word_alloc.go
	h := f.helper(HelperOp, types.I64, envPtr, types.I64, types.I64, slotPtr)
	c := f.cur.NewCall(h, f.env, i64c(OpRefTestSub), i64c(int64(ti)), slots)
	f.dbgRekeepWord(kept)
	return f.cur.NewICmp(enum.IPredNE, c, i64c(0))
}

// brOnRef translates br_on_null, br_on_non_null, br_on_cast and
// br_on_cast_fail: the reference stays on the stack on the side that
// keeps it (null goes nowhere).
func (f *funcGen) brOnRef(in *w.Instr) {
	r := f.stack[len(f.stack)-1]
	var take valueT
	keepOnBranch := true
	switch in.Op {
	case w.OpBrOnNull:
		take = f.cur.NewICmp(enum.IPredEQ, r, i32c(0))
		keepOnBranch = false
	case w.OpBrOnNonNull:
		take = f.cur.NewICmp(enum.IPredNE, r, i32c(0))
	case w.OpBrOnCast:
		take = f.refTest(r, in.Ref)
	default:
		take = f.cur.NewXor(f.refTest(r, in.Ref), i1c(true))
	}
	taken, cont := f.newBlock(), f.newBlock()
	f.cur.NewCondBr(take, taken, cont)
	f.cur = taken
	if !keepOnBranch {
		f.pop()
	}
	f.branch(int(in.Index))
	if !keepOnBranch {
		f.pushRef(r)
	}
	f.cur = cont
	if in.Op == w.OpBrOnNonNull {
		f.pop()
	}
}

// maxInlineSubtypes bounds the module subtypes a cast compares inline.
const maxInlineSubtypes = 8

// moduleSubtypes lists the module's types declared (transitively) as
// subtypes of type t, at most maxInlineSubtypes of them (none if there
// are more: the helper answers then).
func (g *modGen) moduleSubtypes(t uint32) []uint32 {
	var out []uint32
	for s := range g.m.Types {
		if uint32(s) != t && g.declaredSub(uint32(s), t) {
			out = append(out, uint32(s))
		}
	}
	if len(out) > maxInlineSubtypes {
		return nil
	}
	return out
}

// declaredSub reports whether module type s reaches t through declared
// supertypes (which always have smaller indices, so the walk ends).
func (g *modGen) declaredSub(s, t uint32) bool {
	for depth := 0; depth < 64; depth++ {
		if s == t {
			return true
		}
		sup := g.m.Types[s].Supers
		if len(sup) == 0 || sup[0] >= s {
			return false
		}
		s = sup[0]
	}
	return false
}
