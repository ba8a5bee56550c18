package loader

import (
	"fmt"
	"os"
	"testing"

	"github.com/gcscope/gcscope/engine/interp/wastexec"
	"github.com/gcscope/gcscope/engine/runtime"
	"github.com/gcscope/gcscope/engine/wast"
)

func TestDebugSkips(t *testing.T) {
	f := os.Getenv("SKIPFILE")
	if f == "" {
		t.Skip()
	}
	r, err := wast.RunFile(f, wast.Options{Exec: wastexec.New(runtime.Config{Engine: New(nil)})})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]int{}
	for _, c := range r.Checks {
		if c.Outcome != wast.Passed {
			k := fmt.Sprint(c.Outcome, " ", c.Detail)
			if seen[k]++; seen[k] == 1 {
				fmt.Println(c.Pos, k)
			}
		}
	}
}
