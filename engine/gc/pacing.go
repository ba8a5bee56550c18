package gc

// Pacing: when the next collection comes.
//
// The slow path collects once the bytes allocated since the last
// collection reach the budget (allocSlow), even when free memory
// remains, so a heap that was once large is reused from its bottom and
// its top can stay decommitted. A collection marks every live object, so
// the collector's work per byte allocated is about live / budget.
//
// The budget was max(live, InitialBytes): a collection after as many
// bytes as survived the last one. binary_trees at depth 18 keeps a 9 MiB
// tree alive and allocates 1 GiB: 121 collections marked it again and
// again, two thirds of the run. Now the budget is twice the live data,
// plus at most maxExtraBudget more: the same run takes 1.37 s of CPU
// instead of 2.0 s (depth 17: 0.53 s instead of 0.87 s), with the same
// peak RSS (45 MiB), since pacing never grows the heap: the heap is
// committed to twice the live data after a collection and collects when
// that is used up, so the budget only lets a program use memory a peak
// already committed before collecting. Programs whose live data is under
// InitialBytes (binary_trees' main, at depth 10) are unchanged.
//
// The cap keeps the memory a large heap holds bounded: past 64 MiB of
// live data each collection waits for 64 MiB of allocation at most more
// than before, and decommit (which keeps twice what pacing may use)
// holds at most 128 MiB more.

// maxExtraBudget bounds what the budget adds over the live data.
const maxExtraBudget = 64 << 20

// nextBudget is the budget after a collection that left live bytes.
func (ms *markSweep) nextBudget(live uint64) uint64 {
	return max(live+min(live, maxExtraBudget), ms.h.opts.InitialBytes)
}
