package snapjson

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/gcscope/gcscope/heapviz/internal/golden"
	"github.com/gcscope/gcscope/heapviz/internal/heapgen"
	"github.com/gcscope/gcscope/heapviz/snapshot"
)

func sample(t testing.TB) *snapshot.Snapshot {
	t.Helper()
	s, err := heapgen.Sample().Build()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func write(t testing.TB, s *snapshot.Snapshot) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, s); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestSampleGolden(t *testing.T) {
	golden.Check(t, "sample.json", write(t, sample(t)))
}

// TestRoundTrip writes and reads back random and sample snapshots: the
// text written again must be identical, which compares every node, edge,
// type and root.
func TestRoundTrip(t *testing.T) {
	snaps := []*snapshot.Snapshot{sample(t)}
	for seed := uint64(1); seed <= 30; seed++ {
		rng := rand.New(rand.NewPCG(seed, 3))
		s, err := heapgen.Random(rng, rng.IntN(40), rng.IntN(120), rng.IntN(10)).Build()
		if err != nil {
			t.Fatal(err)
		}
		snaps = append(snaps, s)
	}
	for i, s := range snaps {
		first := write(t, s)
		back, err := Read(bytes.NewReader(first))
		if err != nil {
			t.Fatalf("snapshot %d: %v\n%s", i, err, first)
		}
		if back.NumNodes() != s.NumNodes() || back.NumEdges() != s.NumEdges() {
			t.Fatalf("snapshot %d: %d/%d nodes, %d/%d edges after the round trip",
				i, back.NumNodes(), s.NumNodes(), back.NumEdges(), s.NumEdges())
		}
		if second := write(t, back); !bytes.Equal(first, second) {
			t.Fatalf("snapshot %d changed in a round trip:\n%s\n---\n%s", i, first, second)
		}
	}
}

func TestReadSkipsUnknownMembers(t *testing.T) {
	good := string(write(t, sample(t)))
	input := strings.Replace(good, `"types": [`, `"taken": {"at": "13:00", "by": ["gcscope", null, true, 1.5e3]}, "t\u0079pes": [`, 1)
	s, err := Read(strings.NewReader(input))
	if err != nil {
		t.Fatal(err)
	}
	if got := string(write(t, s)); got != good {
		t.Errorf("unknown member changed the snapshot:\n%s", got)
	}
}

