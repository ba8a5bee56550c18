package compile

import "slices"

// Commits of a debug build store only the locals that changed.
//
// A debug build commits every local at every call (and at each stop that
// fires), and reloads every local from its slot after every call, since a
// debugger stopped in the callee may have set it. Right after that
// reload, each local's slot holds exactly its variable's value; it keeps
// holding it until the code sets the local (local.set, local.tee), or a
// helper runs (a debugger could write the slot while the thread is parked
// in one, with no reload after it), or paths where that is not so join
// (block ends, loop headers). The next commit skips the locals still
// clean: fib's second call no longer stores the `n` the first call's
// reload has just read. Which locals are clean is tracked during the
// translation along with the kept interrupt word (debug_word.go), whose
// merges it shares; functions with exception handling (handlers reached
// by unwinding) and with more than maxCleanLocals locals store them all.

// maxCleanLocals bounds the locals tracked (the sets are copied at every
// branch).
const maxCleanLocals = 512

// dbgCleanOK reports whether this function tracks clean locals.
func (f *funcGen) dbgCleanOK() bool {
	return f.g.dbg != nil && len(f.locals) <= maxCleanLocals && f.dbgReuse() && !f.localsInSlots()
}

// dbgLocalClean reports whether local i's slot holds its value here.
func (f *funcGen) dbgLocalClean(i int) bool {
	c := f.dbg.w.clean
	return i < len(c) && c[i]
}

// dbgCleanAll: every local was just read back from its slot.
func (f *funcGen) dbgCleanAll() {
	if !f.dbgCleanOK() {
		return
	}
	c := make([]bool, len(f.locals))
	for i := range c {
		c[i] = true
	}
	f.dbg.w.clean = c
}

// dbgLocalSet: the code set local i.
func (f *funcGen) dbgLocalSet(i uint32) {
	if f.g.dbg != nil && int(i) < len(f.dbg.w.clean) {
		f.dbg.w.clean[i] = false
	}
}

// cleanMeet is the locals clean on both a and b (nil: none).
func cleanMeet(a, b []bool) []bool {
	if a == nil || b == nil {
		return nil
	}
	out := make([]bool, len(a))
	any := false
	for i := range out {
		out[i] = a[i] && b[i]
		any = any || out[i]
	}
	if !any {
		return nil
	}
	return out
}

// dbgCleanSave copies the current set, for a path that rejoins later.
func (f *funcGen) dbgCleanSave() []bool { return slices.Clone(f.dbg.w.clean) }

// dbgCleanRestore sets the current set (a copy of one saved).
func (f *funcGen) dbgCleanRestore(c []bool) { f.dbg.w.clean = slices.Clone(c) }

// dbgCleanJoin: the paths with sets a and b join here.
func (f *funcGen) dbgCleanJoin(a, b []bool) { f.dbg.w.clean = cleanMeet(a, b) }
