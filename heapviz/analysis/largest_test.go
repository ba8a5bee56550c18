package analysis

import (
	"slices"
	"testing"

	"github.com/gcscope/gcscope/heapviz/snapshot"
)

func TestLargestMatchesSorting(t *testing.T) {
	for seed := uint64(1); seed <= 100; seed++ {
		s := randomSnapshot(t, seed)
		d := Dominators(s)
		var all []int
		for n := snapshot.FirstObject; n < s.NumNodes(); n++ {
			if d.Reachable(n) {
				all = append(all, n)
			}
		}
		slices.SortStableFunc(all, func(a, b int) int {
			ra, rb := d.Retained(a), d.Retained(b)
			switch {
			case ra > rb:
				return -1
			case ra < rb:
				return 1
			}
			return a - b
		})
		for _, k := range []int{0, 1, 3, len(all), len(all) + 5} {
			want := all[:min(k, len(all))]
			if got := Largest(d, k); !slices.Equal(got, want) && !(len(got) == 0 && len(want) == 0) {
				t.Fatalf("seed %d: Largest(%d) = %v, want %v", seed, k, got, want)
			}
		}
	}
}
