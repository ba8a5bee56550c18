package compile

import (
	"github.com/llir/llvm/ir/types"

	"github.com/gcscope/gcscope/engine/wasm"
)

// Legacy try blocks and frames. As in the interpreter, each legacy try of
// a body (in body order, dead code included) has a hidden local after the
// declared ones (wasm.NewFrameSlots), so slot numbers agree between the
// tiers. The code keeps the caught exnref in an alloca (for rethrow);
// safepoints inside a catch body also commit it to the hidden local's
// slot, so the stack maps root it like any reference.

// countLegacyTries is the number of hidden locals of body.
func countLegacyTries(body []wasm.Instr) int {
	n := 0
	for i := range body {
		if body[i].Op == wasm.OpTry {
			n++
		}
	}
	return n
}

// nextTrySlot returns the slot of the next legacy try's hidden local (call
// once per try, dead or not, in body order).
func (f *funcGen) nextTrySlot() uint32 {
	s := f.fr.slots.Local(uint32(len(f.fr.lwasm) + f.fr.tries))
	f.fr.tries++
	return s
}

// storeLegacyExnrefs commits the caught exnref of every legacy try whose
// catch body the code is in and returns the slots written. Only a
// rethrow reads it again, so release bodies without one commit nothing;
// debug builds always do, so the frame shows (and roots) the exception
// in its hidden local as the interpreter's does.
func (f *funcGen) storeLegacyExnrefs(live []uint32) []uint32 {
	if !f.exn.rethrow && f.g.dbg == nil {
		return live
	}
	for _, c := range f.ctrls {
		if c.dead || c.h == nil || !c.h.legacy || !c.h.catchPhase || c.h.exnVar == nil {
			continue
		}
		v := f.cur.NewLoad(types.I32, c.h.exnVar)
		f.storeSlotValue(c.h.slot, v, c.h.exnVar, v)
		live = append(live, c.h.slot)
	}
	return live
}
