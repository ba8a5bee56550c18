package compile

import (
	"testing"

	"github.com/gcscope/gcscope/engine/aot/aotfile"
)

func TestMemoryFeatures(t *testing.T) {
	cases := []struct {
		src  string
		want aotfile.Features
	}{
		{`(module (memory 1))`, 0},
		{`(module (memory i64 1))`, aotfile.FeatureMemory64},
		{`(module (table i64 1 funcref))`, aotfile.FeatureMemory64},
		{`(module (memory 1) (memory 1))`, aotfile.FeatureMultiMemory},
		{`(module (import "a" "m" (memory 1)) (memory 1))`, aotfile.FeatureMultiMemory},
		{`(module (memory 1 1 shared))`, aotfile.FeatureThreads},
		{`(module (func atomic.fence))`, aotfile.FeatureThreads},
		{`(module (memory i64 1) (memory 1 1 shared))`,
			aotfile.FeatureMemory64 | aotfile.FeatureMultiMemory | aotfile.FeatureThreads},
	}
	for _, c := range cases {
		if got := memoryFeatures(parse(t, []byte(c.src))); got != c.want {
			t.Errorf("%s: features %s, want %s", c.src, got, c.want)
		}
	}
}
