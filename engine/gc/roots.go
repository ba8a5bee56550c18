package gc

// RootKind says where a root lives, for the debugger's "roots" command and
// heap snapshots.
type RootKind uint8

// Root categories.
const (
	RootOther     RootKind = iota // anything the runtime does not classify
	RootFrame                     // a frame slot: Thread, Index = frame depth (0 innermost), Slot
	RootGlobal                    // a global: Index = global address
	RootTable                     // a table element: Index = table address, Slot = element
	RootElem                      // an element segment entry: Index = segment address, Slot = entry
	RootException                 // a pending or caught exception: Thread, Index
	RootHandle                    // a heap handle (Pin): Index = handle slot
)

// String names the category as the debugger prints it.
func (k RootKind) String() string {
	switch k {
	case RootFrame:
		return "frame"
	case RootGlobal:
		return "global"
	case RootTable:
		return "table"
	case RootElem:
		return "elem"
	case RootException:
		return "exception"
	case RootHandle:
		return "handle"
	}
	return "other"
}

// RootPlace says where a root was found. The meaning of the numbers depends
// on Kind (see the RootKind constants); the runtime, which owns the places,
// turns them into names. It is a small value so enumerating roots for a
// collection allocates nothing.
type RootPlace struct {
	Kind   RootKind
	Thread uint32
	Index  uint32
	Slot   uint32
}

// RootVisitor receives one root and its place.
type RootVisitor func(r Ref, at RootPlace)

// RootSource enumerates every root the runtime holds (frames of every
// thread, globals, tables, element segments, pending exceptions), calling
// visit once per reference-holding slot; null and i31 values may be passed
// and are ignored. It runs with the heap locked and the world stopped: it
// must not allocate, collect, pin or unpin.
type RootSource func(visit RootVisitor)

// SetRootSource installs the runtime's root enumeration, replacing any
// earlier one (SetRoots included).
func (h *Heap) SetRootSource(src RootSource) {
	h.lock()
	h.roots = src
	h.mu.Unlock()
}

// SetRoots installs a root enumeration that does not classify its roots
// (they are reported as RootOther). See SetRootSource.
func (h *Heap) SetRoots(fn func(visit func(Ref))) {
	if fn == nil {
		h.SetRootSource(nil)
		return
	}
	h.SetRootSource(func(visit RootVisitor) {
		fn(func(r Ref) { visit(r, RootPlace{}) })
	})
}

// Roots calls visit for every root: the runtime's and the heap's handles.
// The debugger and heap snapshots use it; the collector sees the same set.
// The roots are gathered under the heap's lock and visited after it is
// released, so visit may read the objects: reading one that native code
// allocated since the last collection takes the lock.
func (h *Heap) Roots(visit RootVisitor) {
	type root struct {
		r  Ref
		at RootPlace
	}
	var roots []root
	h.lock()
	h.enumRoots(func(r Ref, at RootPlace) { roots = append(roots, root{r, at}) })
	h.mu.Unlock()
	for _, x := range roots {
		visit(x.r, x.at)
	}
}

func (h *Heap) enumRoots(visit RootVisitor) {
	if h.roots != nil {
		h.roots(visit)
	}
	h.handles.each(visit)
}
