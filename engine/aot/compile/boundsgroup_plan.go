package compile

import (
	w "github.com/gcscope/gcscope/engine/wasm"
)

// Bounds-check coalescing: the plan.
//
// A struct walk such as nbody's `a.x, a.y, a.z, a.vx` loads four fields
// at constant offsets from one address; each load used to carry its own
// compare against the memory size, and LLVM cannot merge them (each traps
// at a different instruction). Here a straight-line run of instructions
// is scanned before it is translated, and the loads (and a run's final
// store) that use the same local's value as their address become one
// group: the group's first access checks the largest end of all of them,
// and the others check nothing.
//
// The trap must still happen where the interpreter's does. A run holds
// only instructions without side effects that cannot trap, apart from the
// accesses themselves (local.get/set/tee, constants, global.get, drop,
// select, numeric instructions but integer division and trapping
// truncations), and a store only as its last instruction: if the
// combined check fails, no side effect has happened since the group's
// first access, and a cold path replays the checks of every access of the
// run from that one on, in order, against the same size, trapping at the
// first that fails with that access's offset (boundsgroup.go). The
// interpreter traps at the same access: nothing between the two can trap
// or be seen.
//
// Only 32-bit memories that are not shared take part: their end
// (zext(addr) + offset + size) cannot wrap in 64 bits, and their size
// cannot change between the run's accesses (no call lies between them).
// memory64 and shared memories keep one check per access.

// boundsSym names an address operand: the value of local `local` after
// its `gen`-th assignment in this function, or the constant c.
type boundsSym struct {
	kind  int // symUnknown, symLocal or symConst
	local uint32
	gen   int
	c     uint32
}

const (
	symUnknown = iota
	symLocal
	symConst
)

// boundsAccess is one access of a run.
type boundsAccess struct {
	pc  int
	mem uint32
	sym boundsSym
	end uint64 // offset + access size
}

// boundsGroup is a group led by its first access: the largest end, and
// the accesses whose checks the cold path replays, in program order.
type boundsGroup struct {
	mem    uint32
	sym    boundsSym
	maxEnd uint64
	replay []boundsAccess
	broken bool // the lead's operand did not match the plan: members check themselves
}

// boundsPlan is a function's plan: the group each lead starts and the
// group each other member belongs to.
type boundsPlan struct {
	lead   map[int]*boundsGroup
	member map[int]*boundsGroup
	// addr is the address operand of every access the scan could name
	// (loop versioning looks for loop-invariant ones).
	addr map[int]boundsSym
}

// boundsRun is the state of the scan in one run.
type boundsRun struct {
	stack []boundsSym
	acc   []boundsAccess
	// setAt records the local assignments of the run, so the value a
	// local holds at any pc of the run is known.
	setAt []boundsSet
}

type boundsSet struct {
	pc, gen int
	local   uint32
}

// planBounds scans a function body for groups of accesses to coalesce.
func (g *modGen) planBounds(body []w.Instr) *boundsPlan {
	p := &boundsPlan{lead: map[int]*boundsGroup{}, member: map[int]*boundsGroup{}, addr: map[int]boundsSym{}}
	gens := map[uint32]int{}
	var run boundsRun
	flush := func() {
		p.addRun(&run, gens)
		run = boundsRun{}
	}
	for pc := range body {
		in := &body[pc]
		if op, ok := memOps[in.Op]; ok && g.coalescable(in.Index) {
			if op.store {
				if len(run.stack) < 2 {
					flush()
					continue
				}
				sym := run.stack[len(run.stack)-2]
				if sym.kind != symUnknown {
					run.acc = append(run.acc, boundsAccess{pc, in.Index, sym, in.Value + uint64(op.size)})
					p.addr[pc] = sym
				}
				flush() // a store ends the run
				continue
			}
			if len(run.stack) < 1 {
				flush()
				continue
			}
			sym := run.stack[len(run.stack)-1]
			if sym.kind == symUnknown {
				// Not replayable: it may trap, so no group may span it.
				flush()
				continue
			}
			run.acc = append(run.acc, boundsAccess{pc, in.Index, sym, in.Value + uint64(op.size)})
			p.addr[pc] = sym
			run.stack[len(run.stack)-1] = boundsSym{}
			continue
		}
		if !run.step(in, gens, pc) {
			flush()
		}
	}
	flush()
	return p
}

// coalescable reports whether accesses to memory k may be grouped.
func (g *modGen) coalescable(k uint32) bool {
	mt := g.memType(k)
	return !mt.Addr64 && !mt.Shared
}

