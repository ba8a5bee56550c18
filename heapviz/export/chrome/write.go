package chrome

import (
	"bufio"
	"encoding/json"
	"io"
	"strconv"

	"github.com/gcscope/gcscope/heapviz/snapshot"
)

// The enumerations of the V8 format, in its order: a node's or edge's type
// is its position here.
var (
	nodeTypes = []string{"hidden", "array", "string", "object", "code", "closure", "regexp", "number",
		"native", "synthetic", "concatenated string", "sliced string", "symbol", "bigint", "object shape"}
	edgeTypes = []string{"context", "element", "property", "internal", "hidden", "shortcut", "weak"}
)

// Positions in nodeTypes and edgeTypes.
const (
	nodeObject    = 3
	nodeClosure   = 5
	nodeNumber    = 7
	nodeNative    = 8
	nodeSynthetic = 9

	edgeElement  = 1
	edgeProperty = 2
	edgeInternal = 3
)

// NodeFields is the number of numbers per node in the export.
const NodeFields = 7

// EdgeFields is the number of numbers per edge in the export.
const EdgeFields = 3

// meta is snapshot.meta; the trace, sample and location fields describe
// arrays the export leaves empty, but DevTools expects them declared.
type meta struct {
	NodeFields              []string `json:"node_fields"`
	NodeTypes               []any    `json:"node_types"`
	EdgeFields              []string `json:"edge_fields"`
	EdgeTypes               []any    `json:"edge_types"`
	TraceFunctionInfoFields []string `json:"trace_function_info_fields"`
	TraceNodeFields         []string `json:"trace_node_fields"`
	SampleFields            []string `json:"sample_fields"`
	LocationFields          []string `json:"location_fields"`
}

type header struct {
	Meta               meta `json:"meta"`
	NodeCount          int  `json:"node_count"`
	EdgeCount          int  `json:"edge_count"`
	TraceFunctionCount int  `json:"trace_function_count"`
}

// exporter holds the string table while nodes and edges are written.
type exporter struct {
	s       *snapshot.Snapshot
	strings []string
	index   map[string]uint32
	w       *bufio.Writer
	buf     []byte
}

// Write exports s. Node n of the snapshot is node n+1 of the export (after
// the root, "(GC roots)" is inserted); the export's root is the
// snapshot's super-root.
func Write(w io.Writer, s *snapshot.Snapshot) error {
	x := &exporter{s: s, index: map[string]uint32{}, w: bufio.NewWriterSize(w, 1<<16)}
	x.str("") // V8 files start their strings with the empty name
	h := header{
		Meta: meta{
			NodeFields:              []string{"type", "name", "id", "self_size", "edge_count", "trace_node_id", "detachedness"},
			NodeTypes:               []any{nodeTypes, "string", "number", "number", "number", "number", "number"},
			EdgeFields:              []string{"type", "name_or_index", "to_node"},
			EdgeTypes:               []any{edgeTypes, "string_or_number", "node"},
			TraceFunctionInfoFields: []string{"function_id", "name", "script_name", "script_id", "line", "column"},
			TraceNodeFields:         []string{"id", "function_info_index", "count", "size", "children"},
			SampleFields:            []string{"timestamp_us", "last_assigned_id"},
			LocationFields:          []string{"object_index", "script_id", "line", "column"},
		},
		NodeCount: s.NumNodes() + 1,
		EdgeCount: s.NumEdges() + 1,
	}
	hb, err := json.Marshal(h)
	if err != nil {
		return err
	}
	x.w.WriteString(`{"snapshot":`)
	x.w.Write(hb)
	x.w.WriteString(",\n\"nodes\":[")
	x.nodes()
	x.w.WriteString("],\n\"edges\":[")
	x.edges()
	x.w.WriteString("],\n\"trace_function_infos\":[],\n\"trace_tree\":[],\n\"samples\":[],\n\"locations\":[],\n\"strings\":[")
	for i, str := range x.strings {
		if i > 0 {
			x.w.WriteString(",\n")
		}
		b, _ := json.Marshal(str) // a string always marshals
		x.w.Write(b)
	}
	x.w.WriteString("]}\n")
	return x.w.Flush()
}

