package compile

import (
	w "github.com/gcscope/gcscope/engine/wasm"

	"github.com/llir/llvm/ir"
	"github.com/llir/llvm/ir/types"
)

// Commits write only what changed. A safepoint's stack map lists every
// live reference slot, but the slot area is written by nothing but this
// function's own commits (callees' frames start past it, the collector
// does not move objects and only reads slots), so a slot keeps the value
// a commit wrote until a later commit writes another. Each commit's slot
// stores are recorded as they are emitted (noteSlotStore); when the body
// is done, elideCommits drops every store whose slot already holds the
// same value on every path that reaches it. Large functions that build a
// graph on a deep operand stack (microhs's main) otherwise store the
// whole stack again at each allocation and call: code and compile time
// grew as safepoints x stack depth. Release builds only: debug builds
// commit every value at every stop and the debugger may change slots.
//
// The analysis is a forward "must hold" pass over the blocks in reverse
// postorder. The state maps a slot to what it holds: an SSA value, the
// current content of a local's alloca (killed by a store to it), or zero.
// A block entered by a retreating edge (a loop header) starts empty, so
// an SSA value computed again in the next iteration never matches a
// store of the previous one; other blocks start with what all their
// predecessors agree on.

// slotStore is a recorded commit store and the instructions that only
// feed it (its address, its widening, a local's load).
type slotStore struct {
	slot  uint32
	key   valueT // what the slot holds after the store
	feeds []ir.Instruction
}

// zeroKey stands for a null written by recordMap.
var zeroKey valueT = i64c(0)

// noteSlotStore records st, a commit's store of key into slot s.
func (f *funcGen) noteSlotStore(st *ir.InstStore, s uint32, key valueT, feeds ...ir.Instruction) {
	if f.g.dbg != nil {
		return
	}
	if f.fr.stores == nil {
		f.fr.stores = map[*ir.InstStore]slotStore{}
		f.fr.keyVars = map[valueT]bool{}
	}
	f.fr.stores[st] = slotStore{slot: s, key: key, feeds: feeds}
	if _, ok := key.(*ir.InstAlloca); ok {
		f.fr.keyVars[key] = true
	}
}

// storeSlotValue commits v (an i32 reference, or an i64) to slot s; key
// says what the slot holds then (v itself, or the alloca v was loaded
// from, given in load).
func (f *funcGen) storeSlotValue(s uint32, v valueT, key valueT, load ir.Instruction) {
	if key == v && f.slotHolds(s, v) {
		return // an earlier store in this block wrote v there (slotHolds)
	}
	var w valueT = v
	var feeds []ir.Instruction
	if load != nil {
		feeds = append(feeds, load)
	}
	if !types.Equal(v.Type(), types.I64) {
		z := f.cur.NewZExt(v, types.I64)
		w = z
		feeds = append(feeds, z)
	}
	p := f.cur.NewGetElementPtr(types.I64, f.top, i64c(int64(1+s)))
	st := f.cur.NewStore(w, p)
	f.noteSlotStore(st, s, key, append(feeds, p)...)
}

// heldSlots is what each slot is known to hold in the block being
// made: elideCommits' rules applied while the block grows, so that a
// commit does not even emit a store of an SSA value an earlier store of
// the same block wrote to the slot. A huge function with a deep operand
// stack of references (MicroHs Unicode's main, whose allocations
// commit on the main path, alloc_outline.go) otherwise emitted the
// whole deep stack at every allocation for elideCommits to remove: IR
// generation quadratic in the depth, most of that module's compile
// time.
type heldSlots struct {
	blk     *ir.Block
	scanned int // b.Insts already applied to m
	m       map[uint32]valueT
}

// slotHolds reports whether slot s is known to hold v at the end of the
// current block. It first applies the block's instructions added since
// the last call, as elideCommits would: a recorded commit store sets
// its slot; another store into the slot area, or a call given the frame
// top or a slot's address, forgets every slot. Release builds only.
func (f *funcGen) slotHolds(s uint32, v valueT) bool {
	if f.g.dbg != nil || f.top == nil {
		return false
	}
	h := &f.held
	if h.blk != f.cur || h.scanned > len(f.cur.Insts) {
		// Another block, or this one's instructions cut since (nothing
		// does that while a body is made; start over if it ever does).
		*h = heldSlots{blk: f.cur, m: map[uint32]valueT{}}
	}
	for _, in := range f.cur.Insts[h.scanned:] {
		if st, ok := in.(*ir.InstStore); ok {
			if ss, ok := f.fr.stores[st]; ok {
				h.m[ss.slot] = ss.key
			}
		}
		if f.forgetsSlots(in) {
			clear(h.m)
		}
	}
	h.scanned = len(f.cur.Insts)
	return h.m[s] == v
}

// slotState is what each slot is known to hold; shared between blocks
// until one changes it.
type slotState struct{ m map[uint32]valueT }

