package compile

import (
	"github.com/llir/llvm/ir"

	"github.com/gcscope/gcscope/engine/wasm"
)

// Debug builds of functions with many locals keep the locals in their
// frame slots (docs/aot-compiler.md "Debug builds of functions with many
// locals").
//
// A debug build normally keeps each local in a variable (a register
// after mem2reg) and commits every local to its slot at each stop that
// fires, call, safepoint and trap, then reads every local back after
// each stop and call (the debugger may have `set` it). That code grows
// as stops x locals: skip-stack-guard-page.wast's function of 1056 i64
// locals and 6338 instructions made millions of LLVM instructions,
// and opt and llc went past 20 GB. For such functions the slot is the
// local's only home: local.get loads it, local.set and local.tee store
// it (in the slot's usual representation: an i32 zero-extended to 64
// bits, an f32's bits zero-extended, a v128 in two slots, low half
// first), and commits, reloads and traps leave the locals alone, so a
// stop costs only its operands. The slot area exists from the prologue
// on: the parameters and the zeroed locals are written right after it
// (debugSlotsInit); the prologue's own commit (its cold interrupt call)
// still stores them from their variables, as every debug build does,
// and its trap (stack exhaustion) has no frame. The debugger and the
// collector read the same slots as before: every reference local is in
// the stack map of every safepoint (storeAll), as in other debug builds,
// and a `set` local is seen since every later read loads the slot.
//
// Such functions get no recursive levels (recLevels), hence no owed
// commits (debug_owed.go) and no fast version (debug_spec.go: it needs
// levels); clean locals are not tracked (debug_clean.go: nothing to
// skip). Runs and versioned loops keep their fast copies, whose local
// accesses load and store the slots too.

// DefaultDebugSlotsWork is the locals x instructions (parameters count
// as locals, instructions as the body's, ends included) above which a
// debug build keeps a function's locals in their slots
// (Options.DebugSlotsWork). Below it code and speed are as before: the
// functions of the bench programs (fib, sieve, nbody, the GC programs)
// are at most 2184, the spec suite's at most 1124 but for
// skip-stack-guard-page.wast's 6.7 million, and kept in their slots
// throughout, fib's debug build ran 7x slower (no levels, no fast
// version), sieve's 2.6x and nbody's 1.9x. Above it the commits and
// reloads of every local at every stop and call are most of the
// function's IR: a debug build of box2d (j2cl; a function of 104 locals
// and 8342 instructions) took 290 s of CPU and 9 GB at most, 146 s and
// 3.4 GB with this bound. 117 of the 62,692 functions of the real
// programs in ../shared/programs are above it.
const DefaultDebugSlotsWork = 1 << 16

// slotsWork is the bound opts set.
func slotsWork(opts Options) int {
	return workBound(opts.DebugSlotsWork, DefaultDebugSlotsWork)
}

// workBound is a debug build's bound as Options sets it: def when set is
// 0 (Options' zero value means the default).
func workBound(set, def int) int {
	if set == 0 {
		return def
	}
	return set
}

// debugSlotsFunc reports whether a debug build keeps def's locals
// (parameters included) in their frame slots, with bound work.
func debugSlotsFunc(m *wasm.Module, def *wasm.Func, work int) bool {
	n := len(def.Locals)
	if int(def.TypeIndex) < len(m.Types) {
		n += len(m.Types[def.TypeIndex].Comp.Params)
	}
	return n > 0 && n*len(def.Body) > work
}

// slotLocals is a debug build's state of a function whose locals live in
// their slots.
type slotLocals struct {
	on bool // from debugSlotsInit on
	// gets are the values local.get made, with the local each read, for
	// operandIs (boundsgroup.go).
	gets map[valueT]uint32
}

// localsInSlots reports whether this function's locals live in their
// slots at this point of the translation.
func (f *funcGen) localsInSlots() bool { return f.dbg.sl.on }

// debugSlotsInit writes the parameters and the zeroed locals to their
// slots right after the prologue, where the frame exists, and from then
// on keeps the locals there, in a debug build of a function
// debugSlotsFunc picks (never a level: those get none).
func (f *funcGen) debugSlotsInit() {
	if f.g.dbg == nil || f.top == nil || f.rec != nil || f.specOn() ||
		!debugSlotsFunc(f.g.m, &f.g.m.Funcs[f.idx], f.g.dbg.slotsWork) {
		return
	}
	np := len(f.ft.Params)
	for i, t := range f.ltypes {
		var v valueT
		if i < np {
			v = f.fn.Params[2+i]
		} else {
			v = zero(t)
		}
		f.storeSlot(f.fr.slots.Local(uint32(i)), v)
	}
	f.dbg.sl = slotLocals{on: true, gets: map[valueT]uint32{}}
	f.dbg.w.clean = nil
}

// getLocal reads local i: its slot, or its variable.
func (f *funcGen) getLocal(i uint32) valueT {
	if f.localsInSlots() {
		v := f.loadSlot(f.fr.slots.Local(i), f.ltypes[i])
		f.dbg.sl.gets[v] = i
		return v
	}
	return f.cur.NewLoad(f.ltypes[i], f.locals[i])
}

// setLocal writes v to local i: its slot, or its variable.
func (f *funcGen) setLocal(i uint32, v valueT) {
	if f.localsInSlots() {
		f.storeSlot(f.fr.slots.Local(i), v)
		return
	}
	f.cur.NewStore(v, f.locals[i])
}

// commitLocal writes local i's variable to its slot (a commit); the
// slot is its home when the locals live there.
func (f *funcGen) commitLocal(i int) {
	if !f.localsInSlots() {
		f.storeSlot(f.fr.slots.Local(uint32(i)), f.getLocal(uint32(i)))
	}
}

// reloadLocal reads local i back from its slot into its variable, with
// reloadSlot's volatile load after a call (volatile) or loadSlot's; the
// slot is its home when the locals live there.
func (f *funcGen) reloadLocal(i int, volatile bool) {
	if f.localsInSlots() {
		return
	}
	s, t := f.fr.slots.Local(uint32(i)), f.ltypes[i]
	var v valueT
	if volatile {
		v = f.reloadSlot(s, t)
	} else {
		v = f.loadSlot(s, t)
	}
	f.cur.NewStore(v, f.locals[i])
}

// isLocalGet reports whether v is a read of local i (getLocal).
func (f *funcGen) isLocalGet(v valueT, i uint32) bool {
	if f.localsInSlots() {
		l, ok := f.dbg.sl.gets[v]
		return ok && l == i
	}
	ld, ok := v.(*ir.InstLoad)
	return ok && int(i) < len(f.locals) && ld.Src == f.locals[i]
}
