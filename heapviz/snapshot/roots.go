package snapshot

import "fmt"

// Root is one root: a place outside the heap that holds a reference. Which
// of the numbers are meaningful depends on Category.
type Root struct {
	Category RootCategory
	Thread   uint32 // frame, exception: the thread
	Frame    uint32 // frame: depth, 0 the innermost
	Func     uint32 // frame: the function index
	Index    uint32 // global, table, elem, handle, exception: which one
	Slot     uint32 // frame: the slot; table: the element; elem: the entry
	Name     string // what the runtime calls the place (function or global name); may be empty
	Target   uint32 // the object id the root holds
}

// Label describes where the root is, e.g. "frame 0 $fib slot 2 (thread 1)".
func (r *Root) Label() string {
	// Prefer the runtime's name for the place; fall back to its number.
	name := func(prefix string, idx uint32) string {
		if r.Name != "" {
			return r.Name
		}
		return fmt.Sprintf("%s%d", prefix, idx)
	}
	switch r.Category {
	case RootFrame:
		return fmt.Sprintf("frame %d %s slot %d (thread %d)", r.Frame, name("func ", r.Func), r.Slot, r.Thread)
	case RootGlobal:
		return "global " + name("", r.Index)
	case RootTable:
		return fmt.Sprintf("table %s[%d]", name("", r.Index), r.Slot)
	case RootElem:
		return fmt.Sprintf("elem %s[%d]", name("", r.Index), r.Slot)
	case RootHandle:
		return fmt.Sprintf("handle %d", r.Index)
	case RootException:
		return fmt.Sprintf("exception %d (thread %d)", r.Index, r.Thread)
	}
	if r.Name != "" {
		return r.Name
	}
	return fmt.Sprintf("root %d", r.Index)
}
