package compile

import (
	"maps"
	"slices"

	"github.com/llir/llvm/ir/enum"
	"github.com/llir/llvm/ir/types"

	w "github.com/gcscope/gcscope/engine/wasm"
)

// Guarded accesses: bounds checks a versioned loop's fast copy leaves out.
//
// sieve's inner loop is `br_if $out (j >=u n); i32.store8 (j) ...; j += i`:
// the address changes in every iteration, so no check before the loop
// implies the store's, and the check (a compare and a branch) ran in every
// iteration where gcc's loop has none. But the store only runs when j <u n,
// and n does not change in the loop: if n - 1 + offset + size <= the memory
// size, no iteration can fail its check, whatever j does (it may even wrap).
//
// So for a loop versionLoopEnd accepts, the plan below finds the accesses
// whose address is a local L dominated, within one iteration, by a test
// that L <u X, with X a constant or a local the loop never assigns, and L
// not assigned between the test and the access. The fast copy is entered
// only when, for every such access, zext(X) + offset + size - 1 <= the
// cached size; then those accesses skip their check (the size cannot
// shrink, and the fast copy leaves for the slow one when it changes).
// Otherwise the slow copy runs from the start, every check in place, so a
// loop that runs past the memory traps at the exact iteration and access.
//
// The tests recognized are the ones compilers and hand-written loops use
// to leave or skip: `br_if (L >=u X)` or `br_if (X <=u L)` (the code after
// it, to the end of the enclosing block, runs only when L <u X), and
// `if (L <u X)` or `if (X >u L)` (its then-branch). Each is four
// instructions in a row (two operands, the compare, the branch), so no
// operand stack simulation is needed to read it.

// loopGuard is a guarded access: its address is at most (X-1)*scale
// for the bound X; the access's memory and its end (offset + size, or a
// group lead's largest end).
type loopGuard struct {
	mem   uint32
	bound boundsSym // symConst or symLocal (the loop never assigns it)
	scale uint32
	end   uint64
}

// guardFact is "local <= (bound-1)*scale" at a point of a loop body:
// local <u bound (scale 1), or local = L*scale set where L <u bound held
// (nbody's `b = j*56` after `j <u 5`).
type guardFact struct {
	local uint32
	bound boundsSym
	scale uint32
}

// planLoopGuards returns the guarded accesses of the loop body[pc:end]
// (pc its loop instruction), by pc, and the fact its first iteration
// must be entered with (nil when none): a loop that ends with
// `br_if $l (L <u X)` and has no other way round starts every later
// iteration with L <u X, and its first one too when the fast copy is
// only entered then. Grouped accesses (boundsgroup.go) are left to their
// group, but for a lead, whose guard covers the group.
func (f *funcGen) planLoopGuards(body []w.Instr, pc, end int) (map[int]loopGuard, *guardFact) {
	if f.bp == nil {
		return nil, nil
	}
	assigned := loopAssigned(body, pc, end)
	fact := func(i int, lt bool) (guardFact, bool) { return compareFact(body, pc, i, lt, assigned) }
	// scopes holds the facts of each open block, innermost last.
	scopes := [][]guardFact{nil}
	var entry *guardFact
	if g, ok := bottomTest(body, pc, end, assigned); ok {
		scopes[0], entry = []guardFact{g}, &g
	}
	top := func() []guardFact { return scopes[len(scopes)-1] }
	out := map[int]loopGuard{}
	for i := pc + 1; i < end-1; i++ {
		in := &body[i]
		switch in.Op {
		case w.OpBlock:
			scopes = append(scopes, append([]guardFact(nil), top()...))
		case w.OpLoop:
			// Never in a versioned loop (innermost loops only); were it
			// there, its back edge would bypass facts learnt in it.
			scopes = append(scopes, nil)
		case w.OpIf:
			s := append([]guardFact(nil), top()...)
			if g, ok := fact(i-1, true); ok {
				s = append(s, g)
			}
			scopes = append(scopes, s)
		case w.OpElse:
			scopes[len(scopes)-1] = append([]guardFact(nil), scopes[len(scopes)-2]...)
		case w.OpEnd:
			scopes = scopes[:len(scopes)-1]
			if len(scopes) == 0 {
				return out, entry // malformed nesting: never for a validated body
			}
		case w.OpBrIf:
			if g, ok := fact(i-1, false); ok {
				scopes[len(scopes)-1] = append(top(), g)
			}
		case w.OpLocalSet, w.OpLocalTee:
			derived, ok := scaled(body, i, pc, top())
			for j, s := range scopes {
				var kept []guardFact
				for _, g := range s {
					if g.local != in.Index {
						kept = append(kept, g)
					}
				}
				scopes[j] = kept
			}
			if ok && in.Op == w.OpLocalSet {
				derived.local = in.Index
				scopes[len(scopes)-1] = append(top(), derived)
			}
		default:
			op, ok := memOps[in.Op]
			if !ok {
				continue
			}
			end := in.Value + uint64(op.size)
			if grp, lead := f.bp.lead[i]; lead {
				// Guarding the lead covers its group (the members
				// check nothing either way).
				if grp.mem != in.Index {
					continue
				}
				end = grp.maxEnd
			}
			if _, member := f.bp.member[i]; member {
				continue
			}
			a, ok := f.bp.addr[i]
			if !ok || a.kind != symLocal || a.gen != setsBefore(body, a.local, i) {
				continue // the operand is not the local's current value
			}
			for _, g := range top() {
				if g.local == a.local {
					out[i] = loopGuard{mem: in.Index, bound: g.bound, scale: g.scale, end: end}
					break
				}
			}
		}
	}
	if len(out) == 0 {
		entry = nil
	}
	return out, entry
}

