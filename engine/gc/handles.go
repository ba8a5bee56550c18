package gc

// Handle names a reference pinned by the embedding API or the debugger: the
// referenced object stays alive until Unpin. The zero Handle is never
// issued. A handle packs a slot number (low 24 bits, plus one) and the
// slot's generation (high 8 bits), so a stale handle is recognized rather
// than silently reading a slot that was reused.
type Handle uint32

const handleSlotBits = 24

type handleTable struct {
	refs []Ref
	gen  []uint8
	used []bool
	free []uint32
}

// Pin keeps r alive until Unpin and returns a handle for it. It returns 0
// only if 16M handles are already in use.
func (h *Heap) Pin(r Ref) Handle {
	h.lock()
	defer h.mu.Unlock()
	t := &h.handles
	var i uint32
	if n := len(t.free); n > 0 {
		i = t.free[n-1]
		t.free = t.free[:n-1]
	} else {
		if len(t.refs) >= 1<<handleSlotBits-1 {
			return 0
		}
		i = uint32(len(t.refs))
		t.refs = append(t.refs, 0)
		t.gen = append(t.gen, 0)
		t.used = append(t.used, false)
	}
	t.refs[i], t.used[i] = r, true
	return Handle(i+1) | Handle(t.gen[i])<<handleSlotBits
}

// slot returns the slot of a live handle, or -1.
func (t *handleTable) slot(x Handle) int {
	i := int(x&(1<<handleSlotBits-1)) - 1
	if i < 0 || i >= len(t.refs) || !t.used[i] || t.gen[i] != uint8(x>>handleSlotBits) {
		return -1
	}
	return i
}

// Unpin releases a handle. Releasing a handle that is not live does
// nothing.
func (h *Heap) Unpin(x Handle) {
	h.lock()
	defer h.mu.Unlock()
	t := &h.handles
	i := t.slot(x)
	if i < 0 {
		return
	}
	t.refs[i], t.used[i] = 0, false
	t.gen[i]++
	t.free = append(t.free, uint32(i))
}

// Deref returns the reference a handle pins, or Null if the handle is not
// live.
func (h *Heap) Deref(x Handle) Ref {
	h.lock()
	defer h.mu.Unlock()
	if i := h.handles.slot(x); i >= 0 {
		return h.handles.refs[i]
	}
	return Null
}

// Handles is the number of live handles.
func (h *Heap) Handles() int {
	h.lock()
	defer h.mu.Unlock()
	return len(h.handles.refs) - len(h.handles.free)
}

func (t *handleTable) each(visit RootVisitor) {
	for i, r := range t.refs {
		if t.used[i] {
			visit(r, RootPlace{Kind: RootHandle, Index: uint32(i)})
		}
	}
}
