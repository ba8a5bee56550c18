package compile

import (
	"github.com/llir/llvm/ir/enum"
	"github.com/llir/llvm/ir/types"

	w "github.com/gcscope/gcscope/engine/wasm"
)

// instr translates one instruction.
func (f *funcGen) instr(in *w.Instr) error {
	f.settleTest(in)
	if ok, err := f.control(in); ok || err != nil {
		return err
	}
	if f.dead {
		return nil
	}
	if f.numeric(in) || f.memory(in) || f.simd(in) || f.atomic(in) {
		return nil
	}
	if ok, err := f.gcInstr(in); ok || err != nil {
		return err
	}
	b := f.cur
	switch in.Op {
	case w.OpNop:
	case w.OpDrop:
		f.pop()
	case w.OpSelect, w.OpSelectT:
		c, y, x := f.pop(), f.pop(), f.pop()
		if _, err := llType(valTypeOf(x)); err != nil {
			return err
		}
		r := b.NewSelect(b.NewICmp(enum.IPredNE, c, i32c(0)), x, y)
		if f.isRef(x) || f.isRef(y) {
			f.pushRef(r)
		} else {
			f.push(r)
		}
	case w.OpLocalGet:
		if int(in.Index) >= len(f.locals) {
			return unsupported("local %d", in.Index)
		}
		f.pushT(f.getLocal(in.Index), f.fr.lwasm[in.Index]) // debug_slots.go
	case w.OpLocalSet, w.OpLocalTee:
		if int(in.Index) >= len(f.locals) {
			return unsupported("local %d", in.Index)
		}
		v := f.pop()
		f.setLocal(in.Index, v)
		f.dbgLocalSet(in.Index) // debug_clean.go
		if in.Op == w.OpLocalTee {
			f.push(v)
		}
	case w.OpGlobalGet, w.OpGlobalSet:
		if int(in.Index) >= len(f.g.globals) {
			return unsupported("global %d", in.Index)
		}
		t, err := llType(f.g.globals[in.Index].Val)
		if err != nil {
			return err
		}
		p := f.globalSlot(in.Index)
		if in.Op == w.OpGlobalGet {
			var v valueT
			if !f.g.globals[in.Index].Mutable && f.g.dbg == nil && !isV128(t) {
				// An immutable global's value: invariant.go.
				v = fromSlot(f.cur, f.loadInvariant(types.I64, slotAt(f.cur, p, 0)), t)
			} else {
				v, _ = getSlot(f.cur, p, 0, t)
			}
			f.pushT(v, f.g.globals[in.Index].Val)
		} else {
			putSlot(f.cur, p, 0, f.pop())
		}
	case w.OpRefNull:
		if _, err := llType(w.ValType{Kind: w.KindRef, Nullable: true, Heap: in.Ref.Heap}); err != nil {
			return err
		}
		f.pushRef(i32c(0))
	case w.OpRefIsNull:
		f.push(b.NewZExt(b.NewICmp(enum.IPredEQ, f.pop(), i32c(0)), types.I32))
	case w.OpRefFunc, w.OpTableGet, w.OpTableSet, w.OpTableSize, w.OpTableGrow, w.OpTableFill,
		w.OpTableCopy, w.OpTableInit, w.OpElemDrop, w.OpMemoryInit, w.OpDataDrop:
		f.runtimeOp(in)
	case w.OpCall:
		return f.call(in)
	case w.OpCallIndirect:
		return f.callIndirect(in)
	default:
		return unsupported("instruction %s", in.Op)
	}
	return nil
}

// valTypeOf is only used to refuse reference-typed selects: every value
// the translation makes has a number type, so this always succeeds.
func valTypeOf(v valueT) w.ValType {
	switch v.Type() {
	case types.I32:
		return w.I32
	case types.I64:
		return w.I64
	case types.Float:
		return w.F32
	case types.Double:
		return w.F64
	case v128T:
		return w.V128
	}
	return w.ValType{Kind: w.KindRef}
}

// globalSlot addresses global i: the env's globals area is a table of
// pointers, one per global of the instance's index space, each to the
// global's 64-bit value (so imported and exported globals are shared).
func (f *funcGen) globalSlot(i uint32) valueT {
	tbl := f.cur.NewIntToPtr(f.loadEnvInvariant(envGlobals), slotPtr)
	p := f.loadInvariant(types.I64, f.cur.NewGetElementPtr(types.I64, tbl, i64c(int64(i))))
	return f.cur.NewIntToPtr(p, slotPtr)
}

type memOp struct {
	size  int64
	mem   types.Type // type in memory
	val   types.Type // Wasm value type
	sign  bool
	store bool
}

