package analysis

import (
	"slices"
	"testing"

	"github.com/gcscope/gcscope/heapviz/snapshot"
)

func TestHistogramMatchesBruteForce(t *testing.T) {
	for seed := uint64(1); seed <= randomGraphs; seed++ {
		s := randomSnapshot(t, seed)
		all, dominates := bruteDominance(s)
		want := make([]TypeStats, len(s.Types()))
		for n := snapshot.FirstObject; n < s.NumNodes(); n++ {
			ti := s.TypeIndex(n)
			w := &want[ti]
			w.Type = ti
			w.Count++
			w.Shallow += uint64(s.Size(n))
			// Retained counts the objects no same-typed object dominates.
			covered := false
			for x := snapshot.FirstObject; x < s.NumNodes(); x++ {
				if dominates[x][n] && s.TypeIndex(x) == ti {
					covered = true
				}
			}
			if !covered {
				w.Retained += bruteRetained(s, all, dominates, n)
			}
		}
		got := Histogram(s, Dominators(s))
		for i := 1; i < len(got); i++ {
			if got[i-1].Shallow < got[i].Shallow {
				t.Fatalf("seed %d: histogram not sorted by shallow size: %+v", seed, got)
			}
		}
		slices.SortFunc(got, func(a, b TypeStats) int { return a.Type - b.Type })
		want = slices.DeleteFunc(want, func(t TypeStats) bool { return t.Count == 0 })
		if !slices.Equal(got, want) {
			t.Fatalf("seed %d: histogram\n got %+v\nwant %+v", seed, got, want)
		}
	}
	t.Logf("checked seeds 1..%d", randomGraphs)
}

func TestHistogramWithoutDominators(t *testing.T) {
	s := randomSnapshot(t, 7)
	for _, ts := range Histogram(s, nil) {
		if ts.Retained != 0 || ts.Count == 0 {
			t.Errorf("type %d: %+v, want a count and no retained size", ts.Type, ts)
		}
	}
}
