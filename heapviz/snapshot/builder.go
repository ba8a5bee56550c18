package snapshot

import (
	"fmt"
	"slices"
)

// Node is one object as the Builder receives it.
type Node struct {
	ID   uint32 // the object's compressed reference (odd for a boxed i31)
	Type int    // the type's index, as returned by Builder.AddType
	Size uint32 // shallow size in bytes
	Len  uint32 // array length; 0 for other kinds
}

// Builder assembles a Snapshot. The capture code calls it while the world
// is stopped, so adding is only appending to flat slices; all checking and
// indexing is left to Finish, which runs once. A Builder is not safe for
// concurrent use.
type Builder struct {
	typeTab []Type
	typeIdx map[typeKey]int

	ids, types, sizes, lens []uint32

	eFrom, eTo, eIndex []uint32
	eKind              []EdgeKind

	roots []Root
}

type typeKey struct {
	id   uint32
	kind Kind
}

// NewBuilder returns a Builder; objects and edges are capacity hints.
func NewBuilder(objects, edges int) *Builder {
	objects, edges = max(objects, 0), max(edges, 0)
	b := &Builder{
		typeTab: []Type{{ID: NoType, Kind: KindSynthetic, Name: "(synthetic)"}},
		typeIdx: map[typeKey]int{},
		ids:     make([]uint32, 0, objects),
		types:   make([]uint32, 0, objects),
		sizes:   make([]uint32, 0, objects),
		lens:    make([]uint32, 0, objects),
		eFrom:   make([]uint32, 0, edges),
		eTo:     make([]uint32, 0, edges),
		eIndex:  make([]uint32, 0, edges),
		eKind:   make([]EdgeKind, 0, edges),
	}
	return b
}

// AddType registers a type and returns its index for Node.Type. A type
// with the same ID and Kind as an earlier one returns the earlier index
// (its name and fields are kept), so callers may add types as they meet
// them. Types with ID NoType are told apart by kind only.
func (b *Builder) AddType(t Type) int {
	k := typeKey{t.ID, t.Kind}
	if i, ok := b.typeIdx[k]; ok {
		return i
	}
	i := len(b.typeTab)
	t.Fields = slices.Clone(t.Fields)
	b.typeTab = append(b.typeTab, t)
	b.typeIdx[k] = i
	return i
}

// AddNode adds an object. Objects may come in any order; Finish sorts them
// by id.
func (b *Builder) AddNode(n Node) {
	b.ids = append(b.ids, n.ID)
	b.types = append(b.types, uint32(n.Type))
	b.sizes = append(b.sizes, n.Size)
	b.lens = append(b.lens, n.Len)
}

// AddEdge adds a reference from object from to object to. The objects may
// be added before or after their edges.
func (b *Builder) AddEdge(from, to uint32, kind EdgeKind, index uint32) {
	b.eFrom = append(b.eFrom, from)
	b.eTo = append(b.eTo, to)
	b.eKind = append(b.eKind, kind)
	b.eIndex = append(b.eIndex, index)
}

// AddRoot adds a root holding object r.Target.
func (b *Builder) AddRoot(r Root) {
	b.roots = append(b.roots, r)
}

// BuildError says what Finish rejected: which item (by kind and by its
// position in the order it was added) and why. Readers of files turn the
// position into their own location.
type BuildError struct {
	What  string // "type", "node", "edge" or "root"
	Index int    // position among the items of that kind, in the order added
	Msg   string
}

func (e *BuildError) Error() string {
	return fmt.Sprintf("%s %d: %s", e.What, e.Index, e.Msg)
}

// Finish checks what was added and returns the snapshot. It fails (with a
// *BuildError) on an unknown type index, a node whose id does not suit its
// kind, a repeated id, an edge or root naming an object that was not
// added, an EdgeRoot edge between objects, or an unknown kind or category.
// The Builder must not be used afterwards.
func (b *Builder) Finish() (*Snapshot, error) {
	if err := b.checkTypes(); err != nil {
		return nil, err
	}
	order, err := b.sortNodes()
	if err != nil {
		return nil, err
	}
	s := &Snapshot{typeTab: b.typeTab, roots: b.roots}
	b.placeNodes(s, order)
	if err := b.placeEdges(s); err != nil {
		return nil, err
	}
	*b = Builder{}
	return s, nil
}

func (b *Builder) checkTypes() error {
	for i, t := range b.typeTab[1:] {
		if t.Kind == KindSynthetic || t.Kind >= numKinds {
			return &BuildError{"type", i + 1, fmt.Sprintf("kind %v is not an object kind", t.Kind)}
		}
	}
	for i, ti := range b.types {
		if ti == synthType || int64(ti) >= int64(len(b.typeTab)) {
			return &BuildError{"node", i, fmt.Sprintf("type index %d is not a type added with AddType", int32(ti))}
		}
		id, k := b.ids[i], b.typeTab[ti].Kind
		switch {
		case id == 0:
			return &BuildError{"node", i, "id 0 is null, not an object"}
		case k == KindI31 && id&1 == 0:
			return &BuildError{"node", i, fmt.Sprintf("i31 id %#x is not an i31 reference (odd)", id)}
		case k != KindI31 && id&1 != 0:
			return &BuildError{"node", i, fmt.Sprintf("%v id %#x is odd, which is an i31 reference", k, id)}
		}
	}
	return nil
}