// elideCommits removes the redundant commit stores of the body and
// returns how many it removed.
func (f *funcGen) elideCommits() int {
	if len(f.fr.stores) == 0 || f.top == nil {
		return 0
	}
	order, index := reversePostorder(f.fn.Blocks[0])
	preds := make(map[*ir.Block][]*ir.Block, len(order))
	for _, b := range order {
		if b.Term == nil {
			continue
		}
		for _, s := range b.Term.Succs() {
			preds[s] = append(preds[s], b)
		}
	}
	// left counts the successors still to be processed, so a block's
	// out state is dropped once nobody needs it.
	left := make(map[*ir.Block]int, len(order))
	for _, b := range order {
		for _, p := range preds[b] {
			left[p]++
		}
	}
	out := make(map[*ir.Block]*slotState, len(order))
	dead := map[ir.Instruction]bool{}
	for _, b := range order {
		st := f.blockEntryState(b, index, preds[b], out)
		for _, p := range preds[b] {
			if left[p]--; left[p] == 0 {
				delete(out, p)
			}
		}
		owned := false
		set := func(s uint32, k valueT) {
			if !owned {
				st = st.clone()
				owned = true
			}
			if k == nil {
				delete(st.m, s)
			} else {
				st.m[s] = k
			}
		}
		for _, in := range b.Insts {
			switch in := in.(type) {
			case *ir.InstStore:
				if ss, ok := f.fr.stores[in]; ok {
					if st.m[ss.slot] == ss.key {
						dead[in] = true
						for _, x := range ss.feeds {
							dead[x] = true
						}
						continue
					}
					set(ss.slot, ss.key)
					continue
				}
				if f.fr.keyVars[in.Dst] {
					for s, k := range st.m {
						if k == in.Dst {
							set(s, nil)
						}
					}
					continue
				}
			}
			if f.forgetsSlots(in) {
				st, owned = &slotState{m: map[uint32]valueT{}}, true
			}
		}
		if left[b] > 0 {
			out[b] = st
		}
	}
	if len(dead) == 0 {
		return 0
	}
	n := 0
	for _, b := range f.fn.Blocks {
		keep := b.Insts[:0]
		for _, in := range b.Insts {
			if dead[in] {
				if _, ok := in.(*ir.InstStore); ok {
					n++
				}
				continue
			}
			keep = append(keep, in)
		}
		b.Insts = keep
	}
	return n
}

// blockEntryState is what all of b's predecessors agree the slots hold,
// or nothing for the entry and blocks entered by a retreating edge.
func (f *funcGen) blockEntryState(b *ir.Block, index map[*ir.Block]int, preds []*ir.Block, out map[*ir.Block]*slotState) *slotState {
	empty := &slotState{m: map[uint32]valueT{}}
	if len(preds) == 0 {
		return empty
	}
	for _, p := range preds {
		if index[p] >= index[b] {
			return empty
		}
	}
	first := out[preds[0]]
	same := true
	for _, p := range preds[1:] {
		if !sameState(out[p], first) {
			same = false
			break
		}
	}
	if same {
		return first
	}
	st := empty
	for s, k := range first.m {
		agree := true
		for _, p := range preds[1:] {
			if out[p].m[s] != k {
				agree = false
				break
			}
		}
		if agree {
			st.m[s] = k
		}
	}
	return st
}

// sameState reports whether a and b hold the same facts.
func sameState(a, b *slotState) bool {
	if a == b {
		return true
	}
	if len(a.m) != len(b.m) {
		return false
	}
	for s, k := range a.m {
		if b.m[s] != k {
			return false
		}
	}
	return true
}

func (st *slotState) clone() *slotState {
	c := &slotState{m: make(map[uint32]valueT, len(st.m)+4)}
	for s, k := range st.m {
		c.m[s] = k
	}
	return c
}

// forgetsSlots reports whether in may change what the slots hold
// otherwise than by a recorded commit store: a store into the slot area
// that is no commit, or a call given the frame top or a slot's address.
func (f *funcGen) forgetsSlots(in ir.Instruction) bool {
	switch in := in.(type) {
	case *ir.InstStore:
		_, commit := f.fr.stores[in]
		return !commit && f.inSlotArea(in.Dst)
	case *ir.InstCall:
		for _, a := range in.Args {
			if a == f.top || f.inSlotArea(a) {
				return true
			}
		}
	}
	return false
}

// inSlotArea reports whether p addresses a word of this frame's slot
// area. A store there other than a recorded commit, or a call given such
// an address or the frame top itself (a tail call's callee frame replaces
// this one), forgets what the slots hold. The header word (the frame top)
// and the callees' top (f.next, past the area) are not in it.
func (f *funcGen) inSlotArea(p valueT) bool {
	g, ok := p.(*ir.InstGetElementPtr)
	return ok && g.Src == f.top && p != f.next
}

// storeDeep commits the reference operands below the top own ones (the
// operands the next instruction consumes) without a header or a stack
// map: an allocation calls it before branching to its fast and slow
// paths, so the slow path's commit finds those slots already written on
// every path and stores only the instruction's own operands and the
// locals. Otherwise each allocation's cold path would store the whole
// deep stack again, since a store made only on a slow path does not hold
// after the join. An operand stays on the stack across the allocation,
// so it is stored once here however many allocations follow.
func (f *funcGen) storeDeep(own int) {
	if f.top == nil || f.g.dbg != nil {
		return
	}
	below := uint32(0)
	for k, v := range f.stack {
		if k >= len(f.stack)-own {
			break
		}
		if f.isRef(v) {
			f.storeSlotValue(f.fr.slots.Operand(below), v, v, nil)
		}
		below += uint32(slotWidth(v.Type()))
	}
}

// opShapeGC is how many operands array.new (value, length) or
// array.new_default (length) consumes.
func opShapeGC(op w.Opcode) int {
	if op == w.OpArrayNew {
		return 2
	}
	return 1
}
