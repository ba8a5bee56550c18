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