// str returns the index of v in the strings table, adding it if new.
func (x *exporter) str(v string) uint32 {
	if i, ok := x.index[v]; ok {
		return i
	}
	i := uint32(len(x.strings))
	x.strings = append(x.strings, v)
	x.index[v] = i
	return i
}

// exportIndex is the export's node number of snapshot node n.
func exportIndex(n int) uint32 {
	if n == snapshot.SuperRoot {
		return 0
	}
	return uint32(n) + 1
}

func (x *exporter) line(first bool, v ...uint64) {
	x.buf = x.buf[:0]
	if !first {
		x.buf = append(x.buf, ",\n"...)
	}
	for i, n := range v {
		if i > 0 {
			x.buf = append(x.buf, ',')
		}
		x.buf = strconv.AppendUint(x.buf, n, 10)
	}
	x.w.Write(x.buf)
}

func (x *exporter) nodes() {
	s := x.s
	ids := syntheticIDs(s, 2+int(snapshot.NumRootCategories))
	edgesOf := func(n int) uint64 { lo, hi := s.Edges(n); return uint64(hi - lo) }
	x.line(true, nodeSynthetic, uint64(x.str("")), ids[0], 0, 1, 0, 0)
	x.line(false, nodeSynthetic, uint64(x.str("(GC roots)")), ids[1], 0, edgesOf(snapshot.SuperRoot), 0, 0)
	for c := range snapshot.NumRootCategories {
		n := snapshot.CategoryNode(c)
		x.line(false, nodeSynthetic, uint64(x.str(s.NodeName(n))), ids[2+int(c)], 0, edgesOf(n), 0, 0)
	}
	for n := snapshot.FirstObject; n < s.NumNodes(); n++ {
		t := s.Type(n)
		typ := uint64(nodeObject)
		switch t.Kind {
		case snapshot.KindFunc:
			typ = nodeClosure
		case snapshot.KindExtern:
			typ = nodeNative
		case snapshot.KindI31:
			typ = nodeNumber
		}
		x.line(false, typ, uint64(x.str(t.DisplayName())), uint64(s.ID(n)), uint64(s.Size(n)), edgesOf(n), 0, 0)
	}
}

// syntheticIDs picks k odd ids for the synthetic nodes, skipping any that
// a boxed i31 (the only odd object ids) already has.
func syntheticIDs(s *snapshot.Snapshot, k int) []uint64 {
	var ids []uint64
	for id := uint64(1); len(ids) < k; id += 2 {
		if _, taken := s.Find(uint32(id)); !taken {
			ids = append(ids, id)
		}
	}
	return ids
}

func (x *exporter) edges() {
	s := x.s
	// The root's one edge leads to "(GC roots)", which takes over the
	// super-root's edges to the categories.
	x.line(true, edgeElement, 1, 1*NodeFields)
	for n := range s.NumNodes() {
		lo, hi := s.Edges(n)
		for e := lo; e < hi; e++ {
			to := uint64(exportIndex(s.EdgeTo(e))) * NodeFields
			switch s.EdgeKind(e) {
			case snapshot.EdgeField:
				x.line(false, edgeProperty, uint64(x.str(s.EdgeName(e))), to)
			case snapshot.EdgeElement:
				x.line(false, edgeElement, uint64(s.EdgeIndex(e)), to)
			case snapshot.EdgeInternal:
				if n == snapshot.SuperRoot {
					x.line(false, edgeElement, uint64(s.EdgeIndex(e)), to)
					continue
				}
				x.line(false, edgeInternal, uint64(x.str(s.EdgeName(e))), to)
			default: // root edges
				x.line(false, edgeInternal, uint64(x.str(s.EdgeName(e))), to)
			}
		}
	}
}
