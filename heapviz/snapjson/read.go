package snapjson

import (
	"bytes"
	"encoding/json"
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

// file is the JSON document; numbers go through int64 so that values out
// of the uint32 range are reported with their path instead of as a
// decoding failure.
type file struct {
	Format  *string    `json:"format"`
	Version *int64     `json:"version"`
	Types   []fileType `json:"types"`
	Nodes   []int64    `json:"nodes"`
	Edges   []int64    `json:"edges"`
	Roots   []fileRoot `json:"roots"`
}

// Read reads a snapshot in the JSON format. Any damage is reported as a
// *FormatError; nothing in the input can make it panic.
func Read(r io.Reader) (*snapshot.Snapshot, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	var f file
	if err := decode(data, &f); err != nil {
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
	return build(&f)
}

// decode parses data, turning encoding/json's errors into FormatErrors
// with byte offsets.
func decode(data []byte, f *file) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	err := dec.Decode(f)
	if err == nil {
		if _, extra := dec.Token(); extra != io.EOF {
			return &FormatError{Offset: dec.InputOffset(), Msg: "data after the snapshot object"}
		}
		return nil
	}
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return &FormatError{Offset: badByte(syn.Offset), Msg: syn.Error()}
	case errors.As(err, &typ):
		field := typ.Field
		if field == "" {
			field = "the top level"
		}
		return &FormatError{Offset: badByte(typ.Offset), Msg: fmt.Sprintf("%s: a JSON %s where %s belongs", field, typ.Value, typ.Type)}
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return &FormatError{Offset: int64(len(data)), Msg: "unexpected end of file"}
	}
	return &FormatError{Offset: dec.InputOffset(), Msg: err.Error()}
}

// badByte turns encoding/json's offsets, which count the bytes read up to
// and including the offending one, into that byte's own offset.
func badByte(read int64) int64 { return max(read-1, 0) }

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
		if err := checkU32(f.Nodes[i:i+4], "nodes", i); err != nil {
			return nil, err
		}
		ti := f.Nodes[i+1]
		if ti >= int64(len(typeIdx)) {
			return nil, atPath(fmt.Sprintf("nodes[%d]", i+1), "type %d is not in types (%d of them)", ti, len(typeIdx))
		}
		b.AddNode(snapshot.Node{ID: uint32(f.Nodes[i]), Type: typeIdx[ti], Size: uint32(f.Nodes[i+2]), Len: uint32(f.Nodes[i+3])})
	}
	for i := 0; i < len(f.Edges); i += 4 {
		if err := checkU32(f.Edges[i:i+4], "edges", i); err != nil {
			return nil, err
		}
		k := snapshot.EdgeKind(f.Edges[i+2])
		if f.Edges[i+2] > int64(snapshot.EdgeInternal) {
			return nil, atPath(fmt.Sprintf("edges[%d]", i+2), "%d is not an edge kind (0 field, 1 element, 2 internal)", f.Edges[i+2])
		}
		b.AddEdge(uint32(f.Edges[i]), uint32(f.Edges[i+1]), k, uint32(f.Edges[i+3]))
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

// checkU32 reports the first of a node's or edge's numbers that does not
// fit a uint32.
func checkU32(vals []int64, array string, base int) error {
	for j, v := range vals {
		if v < 0 || v > math.MaxUint32 {
			return atPath(fmt.Sprintf("%s[%d]", array, base+j), "%d is not an unsigned 32-bit number", v)
		}
	}
	return nil
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
