package gc

// InlineAllocation reports whether code outside Go (AOT-compiled code)
// may bump attached buffers itself: header at the cursor, start bit set
// through StartBitmap, as Buffer describes. It is false in stress mode,
// where every allocation must take the slow path (Refill, which
// collects), exactly as the Go fast path refuses to bump without a
// refill then.
func (h *Heap) InlineAllocation() bool { return !h.opts.Stress }
