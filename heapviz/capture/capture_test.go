package capture_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/gcscope/gcscope/engine"
	"github.com/gcscope/gcscope/engine/interp"
	"github.com/gcscope/gcscope/engine/runtime"
	"github.com/gcscope/gcscope/engine/wasm"
	"github.com/gcscope/gcscope/heapviz/analysis"
	"github.com/gcscope/gcscope/heapviz/capture"
	"github.com/gcscope/gcscope/heapviz/snapshot"
)

var (
	null      = engine.NullRef(wasm.HeapNone)
	engineI32 = func(v int) engine.Value { return engine.I32(int32(v)) }
)

// tree builds a perfect binary tree of $node (type 0 of binary_trees.wat)
// through the embedding API, keeping the left subtree pinned while the
// right one is built (it is in no Wasm root meanwhile).
func tree(t *testing.T, rt *engine.Runtime, inst *engine.Instance, depth int) engine.Value {
	t.Helper()
	if depth == 0 {
		v, err := inst.NewStruct(0, null, null)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	left := tree(t, rt, inst, depth-1)
	h, err := rt.Pin(left)
	if err != nil {
		t.Fatal(err)
	}
	right := tree(t, rt, inst, depth-1)
	v, err := inst.NewStruct(0, left, right)
	if err != nil {
		t.Fatal(err)
	}
	h.Release()
	return v
}

// TestPinnedTree pins a tree of depth 4 built with the API, runs
// binary_trees (whose own trees all die), and finds in the snapshot
// exactly the 31 pinned nodes, shaped as built, all dominated by the root.
func TestPinnedTree(t *testing.T) {
	rt, inst := load(t, "binary_trees.wat", nil)
	root := tree(t, rt, inst, 4)
	if _, err := rt.Pin(root); err != nil {
		t.Fatal(err)
	}
	call(t, inst, "run", 4398, engine.I32(6))
	s, err := capture.Snapshot(rt.Store())
	if err != nil {
		t.Fatal(err)
	}
	nodes := nodesOf(s, "$node")
	if len(nodes) != 31 {
		t.Fatalf("%d $node objects, want the 31 of the pinned tree", len(nodes))
	}
	checkOnlyFuncrefsBesides(t, s, rt.Store(), "$node")
	top, ok := s.Find(uint32(root.Bits))
	if !ok {
		t.Fatalf("the pinned root 0x%x is not in the snapshot", root.Bits)
	}
	if f := s.Type(top).Fields; !slices.Equal(f, []string{"left", "right"}) || s.Kind(top) != snapshot.KindStruct {
		t.Errorf("$node: kind %s, fields %q", s.Kind(top), f)
	}
	inner, edges := 0, 0
	for _, n := range nodes {
		if s.Size(n) != 16 {
			t.Errorf("%s: size %d, want 16 (header and two references)", s.NodeName(n), s.Size(n))
		}
		lo, hi := s.Edges(n)
		if hi-lo == 2 {
			inner++
			if s.EdgeName(lo) != "left" || s.EdgeName(lo+1) != "right" {
				t.Errorf("%s: edges %q, %q", s.NodeName(n), s.EdgeName(lo), s.EdgeName(lo+1))
			}
		} else if hi != lo {
			t.Errorf("%s has %d edges, want 0 or 2", s.NodeName(n), hi-lo)
		}
		edges += hi - lo
	}
	if inner != 15 || edges != 30 {
		t.Errorf("%d inner nodes and %d edges, want 15 and 30", inner, edges)
	}
	var handles []snapshot.Root
	for _, r := range s.Roots() {
		if r.Category == snapshot.RootHandle {
			handles = append(handles, r)
		}
	}
	if len(handles) != 1 || handles[0].Target != uint32(root.Bits) {
		t.Errorf("handle roots %+v, want one on the tree's root", handles)
	}
	d := analysis.Dominators(s)
	if d.Retained(top) != 31*16 || d.Idom(top) != snapshot.CategoryNode(snapshot.RootHandle) {
		t.Errorf("root retains %d bytes (want %d), idom %s", d.Retained(top), 31*16, s.NodeName(d.Idom(top)))
	}
	dominatedWithin(t, d, nodes, top)
	leaf := -1
	for _, n := range nodes {
		if lo, hi := s.Edges(n); lo == hi {
			leaf = n
			break
		}
	}
	p, ok := analysis.ShortestPaths(s).PathTo(leaf)
	if !ok || p.Len() != 4 || p.Category != snapshot.RootHandle {
		t.Errorf("path to a leaf: %v, length %d from %s, want 4 from a handle", ok, p.Len(), p.Category)
	}
}

// funcNamed finds the function the module names name.
func funcNamed(t *testing.T, store *runtime.Store, name string) *runtime.Func {
	for _, inst := range store.Instances() {
		for _, f := range inst.Funcs {
			if f.Name == name && f.Def != nil {
				return f
			}
		}
	}
	t.Fatalf("no function $%s", name)
	return nil
}

// TestFramesInLinkedList stops linked_list's run(100) in $reverse, at the
// struct.set of its 40th cell, and snapshots the heap there: the 100
// cells build made are all alive, held by the frame of $reverse, which
// has reversed 39 cells so far: $prev heads the reversed part (62..100),
// $cell is 61, $rest is 60, and 61 still points at 60. So 3 cells are
// held directly by frame roots and the other 97 each by the cell before.
func TestFramesInLinkedList(t *testing.T) {
	rt, inst := load(t, "linked_list.wat", nil)
	store := rt.Store()
	rev := funcNamed(t, store, "reverse")
	var off uint32
	for _, in := range rev.Def.Body {
		if in.Op == wasm.OpStructSet {
			off = in.Offset
		}
	}
	eng := store.Engine().(*interp.Engine)
	at, err := eng.SetBreakpoint(rev, off)
	if err != nil {
		t.Fatal(err)
	}
	// The interpreter fuses struct.set with the local.gets before it, so
	// the break may land after it: then $prev and $cell are the same cell
	// and 60 is held by $rest only.
	wantByFrame := 3
	if at != off {
		wantByFrame = 2
	}
	var s *snapshot.Snapshot
	hits := 0
	store.Env().OnBreak = func(env *runtime.ExecEnv) error {
		if hits++; hits == 40 {
			var err error
			s, err = capture.Snapshot(store)
			return err
		}
		return nil
	}
	call(t, inst, "run", 338350, engine.I32(100))
	if s == nil {
		t.Fatalf("the breakpoint was hit %d times", hits)
	}
	cells := nodesOf(s, "$cell")
	if len(cells) != 100 {
		t.Fatalf("%d $cell objects, want 100", len(cells))
	}
	checkOnlyFuncrefsBesides(t, s, store, "$cell")
	if f := s.Type(cells[0]).Fields; !slices.Equal(f, []string{"head", "tail"}) {
		t.Errorf("$cell fields %q", f)
	}
	frames := 0
	for _, r := range s.Roots() {
		if r.Category != snapshot.RootFrame {
			continue
		}
		frames++
		if r.Frame == 0 && (r.Name != "$reverse" || r.Func != rev.Index || r.Thread != 1) {
			t.Errorf("innermost frame root %+v, want $reverse (func %d) on thread 1", r, rev.Index)
		}
	}
	if frames < 3 {
		t.Errorf("%d frame roots, want at least $rest, $prev and $cell", frames)
	}
	d := analysis.Dominators(s)
	byFrame := 0
	for _, n := range cells {
		switch d.Idom(n) {
		case snapshot.CategoryNode(snapshot.RootFrame):
			byFrame++
		case snapshot.SuperRoot:
			t.Errorf("%s is reachable from several categories", s.NodeName(n))
		}
		if !d.Reachable(n) {
			t.Errorf("%s is unreachable", s.NodeName(n))
		}
	}
	if byFrame != wantByFrame {
		t.Errorf("%d cells dominated by frame roots directly, want %d", byFrame, wantByFrame)
	}
	if got := d.Retained(snapshot.CategoryNode(snapshot.RootFrame)); got != 100*16 {
		t.Errorf("frame roots retain %d bytes, want 1600", got)
	}
}

// TestBadStore checks the errors for a nil and a closed store.
func TestBadStore(t *testing.T) {
	if _, err := capture.Snapshot(nil); err == nil || !strings.Contains(err.Error(), "no store") {
		t.Errorf("Snapshot(nil): %v", err)
	}
	store, err := runtime.NewStore(runtime.Config{})
	if err != nil {
		t.Fatal(err)
	}
	store.Close()
	if _, err := capture.Snapshot(store); err == nil || !strings.Contains(err.Error(), "closed") {
		t.Errorf("Snapshot of a closed store: %v", err)
	}
}

// TestKeepGarbage snapshots binary_trees after run(6) without collecting:
// every node the run built is still in the heap, unreachable. run returns
// the sum of check() over every tree it builds, each checked once, so it
// is also the number of nodes built: 4398.
func TestKeepGarbage(t *testing.T) {
	rt, inst := load(t, "binary_trees.wat", nil)
	call(t, inst, "run", 4398, engine.I32(6))
	if c := rt.Store().Heap.Stats().Collections; c != 0 {
		t.Skipf("%d collections ran during run(6): some garbage is gone", c)
	}
	s, _, err := capture.Capture(rt.Store(), capture.Options{KeepGarbage: true})
	if err != nil {
		t.Fatal(err)
	}
	nodes := nodesOf(s, "$node")
	if len(nodes) != 4398 {
		t.Fatalf("%d $node objects, want 4398", len(nodes))
	}
	d := analysis.Dominators(s)
	for _, n := range nodes {
		if d.Reachable(n) {
			t.Fatalf("%s is reachable after run returned", s.NodeName(n))
		}
	}
	if s, err := capture.Snapshot(rt.Store()); err != nil || len(nodesOf(s, "$node")) != 0 {
		t.Errorf("after a collection: %v, %d $node objects", err, len(nodesOf(s, "$node")))
	}
}

// TestStress repeats the pinned tree under GC stress (a collection at
// every allocation): nothing the snapshot needs may be missing.
func TestStress(t *testing.T) {
	rt, inst := loadWith(t, "binary_trees.wat", nil, engine.Config{GCStress: true})
	root := tree(t, rt, inst, 3)
	if _, err := rt.Pin(root); err != nil {
		t.Fatal(err)
	}
	call(t, inst, "run", 4398, engine.I32(6))
	s, st, err := capture.Capture(rt.Store(), capture.Options{})
	if err != nil || st.Dangling != 0 {
		t.Fatalf("Capture: %v, %d dangling", err, st.Dangling)
	}
	if n := len(nodesOf(s, "$node")); n != 15 {
		t.Errorf("%d $node objects, want the 15 of the pinned tree", n)
	}
}
