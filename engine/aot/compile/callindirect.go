package compile

import (
	"github.com/llir/llvm/ir/enum"
	"github.com/llir/llvm/ir/types"

	"github.com/gcscope/gcscope/engine/gc"
	w "github.com/gcscope/gcscope/engine/wasm"
)

// call_indirect without the helper. The table's elements are read
// natively through its descriptor (InstTables: the table's element array
// and length, as the runtime keeps them), so the spec's checks cost a few
// loads; a funcref of this instance whose canonical type is the call's
// (or one of the module's own subtypes of it) is then called directly,
// like call_ref's direct path. Everything else (another instance's or a
// host function, an import, a subtype from elsewhere, and a type
// mismatch, which the helper reports) goes through the helper as before.

// tableDesc loads the address of table k's descriptor: word 0 the address
// of its first element (4-byte references), word 1 its length.
func (f *funcGen) tableDesc(k uint32) valueT {
	tbl := f.cur.NewIntToPtr(f.instWord(InstTables), slotPtr)
	d := f.cur.NewLoad(types.I64, f.cur.NewGetElementPtr(types.I64, tbl, i64c(int64(k))))
	return f.cur.NewIntToPtr(d, slotPtr)
}

// tableElem reads element idx (i64) of table k, trapping "undefined
// element" when idx is past the table's current size.
func (f *funcGen) tableElem(k uint32, idx valueT) valueT {
	d := f.tableDesc(k)
	n := f.cur.NewLoad(types.I64, f.cur.NewGetElementPtr(types.I64, d, i64c(1)))
	f.trapIf(f.cur.NewICmp(enum.IPredUGE, idx, n), TrapUndefinedElement)
	// Reloaded after the check: the block changed.
	d = f.tableDesc(k)
	elems := f.cur.NewIntToPtr(f.cur.NewLoad(types.I64, d), types.NewPointer(types.I32))
	return f.cur.NewLoad(types.I32, f.cur.NewGetElementPtr(types.I32, elems, idx))
}

// resolveIndirect does call_indirect's checks natively for element idx
// (i64) of table tbl against module type t: it traps for an index out of
// range and a null element, and returns (i64) the defined index of the
// callee when it is a function of this instance whose canonical type is
// t's or one of the module's subtypes of t, else -1 (the helper decides:
// a subtype from elsewhere, a mismatch, a function of another instance).
func (f *funcGen) resolveIndirect(tbl, t uint32, idx valueT) valueT {
	r := f.tableElem(tbl, idx)
	f.trapIf(f.cur.NewICmp(enum.IPredEQ, r, i32c(0)), TrapUninitializedElement)
	id := f.cur.NewLoad(types.I32, f.objPtr(r, i64c(gc.TypeIDOffset), types.I32))
	match := valueT(f.cur.NewICmp(enum.IPredEQ, id, f.canonID(t)))
	if !f.g.m.Types[t].Final {
		for _, s := range f.g.moduleSubtypes(t) {
			match = f.cur.NewOr(match, f.cur.NewICmp(enum.IPredEQ, id, f.canonID(s)))
		}
	}
	num := f.cur.NewZExt(f.cur.NewLoad(types.I32, f.objPtr(r, i64c(gc.PayloadOffset), types.I32)), types.I64)
	base := f.instWord(InstFuncBase)
	k := f.cur.NewSub(num, base)
	// Own instance: base is not all ones and k is a defined index.
	own := f.cur.NewAnd(f.cur.NewICmp(enum.IPredNE, base, i64c(-1)),
		f.cur.NewICmp(enum.IPredULT, k, i64c(int64(len(f.g.funcs)))))
	return f.cur.NewSelect(f.cur.NewAnd(match, own), k, i64c(-1))
}

// callIndirectDirect emits call_indirect's fast path when the module has
// defined functions of the call's native signature: the element is
// resolved natively, then a switch calls the callee (at most
// maxDirectTargets targets and one result) or, for more, its entry
// wrapper is called through the entry table; other callees take the
// helper. It reports false (nothing emitted) when no defined function
// could be the callee.
func (f *funcGen) callIndirectDirect(in *w.Instr, ft *w.CompositeType, elem valueT, args []valueT) bool {
	if f.top == nil || int(in.Index2) >= len(f.g.tables) {
		return false
	}
	targets := f.g.callTargets(in.Index, ft)
	switch {
	case len(targets) == 0:
		return false
	case len(targets) > maxDirectTargets || len(ft.Results) > 1:
		f.callIndirectEntry(in, ft, elem, args)
		return true
	}
	idx := f.to64(elem)
	def := f.resolveIndirect(in.Index2, in.Index, idx)
	f.switchCall(def, targets, ft, args, func() { f.callIndirectHelper(in, ft, elem, args) })
	return true
}

// entrySig is the type of an entry wrapper: void entry(env*, i64* slots).
var entrySig = types.NewPointer(types.NewFunc(types.Void, envPtr, slotPtr))

// callIndirectEntry resolves the element natively and calls a function of
// this instance through its entry wrapper (InstEntries), which reads the
// arguments from the scratch slots and leaves the results there, as the
// helper does on the other path: one spill serves both.
func (f *funcGen) callIndirectEntry(in *w.Instr, ft *w.CompositeType, elem valueT, args []valueT) {
	slots := f.spill(args, slotCount(typesOf(ft.Results)))
	// The wrapper takes its frame top from the record, as the helper does.
	f.publishTop()
	def := f.resolveIndirect(in.Index2, in.Index, f.to64(elem))
	fast, slow, join := f.newBlock(), f.newBlock(), f.newBlock()
	f.cur.NewCondBr(f.cur.NewICmp(enum.IPredEQ, def, i64c(-1)), slow, fast)
	f.cur = fast
	tbl := f.cur.NewIntToPtr(f.instWord(InstEntries), slotPtr)
	entry := f.cur.NewLoad(types.I64, f.cur.NewGetElementPtr(types.I64, tbl, def))
	f.cur.NewCall(f.cur.NewIntToPtr(entry, entrySig), f.env, slots)
	f.cur.NewBr(join)
	f.cur = slow
	h := f.helper(HelperCallIndirect, types.Void, envPtr, types.I64, types.I64, types.I64, slotPtr)
	f.cur.NewCall(h, f.env, i64c(int64(in.Index2)), i64c(int64(in.Index)), f.to64(elem), slots)
	f.cur.NewBr(join)
	f.cur = join
	f.pushResults(ft, nil, slots)
}
