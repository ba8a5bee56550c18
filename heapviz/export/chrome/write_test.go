package chrome

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"testing"

	"github.com/gcscope/gcscope/heapviz/internal/golden"
	"github.com/gcscope/gcscope/heapviz/internal/heapgen"
	"github.com/gcscope/gcscope/heapviz/snapshot"
)

// file is the parts of a .heapsnapshot the invariants are about, read
// back the way DevTools reads them.
type file struct {
	Snapshot struct {
		Meta struct {
			NodeFields []string          `json:"node_fields"`
			NodeTypes  []json.RawMessage `json:"node_types"`
			EdgeFields []string          `json:"edge_fields"`
			EdgeTypes  []json.RawMessage `json:"edge_types"`
		} `json:"meta"`
		NodeCount int `json:"node_count"`
		EdgeCount int `json:"edge_count"`
	} `json:"snapshot"`
	Nodes   []uint64 `json:"nodes"`
	Edges   []uint64 `json:"edges"`
	Strings []string `json:"strings"`
}

func export(t *testing.T, s *snapshot.Snapshot) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, s); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// checkInvariants fails t where the export breaks a rule DevTools relies
// on, and checks that it holds the snapshot's graph.
func checkInvariants(t *testing.T, s *snapshot.Snapshot, data []byte) {
	t.Helper()
	var f file
	if err := json.Unmarshal(data, &f); err != nil {
		t.Fatalf("export is not JSON DevTools can parse: %v", err)
	}
	m := f.Snapshot.Meta
	if len(m.NodeFields) != NodeFields || len(m.NodeTypes) != NodeFields || len(m.EdgeFields) != EdgeFields || len(m.EdgeTypes) != EdgeFields {
		t.Fatalf("meta declares %d node fields (%d types), %d edge fields (%d types)",
			len(m.NodeFields), len(m.NodeTypes), len(m.EdgeFields), len(m.EdgeTypes))
	}
	var nodeTypeNames, edgeTypeNames []string
	if json.Unmarshal(m.NodeTypes[0], &nodeTypeNames) != nil || json.Unmarshal(m.EdgeTypes[0], &edgeTypeNames) != nil {
		t.Fatal("node_types[0] or edge_types[0] is not the type enumeration")
	}
	if len(f.Nodes)%NodeFields != 0 {
		t.Fatalf("nodes has %d numbers, not a multiple of %d", len(f.Nodes), NodeFields)
	}
	if len(f.Edges)%EdgeFields != 0 {
		t.Fatalf("edges has %d numbers, not a multiple of %d", len(f.Edges), EdgeFields)
	}
	nodeCount, edgeCount := len(f.Nodes)/NodeFields, len(f.Edges)/EdgeFields
	if f.Snapshot.NodeCount != nodeCount || f.Snapshot.EdgeCount != edgeCount {
		t.Errorf("node_count %d / edge_count %d, arrays hold %d / %d", f.Snapshot.NodeCount, f.Snapshot.EdgeCount, nodeCount, edgeCount)
	}
	if nodeCount != s.NumNodes()+1 {
		t.Errorf("%d nodes exported for %d in the snapshot (+1 for (GC roots))", nodeCount, s.NumNodes())
	}
	sum := 0
	ids := map[uint64]int{}
	for i := 0; i < len(f.Nodes); i += NodeFields {
		typ, name, id, count := f.Nodes[i], f.Nodes[i+1], f.Nodes[i+2], f.Nodes[i+4]
		if typ >= uint64(len(nodeTypeNames)) || name >= uint64(len(f.Strings)) {
			t.Fatalf("node %d: type %d or name %d out of range", i/NodeFields, typ, name)
		}
		if j, dup := ids[id]; dup {
			t.Fatalf("nodes %d and %d share id %d", j, i/NodeFields, id)
		}
		ids[id] = i / NodeFields
		sum += int(count)
	}
	if sum != edgeCount {
		t.Fatalf("edge counts sum to %d, edges holds %d", sum, edgeCount)
	}
	if f.Nodes[0] != nodeSynthetic || f.Edges[2] != NodeFields || f.Strings[f.Nodes[NodeFields+1]] != "(GC roots)" {
		t.Fatalf("the first node is not a synthetic root whose first edge leads to (GC roots)")
	}
	for i := 0; i < len(f.Edges); i += EdgeFields {
		typ, nameOrIndex, to := f.Edges[i], f.Edges[i+1], f.Edges[i+2]
		if typ >= uint64(len(edgeTypeNames)) {
			t.Fatalf("edge %d: type %d out of range", i/EdgeFields, typ)
		}
		if typ != edgeElement && typ != 4 /* hidden */ && nameOrIndex >= uint64(len(f.Strings)) {
			t.Fatalf("edge %d: name %d is not in the strings table", i/EdgeFields, nameOrIndex)
		}
		if to%NodeFields != 0 || to/NodeFields >= uint64(nodeCount) {
			t.Fatalf("edge %d: to_node %d is not a node's position", i/EdgeFields, to)
		}
	}
	// Each object keeps its id, size and edges (by target id and name).
	edge := 0
	for i := 0; i < len(f.Nodes); i += NodeFields {
		exp := i / NodeFields
		n := exp - 1
		for range f.Nodes[i+4] {
			if n >= snapshot.FirstObject {
				lo, _ := s.Edges(n)
				e := lo + edge - firstEdge(f, exp)
				to := f.Edges[edge*EdgeFields+2] / NodeFields
				if f.Nodes[to*NodeFields+2] != uint64(s.ID(s.EdgeTo(e))) {
					t.Fatalf("node %s: edge to id %d, want %s", s.NodeName(n), f.Nodes[to*NodeFields+2], s.NodeName(s.EdgeTo(e)))
				}
			}
			edge++
		}
		if n >= snapshot.FirstObject && (f.Nodes[i+2] != uint64(s.ID(n)) || f.Nodes[i+3] != uint64(s.Size(n))) {
			t.Fatalf("node %d: id %d size %d, want %s size %d", exp, f.Nodes[i+2], f.Nodes[i+3], s.NodeName(n), s.Size(n))
		}
	}
}

// firstEdge returns the position in edges of export node exp's first edge.
func firstEdge(f file, exp int) int {
	k := 0
	for i := 0; i < exp; i++ {
		k += int(f.Nodes[i*NodeFields+4])
	}
	return k
}

func TestSampleGolden(t *testing.T) {
	s, err := heapgen.Sample().Build()
	if err != nil {
		t.Fatal(err)
	}
	data := export(t, s)
	checkInvariants(t, s, data)
	golden.Check(t, "sample.heapsnapshot", data)
}

func TestInvariantsOnRandomSnapshots(t *testing.T) {
	for seed := uint64(1); seed <= 40; seed++ {
		rng := rand.New(rand.NewPCG(seed, 4))
		h := heapgen.Random(rng, rng.IntN(30), rng.IntN(90), rng.IntN(6))
		s, err := h.Build()
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("seed %d", seed)
		checkInvariants(t, s, export(t, s))
	}
}

func TestSyntheticIDsAvoidI31(t *testing.T) {
	b := snapshot.NewBuilder(0, 0)
	i31 := b.AddType(snapshot.Type{ID: snapshot.NoType, Kind: snapshot.KindI31, Name: "i31"})
	for _, id := range []uint32{1, 3, 7} {
		b.AddNode(snapshot.Node{ID: id, Type: i31})
	}
	s, err := b.Finish()
	if err != nil {
		t.Fatal(err)
	}
	checkInvariants(t, s, export(t, s)) // fails on repeated ids
}
