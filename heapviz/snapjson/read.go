package snapjson

import (
	"errors"
	"fmt"
	"io"
	"math"

	"github.com/gcscope/gcscope/heapviz/snapshot"
)

// FormatError says where a snapshot file is damaged: at a byte offset
// (Offset >= 0) for malformed JSON, or at a JSON path such as
// "nodes[12]" for a value that is well formed but wrong.
type FormatError struct {
	Offset int64  // byte offset, or -1 when Path locates the error
	Path   string // JSON path, or "" when Offset does
	Msg    string
}

func (e *FormatError) Error() string {
	if e.Path != "" {
		return fmt.Sprintf("heap snapshot: %s: %s", e.Path, e.Msg)
	}
	return fmt.Sprintf("heap snapshot: byte offset %d: %s", e.Offset, e.Msg)
}

func atPath(path, format string, args ...any) error {
	return &FormatError{Offset: -1, Path: path, Msg: fmt.Sprintf(format, args...)}
}

// file is the decoded document.
type file struct {
	Format  *string
	Version *int64
	Types   []fileType
	Nodes   []uint32
	Edges   []uint32
	Roots   []fileRoot
}

// Read reads a snapshot in the JSON format. Any damage is reported as a
// *FormatError; nothing in the input can make it panic.
func Read(r io.Reader) (*snapshot.Snapshot, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	f, err := parse(data)
	if err != nil {
		return nil, err
	}
	if f.Format == nil || *f.Format != Format {
		return nil, atPath("format", "want %q: not a gcscope heap snapshot", Format)
	}
	if f.Version == nil || *f.Version != Version {
		v := "missing"
		if f.Version != nil {
			v = fmt.Sprint(*f.Version)
		}
		return nil, atPath("version", "version %s is not supported (this reader knows %d)", v, Version)
	}
	return build(f)
}

// parse reads the top-level object, member by member; members it does not
// know are checked for well-formedness and skipped.
func parse(data []byte) (*file, error) {
	s := &scanner{data: data}
	f := &file{}
	if c, err := s.peek(); err != nil {
		return nil, err
	} else if c != '{' {
		return nil, s.syntaxErr("the snapshot is not a JSON object")
	}
	s.pos++
	for first := true; ; first = false {
		c, err := s.peek()
		if err != nil {
			return nil, err
		}
		if c == '}' && first {
			s.pos++
			break
		}
		name, err := s.key()
		if err != nil {
			return nil, err
		}
		if err := s.expect(':'); err != nil {
			return nil, err
		}
		switch name {
		case "format":
			err = s.unmarshal(name, &f.Format)
		case "version":
			err = s.unmarshal(name, &f.Version)
		case "types":
			err = s.unmarshal(name, &f.Types)
		case "roots":
			err = s.unmarshal(name, &f.Roots)
		case "nodes":
			f.Nodes, err = s.uints(name)
		case "edges":
			f.Edges, err = s.uints(name)
		default:
			var skip any
			err = s.unmarshal(name, &skip)
		}
		if err != nil {
			return nil, err
		}
		c, err = s.peek()
		if err != nil {
			return nil, err
		}
		s.pos++
		if c == '}' {
			break
		}
		if c != ',' {
			s.pos--
			return nil, s.syntaxErr("invalid character %q after a member, want ',' or '}'", c)
		}
	}
	if s.ws(); s.pos != len(data) {
		return nil, s.syntaxErr("data after the snapshot object")
	}
	return f, nil
}

// build checks the decoded file and feeds it to a snapshot.Builder, whose
// errors are translated to JSON paths.
func build(f *file) (*snapshot.Snapshot, error) {
	if len(f.Nodes)%4 != 0 {
		return nil, atPath("nodes", "%d numbers is not four per node", len(f.Nodes))
	}
	if len(f.Edges)%4 != 0 {
		return nil, atPath("edges", "%d numbers is not four per edge", len(f.Edges))
	}
	b := snapshot.NewBuilder(len(f.Nodes)/4, len(f.Edges)/4)
	typeIdx := make([]int, len(f.Types))
	seen := map[[2]int64]int{}
	for i, t := range f.Types {
		path := fmt.Sprintf("types[%d]", i)
		k, ok := snapshot.ParseKind(t.Kind)
		if !ok || k == snapshot.KindSynthetic {
			return nil, atPath(path+".kind", "unknown kind %q", t.Kind)
		}
		if t.ID < -1 || t.ID > math.MaxUint32-1 {
			return nil, atPath(path+".id", "%d is not a type id (0..%d, or -1 for none)", t.ID, uint32(math.MaxUint32-1))
		}
		if j, dup := seen[[2]int64{t.ID, int64(k)}]; dup {
			return nil, atPath(path, "repeats types[%d] (same id and kind)", j)
		}
		seen[[2]int64{t.ID, int64(k)}] = i
		id := uint32(t.ID)
		if t.ID == -1 {
			id = snapshot.NoType
		}
		typeIdx[i] = b.AddType(snapshot.Type{ID: id, Kind: k, Name: t.Name, Fields: t.Fields})
	}
	for i := 0; i < len(f.Nodes); i += 4 {
		ti := f.Nodes[i+1]
		if int64(ti) >= int64(len(typeIdx)) {
			return nil, atPath(fmt.Sprintf("nodes[%d]", i+1), "type %d is not in types (%d of them)", ti, len(typeIdx))
		}
		b.AddNode(snapshot.Node{ID: f.Nodes[i], Type: typeIdx[ti], Size: f.Nodes[i+2], Len: f.Nodes[i+3]})
	}
	for i := 0; i < len(f.Edges); i += 4 {
		k := snapshot.EdgeKind(f.Edges[i+2])
		if f.Edges[i+2] > uint32(snapshot.EdgeInternal) {
			return nil, atPath(fmt.Sprintf("edges[%d]", i+2), "%d is not an edge kind (0 field, 1 element, 2 internal)", f.Edges[i+2])
		}
		b.AddEdge(f.Edges[i], f.Edges[i+1], k, f.Edges[i+3])
	}
	for i, r := range f.Roots {
		c, ok := snapshot.ParseRootCategory(r.Category)
		if !ok {
			return nil, atPath(fmt.Sprintf("roots[%d].category", i), "unknown category %q", r.Category)
		}
		b.AddRoot(snapshot.Root{Category: c, Thread: r.Thread, Frame: r.Frame, Func: r.Func,
			Index: r.Index, Slot: r.Slot, Name: r.Name, Target: r.Target})
	}
	s, err := b.Finish()
	var be *snapshot.BuildError
	if errors.As(err, &be) {
		return nil, atPath(buildPath(be), "%s", be.Msg)
	}
	return s, err
}

// buildPath turns a Builder's item position into the JSON path of the item
// (for nodes and edges, of its first number).
func buildPath(be *snapshot.BuildError) string {
	switch be.What {
	case "node":
		return fmt.Sprintf("nodes[%d]", 4*be.Index)
	case "edge":
		return fmt.Sprintf("edges[%d]", 4*be.Index)
	case "root":
		return fmt.Sprintf("roots[%d]", be.Index)
	case "type":
		return fmt.Sprintf("types[%d]", be.Index-1)
	}
	return be.What
}