func TestReadRejectsDamage(t *testing.T) {
	good := string(write(t, sample(t)))
	cases := []struct {
		name, input, want string
	}{
		{"empty", "", "byte offset 0: unexpected end of file"},
		{"truncated", good[:100], "byte offset 100: unexpected end of file"},
		{"syntax", `{"format": "gcscope-heap-snapshot", "version": 1,, }`, "byte offset 49: invalid character ','"},
		{"not an object", `[1,2]`, "byte offset 0: the snapshot is not a JSON object"},
		{"trailing data", good + "{}", "data after the snapshot object"},
		{"wrong format", `{"format": "v8", "version": 1}`, "format: want"},
		{"no version", `{"format": "gcscope-heap-snapshot"}`, "version: version missing is not supported"},
		{"future version", `{"format": "gcscope-heap-snapshot", "version": 2}`, "version: version 2 is not supported"},
		{"string node", strings.Replace(good, `"nodes": [`+"\n8,", `"nodes": ["8",`, 1), "nodes[0]: a string where a number belongs"},
		{"fraction", strings.Replace(good, `"nodes": [`+"\n8,", `"nodes": [8.5,`, 1), "nodes[0]: 8.5 is not an unsigned 32-bit integer"},
		{"negative", strings.Replace(good, `"nodes": [`+"\n8,", `"nodes": [-8,`, 1), "nodes[0]: -8 is not an unsigned 32-bit integer"},
		{"huge", strings.Replace(good, `"nodes": [`+"\n8,", `"nodes": [4294967296,`, 1), "nodes[0]: 4294967296 is not an unsigned 32-bit integer"},
		{"exponent", strings.Replace(good, "\n24,2,", "\n24,2e0,", 1), "nodes[5]: 2e0 is not an unsigned 32-bit integer"},
		{"leading zero", strings.Replace(good, "\n24,2,", "\n024,2,", 1), "byte offset 433: invalid value \"024\" in nodes"},
		{"junk number", strings.Replace(good, "\n24,2,", "\n24x,2,", 1), "byte offset 435: invalid character 'x' in nodes, want ',' or ']'"},
		{"missing comma", strings.Replace(good, "\n24,2,", "\n24 2,", 1), "byte offset 436: invalid character '2' in nodes, want ',' or ']'"},
		{"unterminated nodes", good[:strings.Index(good, "]")+1] + `, "nodes": [8,1`, "unexpected end of file"},
		{"types not an array", strings.Replace(good, `"types": [`, `"types": "x", "t": [`, 1), "byte offset 60: types: a JSON string where []snapjson.fileType belongs"},
		{"broken unknown member", strings.Replace(good, `"types": [`, `"extra": [1,}, "types": [`, 1), "extra: invalid character '}'"},
		{"missing colon", strings.Replace(good, `"types": [`, `"types" [`, 1), "byte offset 59: invalid character '[', want ':'"},
		{"control character", strings.Replace(good, `"$tree"`, "\"$t\x01ree\"", 1), "control character 0x1"},
		{"short nodes", strings.Replace(good, `"nodes": [`+"\n8,", `"nodes": [`, 1), "nodes: 39 numbers is not four per node"},
		{"bad type index", strings.Replace(good, "\n8,1,", "\n8,99,", 1), "nodes[1]: type 99 is not in types"},
		{"bad kind", strings.Replace(good, `"kind":"struct"`, `"kind":"blob"`, 1), `types[0].kind: unknown kind "blob"`},
		{"bad type id", strings.Replace(good, `"id":10,`, `"id":-2,`, 1), `types[0].id: -2 is not a type id`},
		{"repeated type", strings.Replace(good, `"id":11,`, `"id":10,`, 1), "types[1]: repeats types[0]"},
		{"repeated id", strings.Replace(good, "\n24,", "\n8,", 1), "nodes[4]: id 0x8 repeats node 0"},
		{"odd id", strings.Replace(good, "\n24,", "\n25,", 1), "nodes[4]: array id 0x19 is odd"},
		{"dangling edge", strings.Replace(good, `"edges": [`+"\n8,40,", `"edges": [`+"\n8,44,", 1), "edges[0]: target 0x2c is not an object"},
		{"root edge kind", strings.Replace(good, `"edges": [`+"\n8,40,0,", `"edges": [`+"\n8,40,3,", 1), "edges[2]: 3 is not an edge kind"},
		{"bad category", strings.Replace(good, `"category":"global"`, `"category":"heap"`, 1), `roots[1].category: unknown category "heap"`},
		{"dangling root", strings.Replace(good, `"target":80`, `"target":88`, 1), "roots[1]: target 0x58 is not an object"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.input == good {
				t.Fatal("the damage was not applied: the test's replacement text is stale")
			}
			_, err := Read(strings.NewReader(c.input))
			var fe *FormatError
			if !errors.As(err, &fe) || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("Read error = %v, want a FormatError containing %q", err, c.want)
			}
		})
	}
}

// FuzzReadSnapshot feeds Read arbitrary bytes: it must return a snapshot
// or a *FormatError, never panic, and what it accepts must survive a
// round trip unchanged.
func FuzzReadSnapshot(f *testing.F) {
	f.Add(write(f, sample(f)))
	f.Add([]byte(`{"format":"gcscope-heap-snapshot","version":1}`))
	f.Add([]byte(`{"format":"gcscope-heap-snapshot","version":1,"types":[{"id":-1,"kind":"func"}],"nodes":[8,0,16,0],"edges":[8,8,2,0],"roots":[{"category":"other","target":8}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := Read(bytes.NewReader(data))
		if err != nil {
			var fe *FormatError
			if !errors.As(err, &fe) {
				t.Fatalf("error is not a *FormatError: %v", err)
			}
			return
		}
		first := write(t, s)
		back, err := Read(bytes.NewReader(first))
		if err != nil {
			t.Fatalf("rereading what was written: %v\n%s", err, first)
		}
		if second := write(t, back); !bytes.Equal(first, second) {
			t.Fatalf("round trip changed the snapshot:\n%s\n---\n%s", first, second)
		}
	})
}
