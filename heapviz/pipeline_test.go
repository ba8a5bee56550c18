package heapviz_test

import (
	"bytes"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/gcscope/gcscope/heapviz/analysis"
	"github.com/gcscope/gcscope/heapviz/export/chrome"
	"github.com/gcscope/gcscope/heapviz/export/dot"
	"github.com/gcscope/gcscope/heapviz/internal/heapgen"
	"github.com/gcscope/gcscope/heapviz/snapjson"
	"github.com/gcscope/gcscope/heapviz/snapshot"
)

// TestPipeline takes the path a snapshot takes in gcscope: captured from a
// (fake) heap, saved and loaded again, analysed, exported. The loaded
// snapshot must analyse exactly like the captured one.
func TestPipeline(t *testing.T) {
	h := heapgen.HeapLike(rand.New(rand.NewPCG(21, 22)), 5000)
	captured, st, err := snapshot.Capture(h.Source(), snapshot.CaptureOptions{})
	if err != nil || st.Dangling != 0 {
		t.Fatalf("Capture: %v, %d dangling", err, st.Dangling)
	}
	var file bytes.Buffer
	if err := snapjson.Write(&file, captured); err != nil {
		t.Fatal(err)
	}
	loaded, err := snapjson.Read(&file)
	if err != nil {
		t.Fatal(err)
	}
	dc, dl := analysis.Dominators(captured), analysis.Dominators(loaded)
	for n := range captured.NumNodes() {
		if dc.Idom(n) != dl.Idom(n) || dc.Retained(n) != dl.Retained(n) {
			t.Fatalf("node %s: idom %d/%d retained %d/%d after saving and loading",
				captured.NodeName(n), dc.Idom(n), dl.Idom(n), dc.Retained(n), dl.Retained(n))
		}
	}
	if hc, hl := analysis.Histogram(captured, dc), analysis.Histogram(loaded, dl); !slices.Equal(hc, hl) {
		t.Fatalf("histograms differ:\n%+v\n%+v", hc, hl)
	}
	if d := analysis.Diff(captured, loaded); len(d.Added)+len(d.Removed) != 0 {
		t.Fatalf("diff of a snapshot with its saved copy: %d added, %d removed", len(d.Added), len(d.Removed))
	}
	top := analysis.Largest(dl, 1)
	if len(top) != 1 {
		t.Fatal("no largest object")
	}
	if _, ok := analysis.ShortestPaths(loaded).PathTo(top[0]); !ok {
		t.Fatalf("the largest object %s has no path from a root", loaded.NodeName(top[0]))
	}
	if err := chrome.Write(&bytes.Buffer{}, loaded); err != nil {
		t.Fatal(err)
	}
	if err := dot.Write(&bytes.Buffer{}, loaded, top[0], dot.Options{Hops: 2, Dom: dl}); err != nil {
		t.Fatal(err)
	}
}
