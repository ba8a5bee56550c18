package compile

import (
	"github.com/llir/llvm/ir"
	"github.com/llir/llvm/ir/enum"
	"github.com/llir/llvm/ir/types"

	"github.com/gcscope/gcscope/engine/gc"
	w "github.com/gcscope/gcscope/engine/wasm"
)

// gcInstr translates the GC proposal's instructions and typed function
// references; it reports whether in was one of them.
func (f *funcGen) gcInstr(in *w.Instr) (bool, error) {
	var err error
	switch in.Op {
	case w.OpStructNew, w.OpStructNewDefault:
		err = f.structNew(in)
	case w.OpStructGet, w.OpStructGetS, w.OpStructGetU:
		err = f.structGet(in)
	case w.OpStructSet:
		err = f.structSet(in)
	case w.OpArrayNew, w.OpArrayNewDefault:
		err = f.arrayNew(in)
	case w.OpArrayNewFixed:
		err = f.arrayNewFixed(in)
	case w.OpArrayGet, w.OpArrayGetS, w.OpArrayGetU, w.OpArraySet:
		err = f.arrayAccess(in)
	case w.OpArrayLen:
		r := f.pop()
		f.nullCheck(r, TrapNullArray)
		f.push(f.cur.NewLoad(types.I32, f.objPtr(r, i64c(gc.ArrayLenOffset), types.I32)))
	case w.OpArrayNewData, w.OpArrayNewElem:
		f.gcHelper(in, 2, true)
	case w.OpArrayFill, w.OpArrayInitData, w.OpArrayInitElem:
		f.gcHelper(in, 4, false)
	case w.OpArrayCopy:
		f.gcHelper(in, 5, false)
	case w.OpRefI31:
		v := f.pop()
		f.pushRef(f.cur.NewOr(f.cur.NewShl(v, i32c(1)), i32c(1)))
	case w.OpI31GetS, w.OpI31GetU:
		r := f.pop()
		f.nullCheck(r, TrapNullI31)
		if in.Op == w.OpI31GetS {
			f.push(f.cur.NewAShr(r, i32c(1)))
		} else {
			f.push(f.cur.NewLShr(r, i32c(1)))
		}
	case w.OpRefEq:
		y, x := f.pop(), f.pop()
		f.push(f.cur.NewZExt(f.cur.NewICmp(enum.IPredEQ, x, y), types.I32))
	case w.OpRefAsNonNull:
		r := f.pop()
		f.nullCheck(r, TrapNullRef)
		f.pushRef(r)
	case w.OpAnyConvertExtern, w.OpExternConvertAny:
		// One representation serves both hierarchies (docs/gc-heap.md).
	case w.OpRefTest, w.OpRefTestNull:
		r := f.pop()
		f.push(f.cur.NewZExt(f.refTest(r, in.Ref), types.I32))
	case w.OpRefCast, w.OpRefCastNull:
		r := f.pop()
		f.trapIf(f.cur.NewXor(f.refTest(r, in.Ref), i1c(true)), TrapCastFailure)
		f.pushRef(r)
	case w.OpBrOnNull, w.OpBrOnNonNull, w.OpBrOnCast, w.OpBrOnCastFail:
		f.brOnRef(in)
	case w.OpCallRef:
		err = f.callRef(in)
	default:
		return false, nil
	}
	return true, err
}

func (f *funcGen) structNew(in *w.Instr) error {
	l, err := f.objLayout(in.Index, gc.KindStruct)
	if err != nil {
		return err
	}
	own := 0
	if in.Op == w.OpStructNew {
		own = len(l.Fields)
	}
	f.storeDeep(own) // commit_elide.go
	// The fields the instruction stores after the allocation: its
	// operands but constant zeros, which the fast path writes with the
	// padding (gc_init.go) and the slow path's object already holds.
	vs := f.stack[len(f.stack)-own:]
	written := func(k int) bool { return in.Op == w.OpStructNew && !isZeroConst(vs[k]) }
	r := f.alloc(in.Index, i64c(int64(l.Size)), nil, func(obj valueT) { f.zeroStruct(obj, l, written) })
	if in.Op == w.OpStructNew {
		vs := f.popN(len(l.Fields))
		for k, fd := range l.Fields {
			if written(k) {
				f.storeField(f.objPtr(r, i64c(int64(fd.Offset)), memType(fd)), fd, vs[k])
			}
		}
	}
	f.pushRef(r)
	return nil
}

// structField is the field struct.get/set's immediates name: field
// in.Index2 of struct type in.Index.
func (f *funcGen) structField(in *w.Instr) (gc.Field, error) {
	l, err := f.objLayout(in.Index, gc.KindStruct)
	if err != nil {
		return gc.Field{}, err
	}
	if int(in.Index2) >= len(l.Fields) {
		return gc.Field{}, unsupported("field %d of type %d", in.Index2, in.Index)
	}
	return l.Fields[in.Index2], nil
}

func (f *funcGen) structGet(in *w.Instr) error {
	fd, err := f.structField(in)
	if err != nil {
		return err
	}
	r := f.pop()
	f.nullCheck(r, TrapNullStruct)
	v := f.loadField(f.objPtr(r, i64c(int64(fd.Offset)), memType(fd)), fd, in.Op == w.OpStructGetS)
	f.pushField(v, fd)
	return nil
}

