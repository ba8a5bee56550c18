package dot

import (
	"bytes"
	"os/exec"
	"regexp"
	"testing"

	"github.com/gcscope/gcscope/heapviz/analysis"
	"github.com/gcscope/gcscope/heapviz/internal/golden"
	"github.com/gcscope/gcscope/heapviz/internal/heapgen"
	"github.com/gcscope/gcscope/heapviz/snapshot"
)

func sample(t *testing.T) *snapshot.Snapshot {
	t.Helper()
	s, err := heapgen.Sample().Build()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func draw(t *testing.T, s *snapshot.Snapshot, id uint32, opts Options) []byte {
	t.Helper()
	n, ok := s.Find(id)
	if !ok {
		t.Fatalf("no object %#x", id)
	}
	var buf bytes.Buffer
	if err := Write(&buf, s, n, opts); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestGolden(t *testing.T) {
	s := sample(t)
	cases := []struct {
		file string
		id   uint32
		opts Options
	}{
		// The second list cell: retained by the first cell and the array.
		{"cons-1hop.dot", 0x28, Options{Hops: 1}},
		// The tree root, two hops, with retained sizes.
		{"tree-2hops.dot", 0x50, Options{Hops: 2, Dom: analysis.Dominators(s)}},
		// The array, capped at four nodes: hidden edges are counted.
		{"vec-capped.dot", 0x98, Options{Hops: 3, MaxNodes: 4}},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			out := draw(t, s, c.id, c.opts)
			golden.Check(t, c.file, out)
			if dot, err := exec.LookPath("dot"); err == nil {
				cmd := exec.Command(dot, "-Tsvg", "-o", "/dev/null")
				cmd.Stdin = bytes.NewReader(out)
				if msg, err := cmd.CombinedOutput(); err != nil {
					t.Errorf("Graphviz rejects the output: %v\n%s", err, msg)
				}
			}
		})
	}
}

func TestNeighbourhoodCap(t *testing.T) {
	s := sample(t)
	out := string(draw(t, s, 0x98, Options{Hops: 5, MaxNodes: 3}))
	if n := len(regexp.MustCompile(`(?m)^\tn\d+ \[`).FindAllString(out, -1)); n != 3 {
		t.Errorf("%d nodes drawn, want the cap of 3:\n%s", n, out)
	}
}

func TestQuoteEscapes(t *testing.T) {
	if got, want := quote("a\"b\\c\nd"), `"a\"b\\c\nd"`; got != want {
		t.Errorf("quote = %s, want %s", got, want)
	}
}

func TestBadCenter(t *testing.T) {
	s := sample(t)
	if err := Write(&bytes.Buffer{}, s, s.NumNodes(), Options{}); err == nil {
		t.Error("Write accepted a node past the end")
	}
}