// step simulates one instruction that is not a grouped access on the
// run's operand stack. It reports false when the instruction ends the
// run (it has a side effect, may trap, or is control flow); the stack is
// then meaningless and the caller starts a new run.
func (r *boundsRun) step(in *w.Instr, gens map[uint32]int, pc int) bool {
	push := func(s boundsSym) { r.stack = append(r.stack, s) }
	pop := func(n int) bool {
		if len(r.stack) < n {
			return false
		}
		r.stack = r.stack[:len(r.stack)-n]
		return true
	}
	switch in.Op {
	case w.OpNop:
		return true
	case w.OpLocalGet:
		push(boundsSym{kind: symLocal, local: in.Index, gen: gens[in.Index]})
		return true
	case w.OpLocalSet, w.OpLocalTee:
		// Counted even when the run ends here, so a value of the local
		// from before this assignment is never taken for one after it.
		gens[in.Index]++
		if !pop(1) {
			return false
		}
		r.setAt = append(r.setAt, boundsSet{pc, gens[in.Index], in.Index})
		if in.Op == w.OpLocalTee {
			// The translation pushes the operand itself, not a load of
			// the local: unknown, so it is never taken for one.
			push(boundsSym{})
		}
		return true
	case w.OpI32Const:
		push(boundsSym{kind: symConst, c: uint32(in.Value)})
		return true
	case w.OpI64Const, w.OpF32Const, w.OpF64Const, w.OpGlobalGet:
		push(boundsSym{})
		return true
	case w.OpDrop:
		return pop(1)
	case w.OpSelect:
		if !pop(3) {
			return false
		}
		push(boundsSym{})
		return true
	}
	if n, res, ok := pureNumeric(in.Op); ok {
		if !pop(n) {
			return false
		}
		for range res {
			push(boundsSym{})
		}
		return true
	}
	return false
}

// pureNumeric returns the operand and result counts of a numeric
// instruction that cannot trap and has no side effect.
func pureNumeric(op w.Opcode) (params, results int, ok bool) {
	if op.Prefix() != 0 || op < w.OpI32Eqz || op > w.OpI64Extend32S {
		return 0, 0, false
	}
	switch op {
	case w.OpI32DivS, w.OpI32DivU, w.OpI32RemS, w.OpI32RemU,
		w.OpI64DivS, w.OpI64DivU, w.OpI64RemS, w.OpI64RemU,
		w.OpI32TruncF32S, w.OpI32TruncF32U, w.OpI32TruncF64S, w.OpI32TruncF64U,
		w.OpI64TruncF32S, w.OpI64TruncF32U, w.OpI64TruncF64S, w.OpI64TruncF64U:
		return 0, 0, false
	}
	info := w.Lookup(op)
	if info == nil || !info.Simple || info.Imm != w.ImmNone || info.AddrParam >= 0 {
		return 0, 0, false
	}
	return len(info.Params), len(info.Results), true
}

// genAt is the generation of local l's value at pc of the run (before
// pc's instruction), given its generation now (at the run's end).
func (r *boundsRun) genAt(l uint32, pc int, now int) int {
	gen := -1
	for _, s := range r.setAt {
		if s.local != l {
			continue
		}
		if s.pc < pc {
			gen = s.gen
		} else if gen < 0 {
			return s.gen - 1 // the value before the run's first assignment at or after pc
		}
	}
	if gen < 0 {
		return now
	}
	return gen
}

// replayable reports whether a's address can be recomputed at pc: a
// constant, or a local that holds the same value there.
func (r *boundsRun) replayable(a boundsAccess, pc int, gens map[uint32]int) bool {
	switch a.sym.kind {
	case symConst:
		return true
	case symLocal:
		return r.genAt(a.sym.local, pc, gens[a.sym.local]) == a.sym.gen
	}
	return false
}

// addRun forms the run's groups: for each access, the later accesses of
// the same memory and address, up to the first access of the run that
// cannot be replayed at the lead. A group is only formed when a later
// member reaches further than the lead (otherwise the lead's own check
// already implies the others, and LLVM drops them).
func (p *boundsPlan) addRun(r *boundsRun, gens map[uint32]int) {
	for i, a := range r.acc {
		if _, taken := p.member[a.pc]; taken {
			continue
		}
		if _, taken := p.lead[a.pc]; taken {
			continue
		}
		if !r.replayable(a, a.pc, gens) {
			continue
		}
		grp := &boundsGroup{mem: a.mem, sym: a.sym, maxEnd: a.end}
		last := i
		for j := i + 1; j < len(r.acc); j++ {
			b := r.acc[j]
			if !r.replayable(b, a.pc, gens) {
				break
			}
			if b.mem == a.mem && b.sym == a.sym {
				if _, taken := p.member[b.pc]; !taken {
					last = j
					grp.maxEnd = max(grp.maxEnd, b.end)
				}
			}
		}
		if grp.maxEnd == a.end {
			continue
		}
		grp.replay = append([]boundsAccess(nil), r.acc[i:last+1]...)
		p.lead[a.pc] = grp
		for _, b := range grp.replay[1:] {
			if b.mem == a.mem && b.sym == a.sym {
				p.member[b.pc] = grp
			}
		}
	}
}