func (f *funcGen) structSet(in *w.Instr) error {
	fd, err := f.structField(in)
	if err != nil {
		return err
	}
	v, r := f.pop(), f.pop()
	f.nullCheck(r, TrapNullStruct)
	f.storeField(f.objPtr(r, i64c(int64(fd.Offset)), memType(fd)), fd, v)
	return nil
}

// arrayNew is array.new (value, length) and array.new_default (length).
func (f *funcGen) arrayNew(in *w.Instr) error {
	l, err := f.objLayout(in.Index, gc.KindArray)
	if err != nil {
		return err
	}
	n := f.stack[len(f.stack)-1]
	f.storeDeep(opShapeGC(in.Op)) // commit_elide.go
	size := f.arraySize(l, n)
	var init func(obj valueT)
	if in.Op == w.OpArrayNewDefault {
		// The elements after the length word's 8 bytes (gc_init.go).
		init = func(obj valueT) { f.zeroWords(obj, i64c(16), size) }
	}
	r := f.alloc(in.Index, size, n, init)
	f.pop()
	if in.Op == w.OpArrayNew {
		v := f.pop()
		f.fillElems(r, l, i32c(0), n, v)
	}
	f.pushRef(r)
	return nil
}

func (f *funcGen) arrayNewFixed(in *w.Instr) error {
	l, err := f.objLayout(in.Index, gc.KindArray)
	if err != nil {
		return err
	}
	n := int(in.Index2)
	f.storeDeep(n) // commit_elide.go
	r := f.alloc(in.Index, i64c(int64(l.ArraySize(uint32(n)))), i32c(int64(n)), nil)
	vs := f.popN(n)
	for k, v := range vs {
		f.storeField(f.elemPtr(r, l, i32c(int64(k))), l.Fields[0], v)
	}
	f.pushRef(r)
	return nil
}

// arrayAccess is array.get/_s/_u (array, index) and array.set (array,
// index, value): null check, bounds check against the length word, then
// the element inline.
func (f *funcGen) arrayAccess(in *w.Instr) error {
	l, err := f.objLayout(in.Index, gc.KindArray)
	if err != nil {
		return err
	}
	var v valueT
	if in.Op == w.OpArraySet {
		v = f.pop()
	}
	i, r := f.pop(), f.pop()
	f.nullCheck(r, TrapNullArray)
	n := f.cur.NewLoad(types.I32, f.objPtr(r, i64c(gc.ArrayLenOffset), types.I32))
	f.trapIf(f.cur.NewICmp(enum.IPredUGE, i, n), TrapArrayOOB)
	p := f.elemPtr(r, l, i)
	fd := l.Fields[0]
	if in.Op == w.OpArraySet {
		f.storeField(p, fd, v)
		return nil
	}
	f.pushField(f.loadField(p, fd, in.Op == w.OpArrayGetS), fd)
	return nil
}

// gcHelper runs an instruction in the op helper (engine/aot/loader
// gc_ops.go) with its pops operands in scratch slots; the ones that
// allocate push the new array. The frame is committed first: the
// allocating ones may collect, and every helper may report a trap.
func (f *funcGen) gcHelper(in *w.Instr, pops int, result bool) {
	f.commit()
	args := f.popN(pops)
	slots := f.spill(args, max(pops, 1))
	f.publishTop()
	h := f.helper(HelperOp, types.I64, envPtr, types.I64, types.I64, slotPtr)
	imm := int64(in.Index) | int64(in.Index2)<<32
	r := f.cur.NewCall(h, f.env, i64c(int64(in.Op)), i64c(imm), slots)
	if result {
		f.pushRef(f.cur.NewTrunc(r, types.I32))
	}
}

// callRef calls the funcref on top of the stack through the op helper
// (the runtime finds the function and calls it, native or not).
func (f *funcGen) callRef(in *w.Instr) error {
	if f.owesCallRef(in) { // callref_owed.go
		f.refOwe = &pendingCommit{}
		defer func() { f.refOwe = nil }()
	}
	ft, r, args, err := f.popFuncRefCall(in, "call_ref")
	if err != nil {
		return err
	}
	if !f.callRefDirect(in.Index, ft, r, args) {
		f.payPending(func() { f.callRefHelper(in.Index, ft, r, args) })
	}
	// One test after either path: the callee may have raised.
	f.checkPending()
	f.debugReload(len(ft.Results))
	return nil
}