var memOps = map[w.Opcode]memOp{
	w.OpI32Load: {4, types.I32, types.I32, false, false}, w.OpI64Load: {8, types.I64, types.I64, false, false},
	w.OpF32Load: {4, types.Float, types.Float, false, false}, w.OpF64Load: {8, types.Double, types.Double, false, false},
	w.OpI32Load8S: {1, types.I8, types.I32, true, false}, w.OpI32Load8U: {1, types.I8, types.I32, false, false},
	w.OpI32Load16S: {2, types.I16, types.I32, true, false}, w.OpI32Load16U: {2, types.I16, types.I32, false, false},
	w.OpI64Load8S: {1, types.I8, types.I64, true, false}, w.OpI64Load8U: {1, types.I8, types.I64, false, false},
	w.OpI64Load16S: {2, types.I16, types.I64, true, false}, w.OpI64Load16U: {2, types.I16, types.I64, false, false},
	w.OpI64Load32S: {4, types.I32, types.I64, true, false}, w.OpI64Load32U: {4, types.I32, types.I64, false, false},
	w.OpI32Store: {4, types.I32, types.I32, false, true}, w.OpI64Store: {8, types.I64, types.I64, false, true},
	w.OpF32Store: {4, types.Float, types.Float, false, true}, w.OpF64Store: {8, types.Double, types.Double, false, true},
	w.OpI32Store8: {1, types.I8, types.I32, false, true}, w.OpI32Store16: {2, types.I16, types.I32, false, true},
	w.OpI64Store8: {1, types.I8, types.I64, false, true}, w.OpI64Store16: {2, types.I16, types.I64, false, true},
	w.OpI64Store32: {4, types.I32, types.I64, false, true},
}

// memory translates loads, stores and the memory.* instructions.
func (f *funcGen) memory(in *w.Instr) bool {
	if op, ok := memOps[in.Op]; ok {
		var v valueT
		if op.store {
			v = f.pop()
		}
		p := f.memAddress(in.Index, f.pop(), in.Value, op.size, op.mem)
		b := f.cur
		if op.store {
			if op.mem != op.val {
				v = b.NewTrunc(v, op.mem)
			}
			st := b.NewStore(v, p)
			st.Align = 1
			return true
		}
		ld := b.NewLoad(op.mem, p)
		ld.Align = 1
		var r valueT = ld
		if op.mem != op.val {
			if op.sign {
				r = b.NewSExt(ld, op.val)
			} else {
				r = b.NewZExt(ld, op.val)
			}
		}
		f.push(r)
		return true
	}
	return f.memoryOp(in)
}

// address bounds-checks an access of size bytes at addr+offset in memory 0
// and returns the native pointer (see memAddress for any memory). It is
// kept, with its old signature, for branches written against it (SIMD
// loads and stores), which should move to memAddress with in.Index.
//
//lint:ignore U1000 kept for code on other branches that calls it
func (f *funcGen) address(addr valueT, offset uint64, size int64, t types.Type) valueT {
	return f.memAddress(0, addr, offset, size, t)
}

// call translates a direct call: a defined callee is called natively; an
// imported one through the call helper with its arguments in slots.
func (f *funcGen) call(in *w.Instr) error {
	ft, err := f.g.funcType(in.Index)
	if err != nil {
		return err
	}
	if f.isLeafCall(in.Index) {
		f.leafCall(int(in.Index)-f.g.nImpFunc, ft) // leafcall.go
		return nil
	}
	if int(in.Index) >= f.g.nImpFunc {
		// A native callee roots its parameters itself (at its own
		// safepoints), so the arguments need no slots here.
		f.fr.skipTop = len(ft.Params)
	}
	owed := int(in.Index) >= f.g.nImpFunc && f.passesOwed(int(in.Index)-f.g.nImpFunc) // recowed.go
	f.fr.skipHeader = owed
	lazy, clean := f.dbgLazyCommit(in.Index) // debug_owed.go
	if !lazy {
		f.commit()
	}
	f.owedPaid()
	f.fr.skipTop, f.fr.skipHeader = 0, false
	args := f.popN(len(ft.Params))
	if int(in.Index) >= f.g.nImpFunc {
		callee := f.selfCallee(int(in.Index)-f.g.nImpFunc, f.g.funcs[int(in.Index)-f.g.nImpFunc])
		cargs := append([]valueT{f.env, f.next}, args...)
		var out valueT
		if len(ft.Results) > 1 {
			out = f.scratchSlots(slotCount(typesOf(ft.Results)))
			cargs = append(cargs, out)
		}
		cargs = f.specArgs(cargs) // debug_spec.go
		if owed {
			cargs = f.owedArgs(cargs)
		}
		r := f.levelCall(callee, cargs) // debug_word.go
		f.checkPending()
		if lazy {
			f.dbgReloadIfPaid(0, clean) // debug_owed.go
		} else {
			f.debugReload(0)
		}
		f.dbgKeepAfterCall() // debug_handback.go
		f.pushResults(ft, r, out)
		return nil
	}
	slots := f.spill(args, slotCount(typesOf(ft.Results)))
	f.publishTop()
	h := f.helper(HelperCall, types.Void, envPtr, types.I64, slotPtr)
	f.cur.NewCall(h, f.env, i64c(int64(in.Index)), slots)
	f.checkPending()
	f.debugReload(0)
	f.pushResults(ft, nil, slots)
	return nil
}