// sortNodes returns the order that sorts the nodes by id, or nil when they
// already are (a heap walk goes in address order, so that is the common
// case and costs one pass). It rejects repeated ids.
func (b *Builder) sortNodes() ([]uint32, error) {
	sorted := true
	for i := 1; i < len(b.ids); i++ {
		if b.ids[i] <= b.ids[i-1] {
			sorted = false
			break
		}
	}
	var order []uint32
	if !sorted {
		order = make([]uint32, len(b.ids))
		for i := range order {
			order[i] = uint32(i)
		}
		slices.SortFunc(order, func(x, y uint32) int {
			a, c := b.ids[x], b.ids[y]
			if a != c {
				if a < c {
					return -1
				}
				return 1
			}
			return int(x) - int(y)
		})
		for i := 1; i < len(order); i++ {
			if b.ids[order[i]] == b.ids[order[i-1]] {
				return nil, &BuildError{"node", int(order[i]), fmt.Sprintf("id %#x repeats node %d", b.ids[order[i]], order[i-1])}
			}
		}
	}
	return order, nil
}

// placeNodes fills s's node tables: the synthetic nodes, then the objects
// in id order.
func (b *Builder) placeNodes(s *Snapshot, order []uint32) {
	n := FirstObject + len(b.ids)
	s.ids = make([]uint32, FirstObject, n)
	s.types = make([]uint32, FirstObject, n)
	s.sizes = make([]uint32, FirstObject, n)
	s.lens = make([]uint32, FirstObject, n)
	if order == nil {
		s.ids = append(s.ids, b.ids...)
		s.types = append(s.types, b.types...)
		s.sizes = append(s.sizes, b.sizes...)
		s.lens = append(s.lens, b.lens...)
		return
	}
	for _, i := range order {
		s.ids = append(s.ids, b.ids[i])
		s.types = append(s.types, b.types[i])
		s.sizes = append(s.sizes, b.sizes[i])
		s.lens = append(s.lens, b.lens[i])
	}
}

// placeEdges resolves ids to nodes and lays the edges out in CSR order:
// the super-root's category edges, each category's root edges, then the
// objects' edges, each node's in the order they were added.
func (b *Builder) placeEdges(s *Snapshot) error {
	n := len(s.ids)
	index := newIDIndex(s.ids[FirstObject:])
	find := func(id uint32) (int, bool) {
		i, ok := index.find(id)
		return i + FirstObject, ok
	}
	total := int(NumRootCategories) + len(b.roots) + len(b.eTo)
	from := make([]uint32, 0, total)
	to := make([]uint32, 0, total)
	for c := range NumRootCategories {
		from = append(from, SuperRoot)
		to = append(to, uint32(CategoryNode(c)))
	}
	for i := range b.roots {
		r := &b.roots[i]
		if r.Category >= NumRootCategories {
			return &BuildError{"root", i, fmt.Sprintf("unknown category %d", r.Category)}
		}
		t, ok := find(r.Target)
		if !ok {
			return &BuildError{"root", i, fmt.Sprintf("target %#x is not an object of the snapshot", r.Target)}
		}
		from = append(from, uint32(CategoryNode(r.Category)))
		to = append(to, uint32(t))
	}
	// Capture adds an object's edges together, so the source is usually
	// the previous edge's: remember it rather than search again.
	lastID, lastNode := uint32(0), 0
	for i := range b.eTo {
		if b.eKind[i] >= numEdgeKinds || b.eKind[i] == EdgeRoot {
			return &BuildError{"edge", i, fmt.Sprintf("kind %v is not a kind of edge between objects", b.eKind[i])}
		}
		f := lastNode
		if b.eFrom[i] != lastID || i == 0 {
			var ok bool
			if f, ok = find(b.eFrom[i]); !ok {
				return &BuildError{"edge", i, fmt.Sprintf("source %#x is not an object of the snapshot", b.eFrom[i])}
			}
			lastID, lastNode = b.eFrom[i], f
		}
		t, ok := find(b.eTo[i])
		if !ok {
			return &BuildError{"edge", i, fmt.Sprintf("target %#x is not an object of the snapshot", b.eTo[i])}
		}
		from = append(from, uint32(f))
		to = append(to, uint32(t))
	}
	if uint64(len(to)) >= 1<<32 {
		return &BuildError{"edge", len(b.eTo), "more than 4G edges"}
	}
	kindOf := func(i int) (EdgeKind, uint32) {
		switch {
		case i < int(NumRootCategories):
			return EdgeInternal, uint32(i)
		case i < int(NumRootCategories)+len(b.roots):
			return EdgeRoot, uint32(i - int(NumRootCategories))
		}
		j := i - int(NumRootCategories) - len(b.roots)
		return b.eKind[j], b.eIndex[j]
	}
	// Counting sort by source, stable so each node keeps its edge order.
	start := make([]uint32, n+1)
	for _, f := range from {
		start[f+1]++
	}
	for i := 1; i <= n; i++ {
		start[i] += start[i-1]
	}
	pos := slices.Clone(start[:n])
	s.edgeTo = make([]uint32, len(to))
	s.edgeKind = make([]EdgeKind, len(to))
	s.edgeIndex = make([]uint32, len(to))
	for i, f := range from {
		p := pos[f]
		pos[f]++
		s.edgeTo[p] = to[i]
		s.edgeKind[p], s.edgeIndex[p] = kindOf(i)
	}
	s.edgeStart = start
	return nil
}