// popFuncRefCall starts call_ref or return_call_ref (named by op): it
// checks the type immediate is a function type the compiler can lower,
// commits the frame (the call may collect, and a null funcref traps
// here), and pops the funcref, null-checked, and the arguments.
func (f *funcGen) popFuncRefCall(in *w.Instr, op string) (ft *w.CompositeType, r valueT, args []valueT, err error) {
	if int(in.Index) >= len(f.g.m.Types) || f.g.m.Types[in.Index].Comp.Kind != w.CompFunc {
		return nil, nil, nil, unsupported("%s type %d", op, in.Index)
	}
	ft = &f.g.m.Types[in.Index].Comp
	for _, t := range append(append([]w.ValType{}, ft.Params...), ft.Results...) {
		if _, err := llType(t); err != nil {
			return nil, nil, nil, err
		}
	}
	if f.refOwe != nil {
		f.oweCommit() // left to the switch's paths (callref_owed.go)
	} else {
		f.commit()
	}
	r = f.pop()
	args = f.popN(len(ft.Params))
	f.nullCheck(r, TrapNullFuncRef)
	return ft, r, args, nil
}

// callRefHelper calls funcref r through the op helper, with the arguments
// in scratch slots, and pushes the results. The funcref goes in the slot
// after the arguments and results, counted in slots: a v128 takes two,
// and counting values put the funcref on a v128's high half.
func (f *funcGen) callRefHelper(t uint32, ft *w.CompositeType, r valueT, args []valueT) {
	at := max(slotCount(typesOf(ft.Params)), slotCount(typesOf(ft.Results)))
	slots := f.spill(args, at+1)
	f.cur.NewStore(f.cur.NewZExt(r, types.I64), slotAt(f.cur, slots, at))
	f.publishTop()
	h := f.helper(HelperOp, types.I64, envPtr, types.I64, types.I64, slotPtr)
	f.cur.NewCall(h, f.env, i64c(OpCallRefSlots), i64c(int64(t)|int64(at)<<32), slots)
	f.pushResults(ft, nil, slots)
}

// maxDirectTargets bounds the functions call_ref dispatches to inline.
const maxDirectTargets = 32

// callRefDirect calls funcref r directly when it names a function of this
// instance: the funcref object's store number minus the instance's first
// (InstFuncBase) selects, by a switch, among the defined functions whose
// native signature is the call's and whose type may be a subtype of the
// call's (callTargets). Any other function takes the
// helper. Only for at most one result, and a bounded number of targets;
// it reports false (nothing emitted) otherwise.
func (f *funcGen) callRefDirect(t uint32, ft *w.CompositeType, r valueT, args []valueT) bool {
	if len(ft.Results) > 1 || f.top == nil {
		return false
	}
	targets := f.g.callTargets(t, ft)
	if len(targets) == 0 || len(targets) > maxDirectTargets {
		return false
	}
	// Likely targets first (callref_likely.go), then the switch.
	f.refLands = f.guessTargets(r, f.g.likelyTargets(f.g.m.Funcs[f.idx].Body, f.fr.pc, targets))
	def := f.funcRefDefined(r)       // callref_base.go
	f.refCases = f.leafSite(targets) // leaf targets' clones (leafcall.go)
	f.switchCall(def, targets, ft, args, func() { f.payPending(func() { f.callRefHelper(t, ft, r, args) }) })
	f.refCases, f.refLands = false, nil
	return true
}

// switchCall calls defined function def directly when it is one of
// targets (functions of type ft's native signature), through a switch,
// and otherwise runs slow, which must push the call's result (if any) as
// the helper paths do. The result, if any, is pushed. call_ref and
// call_indirect share it.
func (f *funcGen) switchCall(def valueT, targets []int, ft *w.CompositeType, args []valueT, slowPath func()) {
	from := f.cur
	join, slow := f.newBlock(), f.newBlock()
	var incs []*ir.Incoming
	var cases []*ir.Case
	for _, k := range targets {
		blk := f.newBlock()
		cases = append(cases, ir.NewCase(i64c(int64(k)), blk))
		if l := f.refLands[k]; l != nil {
			l.NewBr(blk) // a likely target's match (callref_likely.go)
		}
		f.cur = blk
		res := f.caseCall(k, args) // leafcall.go
		if len(ft.Results) == 1 {
			incs = append(incs, ir.NewIncoming(res, f.cur))
		}
		f.cur.NewBr(join)
	}
	from.NewSwitch(def, slow, cases...)
	f.cur = slow
	slowPath()
	if len(ft.Results) == 1 {
		incs = append(incs, ir.NewIncoming(f.pop(), f.cur))
	}
	f.cur.NewBr(join)
	f.cur = join
	if len(ft.Results) == 1 {
		f.pushT(join.NewPhi(incs...), ft.Results[0])
	}
}

// sameSig reports whether function fi of m has the native signature of
// type ft: the same LLVM parameter and result types.
func sameSig(m *w.Module, fi uint32, ft *w.CompositeType) bool {
	ti, ok := m.FuncTypeIndex(fi)
	if !ok || int(ti) >= len(m.Types) {
		return false
	}
	g := &m.Types[ti].Comp
	if len(g.Params) != len(ft.Params) || len(g.Results) != len(ft.Results) {
		return false
	}
	same := func(a, b w.ValType) bool {
		x, err1 := llType(a)
		y, err2 := llType(b)
		return err1 == nil && err2 == nil && x.Equal(y)
	}
	for i := range g.Params {
		if !same(g.Params[i], ft.Params[i]) {
			return false
		}
	}
	for i := range g.Results {
		if !same(g.Results[i], ft.Results[i]) {
			return false
		}
	}
	return true
}