// spill stores call arguments into scratch slots large enough for the
// results too.
func (f *funcGen) spill(args []valueT, nres int) valueT {
	slots := f.scratchSlots(max(valueSlots(args), nres))
	k := 0
	for _, a := range args {
		k = putSlot(f.cur, slots, k, a)
	}
	return slots
}

// pushResults pushes a call's results: the return value, or the slots.
func (f *funcGen) pushResults(ft *w.CompositeType, r valueT, slots valueT) {
	if len(ft.Results) == 1 && r != nil {
		f.pushT(r, ft.Results[0])
		return
	}
	k := 0
	for _, t := range ft.Results {
		var v valueT
		v, k = getSlot(f.cur, slots, k, mustType(t))
		f.pushT(v, t)
	}
}

// callIndirect calls through a table: natively when the element is a
// function of this instance (callindirect.go), else through the
// call_indirect helper, which resolves the element, checks its canonical
// type and calls it.
func (f *funcGen) callIndirect(in *w.Instr) error {
	if int(in.Index) >= len(f.g.m.Types) || f.g.m.Types[in.Index].Comp.Kind != w.CompFunc {
		return unsupported("call_indirect type %d", in.Index)
	}
	ft := &f.g.m.Types[in.Index].Comp
	for _, t := range append(append([]w.ValType{}, ft.Params...), ft.Results...) {
		if _, err := llType(t); err != nil {
			return err
		}
	}
	f.commit()
	elem := f.pop()
	args := f.popN(len(ft.Params))
	if !f.callIndirectDirect(in, ft, elem, args) {
		f.callIndirectHelper(in, ft, elem, args)
	}
	// One test after either path: the callee may have raised.
	f.checkPending()
	f.debugReload(len(ft.Results))
	return nil
}

// callIndirectHelper calls element elem through the call_indirect helper
// with the arguments in scratch slots and pushes the results.
func (f *funcGen) callIndirectHelper(in *w.Instr, ft *w.CompositeType, elem valueT, args []valueT) {
	slots := f.spill(args, slotCount(typesOf(ft.Results)))
	f.publishTop()
	h := f.helper(HelperCallIndirect, types.Void, envPtr, types.I64, types.I64, types.I64, slotPtr)
	f.cur.NewCall(h, f.env, i64c(int64(in.Index2)), i64c(int64(in.Index)), f.to64(elem), slots)
	f.pushResults(ft, nil, slots)
}

// opShape gives, for the instructions done by the op helper, how many
// operands they pop and whether they push a result (i32).
var opShape = map[w.Opcode]struct {
	pops   int
	result bool
}{
	w.OpRefFunc: {0, true}, w.OpTableGet: {1, true}, w.OpTableSet: {2, false}, w.OpTableSize: {0, true},
	w.OpTableGrow: {2, true}, w.OpTableFill: {3, false}, w.OpTableCopy: {3, false}, w.OpTableInit: {3, false},
	w.OpElemDrop: {0, false}, w.OpMemoryInit: {3, false}, w.OpDataDrop: {0, false},
}

// runtimeOp calls the op helper with the operands in scratch slots.
func (f *funcGen) runtimeOp(in *w.Instr) {
	if f.tableAccess(in) { // table_access.go: not a safepoint
		return
	}
	sh := opShape[in.Op]
	f.commit()
	args := f.popN(sh.pops)
	// Three slots always: the helper reads the operands of the largest
	// shape whatever the instruction.
	slots := f.spill(args, 3)
	f.publishTop()
	h := f.helper(HelperOp, types.I64, envPtr, types.I64, types.I64, slotPtr)
	imm := int64(in.Index) | int64(in.Index2)<<32
	r := f.cur.NewCall(h, f.env, i64c(int64(in.Op)), i64c(imm), slots)
	switch {
	case in.Op == w.OpRefFunc || in.Op == w.OpTableGet:
		f.pushRef(f.cur.NewTrunc(r, types.I32))
	case sh.result:
		f.push(f.opResult(in, r))
	}
}