// loopAssigned lists the locals the loop body[pc:end] assigns.
func loopAssigned(body []w.Instr, pc, end int) map[uint32]bool {
	assigned := map[uint32]bool{}
	for i := pc + 1; i < end; i++ {
		if op := body[i].Op; op == w.OpLocalSet || op == w.OpLocalTee {
			assigned[body[i].Index] = true
		}
	}
	return assigned
}

// invariantAt names the value body[i] pushes when it is a local the
// loop does not assign or an i32 constant.
func invariantAt(body []w.Instr, i int, assigned map[uint32]bool) (boundsSym, bool) {
	switch body[i].Op {
	case w.OpLocalGet:
		if !assigned[body[i].Index] {
			return boundsSym{kind: symLocal, local: body[i].Index}, true
		}
	case w.OpI32Const:
		return boundsSym{kind: symConst, c: uint32(body[i].Value)}, true
	}
	return boundsSym{}, false
}

// compareFact reads the compare at body[i] (its operands at i-2 and i-1,
// both after the loop instruction at pc) as "L <u X when the compare is
// true" (lt) or "... when it is false" (!lt), X loop invariant.
func compareFact(body []w.Instr, pc, i int, lt bool, assigned map[uint32]bool) (guardFact, bool) {
	if i < pc+3 {
		return guardFact{}, false
	}
	a, b, op := body[i-2], body[i-1], body[i].Op
	direct, swapped := w.OpI32GeU, w.OpI32LeU
	if lt {
		direct, swapped = w.OpI32LtU, w.OpI32GtU
	}
	switch {
	case op == direct && a.Op == w.OpLocalGet:
		if x, ok := invariantAt(body, i-1, assigned); ok {
			return guardFact{a.Index, x, 1}, true
		}
	case op == swapped && b.Op == w.OpLocalGet:
		if x, ok := invariantAt(body, i-2, assigned); ok {
			return guardFact{b.Index, x, 1}, true
		}
	}
	return guardFact{}, false
}

// bottomTest returns the fact L <u X of a loop body[pc:end] that ends
// with `br_if $l (L <u X)` (or X >u L) and has no other branch to $l.
func bottomTest(body []w.Instr, pc, end int, assigned map[uint32]bool) (guardFact, bool) {
	last := end - 2
	if last <= pc || body[end-1].Op != w.OpEnd || body[last].Op != w.OpBrIf || body[last].Index != 0 {
		return guardFact{}, false
	}
	if !onlyBackEdge(body, pc, end, last) {
		return guardFact{}, false
	}
	return compareFact(body, pc, last-1, true, assigned)
}

