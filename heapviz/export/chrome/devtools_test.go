package chrome

import (
	"encoding/json"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/gcscope/gcscope/heapviz/analysis"
	"github.com/gcscope/gcscope/heapviz/internal/heapgen"
	"github.com/gcscope/gcscope/heapviz/snapshot"
)

// devtoolsView is what testdata/devtools/check.ts prints.
type devtoolsView struct {
	Classes map[string]struct {
		Count int    `json:"count"`
		Self  uint64 `json:"self"`
	} `json:"classes"`
	Nodes map[string]struct {
		Retained  uint64 `json:"retained"`
		Dominator uint64 `json:"dominator"`
		Distance  int    `json:"distance"`
	} `json:"nodes"`
}

// TestDevToolsAgrees loads exports with Chrome DevTools' own heap snapshot
// code and checks that DevTools computes the same dominators, retained
// sizes, distances and class totals as heapviz. It needs Node.js and the
// harness testdata/devtools/setup.sh builds, named by HEAPVIZ_DEVTOOLS;
// without them it is skipped.
func TestDevToolsAgrees(t *testing.T) {
	harness := os.Getenv("HEAPVIZ_DEVTOOLS")
	if harness == "" {
		t.Skip("set HEAPVIZ_DEVTOOLS to the harness testdata/devtools/setup.sh builds")
	}
	snaps := map[string]*heapgen.Heap{"sample": heapgen.Sample()}
	for seed := uint64(1); seed <= 20; seed++ {
		rng := rand.New(rand.NewPCG(seed, 6))
		snaps["random"+strconv.FormatUint(seed, 10)] = heapgen.Random(rng, 5+rng.IntN(40), rng.IntN(120), 3+rng.IntN(10))
	}
	snaps["heaplike"] = heapgen.HeapLike(rand.New(rand.NewPCG(7, 7)), 20000)
	for name, h := range snaps {
		t.Run(name, func(t *testing.T) {
			s, err := h.Build()
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(t.TempDir(), name+".heapsnapshot")
			if err := os.WriteFile(path, export(t, s), 0o644); err != nil {
				t.Fatal(err)
			}
			out, err := exec.Command("node", harness, path).Output()
			if err != nil {
				t.Fatalf("DevTools harness: %v", err)
			}
			var view devtoolsView
			if err := json.Unmarshal(out, &view); err != nil {
				t.Fatal(err)
			}
			compareWithDevTools(t, s, &view)
		})
	}
}

func compareWithDevTools(t *testing.T, s *snapshot.Snapshot, view *devtoolsView) {
	t.Helper()
	d := analysis.Dominators(s)
	p := analysis.ShortestPaths(s)
	ids := syntheticIDs(s, 2+int(snapshot.NumRootCategories))
	// exportID is the id node n has in the export; the super-root's role
	// (dominating everything reachable) is played by "(GC roots)".
	exportID := func(n int) uint64 {
		switch {
		case n == snapshot.SuperRoot:
			return ids[1]
		case n < snapshot.FirstObject:
			return ids[1+n]
		}
		return uint64(s.ID(n))
	}
	// DevTools hangs unreachable objects under its root and lets them
	// retain what they point to; heapviz leaves garbage out, as a
	// collection would. Where garbage points at live objects the two
	// dominator trees differ by design, so only distances and class
	// totals are compared.
	garbageRetains := false
	for n := snapshot.FirstObject; n < s.NumNodes(); n++ {
		lo, hi := s.Edges(n)
		for e := lo; e < hi; e++ {
			if !d.Reachable(n) && d.Reachable(s.EdgeTo(e)) {
				garbageRetains = true
			}
		}
	}
	if garbageRetains {
		t.Log("garbage points at live objects: dominators not compared")
	}
	for n := range s.NumNodes() {
		if !d.Reachable(n) {
			continue
		}
		id := exportID(n)
		got, ok := view.Nodes[strconv.FormatUint(id, 10)]
		if !ok {
			t.Fatalf("DevTools has no node with id %d (%s)", id, s.NodeName(n))
		}
		if !garbageRetains && got.Retained != d.Retained(n) {
			t.Errorf("%s: DevTools retained %d, heapviz %d", s.NodeName(n), got.Retained, d.Retained(n))
		}
		if n != snapshot.SuperRoot {
			if want := exportID(d.Idom(n)); !garbageRetains && got.Dominator != want {
				t.Errorf("%s: DevTools dominator @%d, heapviz @%d", s.NodeName(n), got.Dominator, want)
			}
			if want := p.Distance(n) + 1; got.Distance != want {
				t.Errorf("%s: DevTools distance %d, heapviz %d (+1 for (GC roots))", s.NodeName(n), got.Distance, want)
			}
		}
	}
	for _, ts := range analysis.Histogram(s, nil) {
		typ := &s.Types()[ts.Type]
		name := typ.DisplayName()
		if typ.Kind == snapshot.KindFunc {
			name = "Function" // DevTools' class for closures
		}
		if c := view.Classes[name]; c.Count != ts.Count || c.Self != ts.Shallow {
			t.Errorf("class %s: DevTools %d objects, %d bytes; heapviz %d, %d", name, c.Count, c.Self, ts.Count, ts.Shallow)
		}
	}
}
