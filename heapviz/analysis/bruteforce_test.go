package analysis

import (
	"math/rand/v2"
	"testing"

	"github.com/gcscope/gcscope/heapviz/internal/heapgen"
	"github.com/gcscope/gcscope/heapviz/snapshot"
)

// reachWithout returns which nodes the super-root reaches when node skip
// is removed (skip < 0 removes nothing): the definition that dominators
// and retained sizes are checked against.
func reachWithout(s *snapshot.Snapshot, skip int) []bool {
	seen := make([]bool, s.NumNodes())
	if skip == snapshot.SuperRoot {
		return seen
	}
	seen[snapshot.SuperRoot] = true
	queue := []int{snapshot.SuperRoot}
	for len(queue) > 0 {
		v := queue[0]
		queue = queue[1:]
		lo, hi := s.Edges(v)
		for e := lo; e < hi; e++ {
			if w := s.EdgeTo(e); w != skip && !seen[w] {
				seen[w] = true
				queue = append(queue, w)
			}
		}
	}
	return seen
}

// bruteDominance returns which nodes the super-root reaches and, for
// each pair, whether x dominates w strictly: removing x cuts w off.
func bruteDominance(s *snapshot.Snapshot) (all []bool, dominates [][]bool) {
	n := s.NumNodes()
	all = reachWithout(s, -1)
	dominates = make([][]bool, n)
	for x := range n {
		without := reachWithout(s, x)
		dominates[x] = make([]bool, n)
		for w := range n {
			dominates[x][w] = all[w] && !without[w] && w != x
		}
	}
	return all, dominates
}

// bruteRetained is w's shallow size plus that of every node it dominates.
func bruteRetained(s *snapshot.Snapshot, all []bool, dominates [][]bool, w int) uint64 {
	if !all[w] {
		return 0
	}
	ret := uint64(s.Size(w))
	for v := range s.NumNodes() {
		if dominates[w][v] {
			ret += uint64(s.Size(v))
		}
	}
	return ret
}

// randomSnapshot builds one of the many small random graphs; the seed is
// what a failure report names, so the case can be replayed.
func randomSnapshot(t testing.TB, seed uint64) *snapshot.Snapshot {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15))
	n := 1 + rng.IntN(30)
	h := heapgen.Random(rng, n, rng.IntN(3*n+1), rng.IntN(6))
	s, err := h.Build()
	if err != nil {
		t.Fatalf("seed %d: build: %v", seed, err)
	}
	return s
}

const randomGraphs = 400

func TestDominatorsMatchBruteForce(t *testing.T) {
	for seed := uint64(1); seed <= randomGraphs; seed++ {
		s := randomSnapshot(t, seed)
		d := Dominators(s)
		n := s.NumNodes()
		all, dominates := bruteDominance(s)
		depth := make([]int, n) // number of strict dominators
		for w := range n {
			for x := range n {
				if dominates[x][w] {
					depth[w]++
				}
			}
		}
		reached := 0
		for w := range n {
			if all[w] {
				reached++
			}
			if d.Reachable(w) != all[w] {
				t.Fatalf("seed %d: node %d: Reachable = %v, want %v", seed, w, d.Reachable(w), all[w])
			}
			want := None
			if all[w] && w != snapshot.SuperRoot {
				// The immediate dominator is the deepest strict one.
				for x := range n {
					if dominates[x][w] && (want == None || depth[x] > depth[want]) {
						want = x
					}
				}
			}
			if got := d.Idom(w); got != want {
				t.Fatalf("seed %d: node %d: Idom = %d, want %d", seed, w, got, want)
			}
			ret := bruteRetained(s, all, dominates, w)
			if got := d.Retained(w); got != ret {
				t.Fatalf("seed %d: node %d: Retained = %d, want %d", seed, w, got, ret)
			}
		}
		if d.NumReachable() != reached {
			t.Fatalf("seed %d: NumReachable = %d, want %d", seed, d.NumReachable(), reached)
		}
	}
	t.Logf("checked seeds 1..%d", randomGraphs)
}