// onlyBackEdge reports whether no branch in the loop body[pc:end] but
// the one at last targets the loop.
func onlyBackEdge(body []w.Instr, pc, end, last int) bool {
	depth := 0 // blocks open inside the loop
	for i := pc + 1; i < end-1; i++ {
		in := body[i]
		switch in.Op {
		case w.OpBlock, w.OpLoop, w.OpIf:
			depth++
		case w.OpEnd:
			depth--
		case w.OpBr, w.OpBrIf:
			if int(in.Index) == depth && i != last {
				return false
			}
		case w.OpBrTable:
			for _, l := range in.Ext.Labels {
				if int(l) == depth {
					return false
				}
			}
		}
	}
	return true
}

// scaled reads the assignment at body[i] as local.set (i32.mul
// (local.get L) (i32.const c)) (either operand order) with a fact for L
// in facts, and returns the fact for the assigned value (its local left
// to the caller). The value's bound holds while it is not reassigned,
// whatever becomes of L.
func scaled(body []w.Instr, i, pc int, facts []guardFact) (guardFact, bool) {
	if i < pc+4 || body[i-1].Op != w.OpI32Mul {
		return guardFact{}, false
	}
	a, b := body[i-3], body[i-2]
	if a.Op == w.OpI32Const {
		a, b = b, a
	}
	if a.Op != w.OpLocalGet || b.Op != w.OpI32Const || uint32(b.Value) == 0 {
		return guardFact{}, false
	}
	for _, g := range facts {
		if g.local == a.Index {
			return guardFact{bound: g.bound, scale: g.scale * uint32(b.Value)}, uint64(g.scale)*uint64(uint32(b.Value)) < 1<<32
		}
	}
	return guardFact{}, false
}

// setsBefore counts the assignments of local l in body[:pc]: the
// generation the bounds plan gives l's value at pc.
func setsBefore(body []w.Instr, l uint32, pc int) int {
	n := 0
	for _, in := range body[:pc] {
		if (in.Op == w.OpLocalSet || in.Op == w.OpLocalTee) && in.Index == l {
			n++
		}
	}
	return n
}

// guardBad is the i1 that keeps the loop about to be translated out of
// its fast copy: a guarded access that may be out of bounds for a value
// of its address the guard lets through, or a bottom-tested loop entered
// without its test's fact.
func (f *funcGen) guardBad(guards map[int]loopGuard, entry *guardFact) valueT {
	type key struct {
		mem   uint32
		bound boundsSym
		scale uint32
	}
	ends := map[key]uint64{}
	var order []key
	for _, pc := range slices.Sorted(maps.Keys(guards)) {
		g := guards[pc]
		k := key{g.mem, g.bound, g.scale}
		if _, ok := ends[k]; !ok {
			order = append(order, k)
		}
		ends[k] = max(ends[k], g.end)
	}
	var bad valueT = i1c(false)
	if entry != nil {
		// A bottom-tested loop's first iteration: L <u X on entry.
		l := f.cur.NewZExt(f.getLocal(entry.local), types.I64)
		bad = f.cur.NewICmp(enum.IPredUGE, l, f.symValue(entry.bound))
	}
	for _, k := range order {
		x := f.symValue(k.bound)
		// The largest end an access can reach: (X-1)*scale + end, which
		// cannot wrap in 64 bits. When it fits the memory, (X-1)*scale
		// is below 2^32, so no i32.mul that made the address wrapped.
		// (For X = 0 no guarded access runs: any outcome will do.)
		top := f.cur.NewMul(f.cur.NewSub(x, i64c(1)), i64c(int64(k.scale)))
		last := f.cur.NewAdd(top, i64c(int64(ends[k])))
		size := f.cur.NewLoad(types.I64, f.cachedSize(k.mem))
		bad = f.cur.NewOr(bad, f.cur.NewICmp(enum.IPredUGT, last, size))
	}
	return bad
}

// guardedAccess reports whether the access at the current pc, whose
// zero-extended address operand is addr, is a guarded access of the fast
// copy being translated, so it needs no check.
func (f *funcGen) guardedAccess(k uint32, addr valueT) bool {
	if !f.lv.fast || f.lv.guards == nil {
		return false
	}
	g, ok := f.lv.guards[f.fr.pc]
	if !ok || g.mem != k {
		return false
	}
	return f.operandIs(addr, f.bp.addr[f.fr.pc])
}
