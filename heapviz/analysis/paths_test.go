package analysis

import (
	"testing"

	"github.com/gcscope/gcscope/heapviz/snapshot"
)

// relaxDistances computes distances from the super-root by repeated
// relaxation over all edges (Bellman–Ford), a different method from the
// BFS under test.
func relaxDistances(s *snapshot.Snapshot) []int {
	const inf = 1 << 30
	dist := make([]int, s.NumNodes())
	for i := range dist {
		dist[i] = inf
	}
	dist[snapshot.SuperRoot] = 0
	for changed := true; changed; {
		changed = false
		for v := range s.NumNodes() {
			lo, hi := s.Edges(v)
			for e := lo; e < hi; e++ {
				if w := s.EdgeTo(e); dist[v]+1 < dist[w] {
					dist[w] = dist[v] + 1
					changed = true
				}
			}
		}
	}
	for i := range dist {
		if dist[i] == inf {
			dist[i] = -1
		}
	}
	return dist
}

func TestShortestPathsMatchBruteForce(t *testing.T) {
	for seed := uint64(1); seed <= randomGraphs; seed++ {
		s := randomSnapshot(t, seed)
		p := ShortestPaths(s)
		dist := relaxDistances(s)
		for n := range s.NumNodes() {
			if got := p.Distance(n); got != dist[n] {
				t.Fatalf("seed %d: node %d: Distance = %d, want %d", seed, n, got, dist[n])
			}
			path, ok := p.PathTo(n)
			wantOK := n >= snapshot.FirstObject && dist[n] >= 0
			if ok != wantOK {
				t.Fatalf("seed %d: node %d: PathTo ok = %v, want %v", seed, n, ok, wantOK)
			}
			if !ok {
				continue
			}
			if path.Len() != dist[n]-2 {
				t.Fatalf("seed %d: node %d: path of %d references, want %d", seed, n, path.Len(), dist[n]-2)
			}
			checkPath(t, s, seed, n, path)
		}
	}
	t.Logf("checked seeds 1..%d", randomGraphs)
}

// checkPath checks that path is made of real edges, chained, starting
// with the root edge it claims and ending at n.
func checkPath(t *testing.T, s *snapshot.Snapshot, seed uint64, n int, path Path) {
	t.Helper()
	root := s.Roots()[path.Root]
	first := path.Steps[0]
	if first.Kind != snapshot.EdgeRoot || first.From != snapshot.CategoryNode(path.Category) ||
		root.Category != path.Category || s.ID(first.To) != root.Target {
		t.Fatalf("seed %d: node %d: path does not start at root %d (%+v): %+v", seed, n, path.Root, root, first)
	}
	at := first.From
	for i, st := range path.Steps {
		if st.From != at || s.EdgeFrom(st.Edge) != st.From || s.EdgeTo(st.Edge) != st.To ||
			s.EdgeKind(st.Edge) != st.Kind || st.Label != s.EdgeName(st.Edge) {
			t.Fatalf("seed %d: node %d: step %d is not edge %d: %+v", seed, n, i, st.Edge, st)
		}
		at = st.To
	}
	if at != n {
		t.Fatalf("seed %d: node %d: path ends at %d", seed, n, at)
	}
}
