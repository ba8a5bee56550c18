package gc

// InlineAllocation reports whether code outside Go (AOT-compiled code)
// may bump attached buffers itself: header at the cursor, no start bit
// (set late, buffer_publish.go), as Buffer describes. It is false in stress mode,
// where every allocation must take the slow path (which collects).
// Compiled code no longer reads it: in stress mode buffers are never
// refilled (bump takes the locked path), so their room check fails and
// every allocation calls the helper anyway.
func (h *Heap) InlineAllocation() bool { return !h.opts.Stress }
