package snapshot

import "fmt"

// Kind is what a node is.
type Kind uint8

// Node kinds. The object kinds follow the GC heap's block kinds; KindI31 is
// a boxed i31 value, present only when the capture asked for them.
const (
	KindSynthetic Kind = iota // the super-root and the root category nodes
	KindStruct
	KindArray
	KindI31
	KindFunc
	KindExtern
	KindExn
	numKinds
)

var kindNames = [numKinds]string{"synthetic", "struct", "array", "i31", "func", "extern", "exn"}

func (k Kind) String() string {
	if k < numKinds {
		return kindNames[k]
	}
	return fmt.Sprintf("kind(%d)", uint8(k))
}

// ParseKind is the inverse of Kind.String.
func ParseKind(s string) (Kind, bool) {
	for i, n := range kindNames {
		if n == s {
			return Kind(i), true
		}
	}
	return 0, false
}

// EdgeKind is what an edge stands for; it gives the meaning of the edge's
// index.
type EdgeKind uint8

// Edge kinds.
const (
	// EdgeField is a struct (or exception payload) field; the index is the
	// field index, named by the source type's field names.
	EdgeField EdgeKind = iota
	// EdgeElement is an array element; the index is the element index.
	EdgeElement
	// EdgeInternal is a reference the runtime holds for its own purposes
	// (and the super-root's edges to the category nodes, whose index is the
	// category); the index is runtime-defined.
	EdgeInternal
	// EdgeRoot goes from a root category node to a root's object; the
	// index is the root's position in Roots().
	EdgeRoot
	numEdgeKinds
)

var edgeKindNames = [numEdgeKinds]string{"field", "element", "internal", "root"}

func (k EdgeKind) String() string {
	if k < numEdgeKinds {
		return edgeKindNames[k]
	}
	return fmt.Sprintf("edgekind(%d)", uint8(k))
}

// ParseEdgeKind is the inverse of EdgeKind.String.
func ParseEdgeKind(s string) (EdgeKind, bool) {
	for i, n := range edgeKindNames {
		if n == s {
			return EdgeKind(i), true
		}
	}
	return 0, false
}

// RootCategory groups roots by where they live.
type RootCategory uint8

// Root categories, in the order of their synthetic nodes (category c is
// node 1+c).
const (
	RootFrame     RootCategory = iota // a frame slot of some thread
	RootGlobal                        // a global
	RootTable                         // a table element
	RootElem                          // an element segment entry
	RootHandle                        // a handle pinned by the host or the debugger
	RootException                     // a pending or caught exception
	RootOther                         // anything the runtime does not classify
	NumRootCategories
)

var categoryNames = [NumRootCategories]string{"frame", "global", "table", "elem", "handle", "exception", "other"}

func (c RootCategory) String() string {
	if c < NumRootCategories {
		return categoryNames[c]
	}
	return fmt.Sprintf("category(%d)", uint8(c))
}

// ParseRootCategory is the inverse of RootCategory.String.
func ParseRootCategory(s string) (RootCategory, bool) {
	for i, n := range categoryNames {
		if n == s {
			return RootCategory(i), true
		}
	}
	return 0, false
}

// Fixed node numbers.
const (
	SuperRoot   = 0                          // the synthetic super-root
	FirstObject = 1 + int(NumRootCategories) // the first object node
)

// CategoryNode returns the node of root category c.
func CategoryNode(c RootCategory) int { return 1 + int(c) }

// NoType is the canonical type id of objects that have none (funcrefs and
// extern wrappers), as in the GC heap.
const NoType = ^uint32(0)

// Type describes one type of object in a snapshot. Types are identified
// within a snapshot by their position in Types(); across snapshots of one
// store by (ID, Kind), since canonical ids are per store.
type Type struct {
	ID     uint32   // canonical type id, NoType if none
	Kind   Kind     // the kind of its objects
	Name   string   // display name, e.g. "$node"; may be empty
	Fields []string // field names by index (structs, exceptions); may be short or empty
}

// DisplayName is the name to show for t: its Name, else one made from its
// kind and id, so every type has a label.
func (t *Type) DisplayName() string {
	if t.Name != "" {
		return t.Name
	}
	if t.ID == NoType {
		// Objects without a type are named by their reference type.
		switch t.Kind {
		case KindFunc:
			return "funcref"
		case KindExtern:
			return "externref"
		case KindExn:
			return "exnref"
		}
		return t.Kind.String()
	}
	return fmt.Sprintf("%s#%d", t.Kind, t.ID)
}

// FieldName names field i of t: its name if known, else its index, the
// way the text format lets unnamed fields be written.
func (t *Type) FieldName(i uint32) string {
	if int64(i) < int64(len(t.Fields)) && t.Fields[i] != "" {
		return t.Fields[i]
	}
	return fmt.Sprint(i)
}

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
