package compile

import (
	"github.com/gcscope/gcscope/engine/validate"
	"github.com/gcscope/gcscope/engine/wasm"
)

// Debug builds of functions with deep operand stacks keep every operand
// in its frame slot from the moment it is pushed (docs/aot-compiler.md
// "Debug builds of functions with deep operand stacks").
//
// A debug build normally keeps operands in SSA values and, at each stop
// that fires, stores all of them to their slots and reads the innermost
// block's back (through a phi each), and stores them all again at every
// safepoint and trap. That code grows as instructions x stack depth:
// a microhs main (34,000 instructions building a graph on an operand
// stack hundreds deep) made 5.3 million LLVM instructions, and opt and
// llc took 13 minutes and 5.7 GB; Unicode's main went past 24 GB before
// its IR was even made. For such functions push stores the value to its
// slot as well (one store per instruction that pushes), so every slot
// below the stack's top holds its operand at all times: stops,
// safepoints and traps store no operand, and nothing is read back.
//
// The price: the debugger's `set` of an operand in such a frame is not
// seen by the code (locals still are), as for operands below the
// innermost block in every debug build (blockBase); reading operands,
// the stack maps and the collector are as before. Like functions whose
// locals live in their slots, such functions get no recursive levels,
// leaf clones or owed commits.
//
// Where the stack changes without a push the slots still hold it: a pop
// leaves its slot as it was (nothing reads above the top); an else arm,
// a catch and a loop copy start from the stack of the block's start,
// which at run time no other arm has written over; the phis where two
// paths meet join values each path stored at the same depth; and block
// and loop results are pushed.

// DefaultDebugOperandsWork is the largest operand stack times
// instructions (the body's, ends included) above which a debug build
// keeps a function's operands in their slots from the push on
// (Options.DebugOperandsWork), the bound locals have
// (DefaultDebugSlotsWork). The bench programs' and examples' functions
// are at most 728 (nbody's advance), so their debug builds are as
// before; 114 of the 62,639 functions of ../shared/programs are above it,
// MicroHs's mains the largest (Unicode's 40 million).
const DefaultDebugOperandsWork = 1 << 16

// operandsWork is the bound opts set.
func operandsWork(opts Options) int {
	return workBound(opts.DebugOperandsWork, DefaultDebugOperandsWork)
}

// operandHomes lists, per defined function, whether a debug build keeps
// its operands in their slots: its largest operand stack (as validation,
// info, measures it) times its instructions exceeds work. With a
// negative work every function with an operand does.
func operandHomes(m *wasm.Module, info *validate.Info, work int) []bool {
	out := make([]bool, len(m.Funcs))
	for i := range m.Funcs {
		if i < len(info.Funcs) {
			out[i] = info.Funcs[i].MaxStack > 0 && info.Funcs[i].MaxStack*len(m.Funcs[i].Body) > work
		}
	}
	return out
}

// debugPlainFuncs lists, per defined function, whether a debug build
// keeps its locals (debug_slots.go) or its operands in their slots: such
// functions get no recursive levels, leaf clones or owed commits.
func debugPlainFuncs(m *wasm.Module, opts Options, homes []bool) []bool {
	out := make([]bool, len(m.Funcs))
	for i := range m.Funcs {
		out[i] = homes[i] || debugSlotsFunc(m, &m.Funcs[i], slotsWork(opts))
	}
	return out
}

// homeOperands is a debug build's state of a function whose operands
// live in their slots.
type homeOperands struct {
	on bool
	// low is the lowest stack index pushed since the current instruction
	// began (debugBefore): the slots below it still hold the operands as
	// they were before the instruction, what a trap commits.
	low int
}

// operandsHome reports whether defined function i's debug build keeps
// its operands in their slots.
func (g *modGen) operandsHome(i int) bool {
	return g.dbg != nil && i < len(g.dbg.homes) && g.dbg.homes[i]
}

// debugOperandsInit turns the operands' slots on for the function's own
// translation (not its levels, clones or fast version, which such
// functions do not get anyway), before its first instruction.
func (f *funcGen) debugOperandsInit() {
	if f.g.dbg == nil || f.top == nil || f.rec != nil || f.specOn() || !f.g.operandsHome(f.idx) {
		return
	}
	f.dbg.oh = homeOperands{on: true}
}

// operandsInSlots reports whether the operands live in their slots.
func (f *funcGen) operandsInSlots() bool { return f.dbg.oh.on }

// homePush stores operand k, just pushed, to its slot (below, counted in
// slots) when the operands live there.
func (f *funcGen) homePush(k int, below uint32) {
	if !f.dbg.oh.on || f.dead {
		return
	}
	f.storeSlot(f.fr.slots.Operand(below), f.stack[k])
	f.dbg.oh.low = min(f.dbg.oh.low, k)
}

// homeTrapStores stores, for a trap's commit, the operands before the
// instruction (pre) that it has pushed over: the others' slots still
// hold them.
func (f *funcGen) homeTrapStores(pre []valueT) {
	below := uint32(0)
	for i, v := range pre {
		if i >= f.dbg.oh.low {
			f.storeSlot(f.fr.slots.Operand(below), v)
		}
		below += uint32(slotWidth(v.Type()))
	}
}
