package compile

// The kept interrupt word across a cold helper call (docs/aot-compiler.md
// "Debug builds", "Kept word"; aot-debugratio). An allocation's slow
// path calls the op helper, which may let this thread's debugger run,
// so the kept word went invalid after every struct.new and array.new,
// and the next stop loaded it afresh on the fast path too, where no
// helper ran; the same after every cast to a type that is not final (a
// subtype from another module asks the registry through the helper).
// Instead the slow path loads it right after the helper (what the next
// stop would have read) and the word stays kept past the instruction on
// both paths, when it was kept before it: the fast path tests nothing
// more.

// dbgKeptWord reports whether a debug build keeps a valid word here.
func (f *funcGen) dbgKeptWord() bool {
	return f.g.dbg != nil && f.dbg.w.valid && f.dbgReuse()
}

// dbgRekeepWord, after an allocation's helper call, loads the word
// afresh into the kept variable when it was kept before the allocation
// (kept, dbgKeptWord), so it is valid where the two paths join.
func (f *funcGen) dbgRekeepWord(kept bool) {
	if kept {
		f.dbgFreshWord()
	}
}
