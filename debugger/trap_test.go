package debugger

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/gcscope/gcscope/heapviz/snapjson"
)

// Runaway recursion traps "call stack exhausted"; the stop shows every
// frame, and finish from an outer frame is refused after the trap.
func TestStackExhausted(t *testing.T) {
	src := []byte(`(module (func $down (export "down") (param $n i32) (result i32)
	  (call $down (i32.add (local.get $n) (i32.const 1)))))`)
	s, err := New(Options{Path: "down.wat", Source: src, Invoke: "down", Args: []string{"0"}})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	next(t, s)
	s.Continue()
	ev, ok := next(t, s).(*Stopped)
	if !ok || ev.Reason != ReasonTrap {
		t.Fatalf("%#v", ev)
	}
	bt, err := s.Backtrace()
	if err != nil || len(bt) < 1000 {
		t.Fatalf("backtrace: %d frames, %v", len(bt), err)
	}
	if r, err := s.Eval("$n", 0); err != nil || r.Text != "19999" {
		t.Errorf("innermost $n: %v %v", r, err)
	}
	if _, err := s.SelectFrame(len(bt) - 1); err != nil {
		t.Fatal(err)
	}
	if r, err := s.Eval("$n", 0); err != nil || r.Text != "0" {
		t.Errorf("outermost $n: %v %v", r, err)
	}
	if err := s.Step(); err == nil {
		t.Error("step after a trap was accepted")
	}
	s.Continue()
	if ex, ok := next(t, s).(*Exited); !ok || ex.Err == nil {
		t.Fatalf("%#v", ex)
	}
}

// A snapshot taken while stopped reads back with heapviz, with the
// module's type names and frame roots.
func TestSnapshot(t *testing.T) {
	s := open(t, "../examples/binary_trees.wat", "run", "4")
	if _, err := s.SetBreakpoint("$check", false, ""); err != nil {
		t.Fatal(err)
	}
	s.Continue()
	next(t, s)
	path := filepath.Join(t.TempDir(), "snap.json")
	n, err := s.Snapshot(path)
	if err != nil || n < 255 {
		t.Fatalf("snapshot: %d objects, %v", n, err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	snap, err := snapjson.Read(f)
	if err != nil {
		t.Fatal(err)
	}
	named, frames := false, 0
	for _, ty := range snap.Types() {
		named = named || ty.Name == "$node" && len(ty.Fields) == 2 && ty.Fields[0] == "left"
	}
	for _, r := range snap.Roots() {
		if r.Category == 0 && r.Name == "$check" {
			frames++
		}
	}
	if !named || frames == 0 {
		t.Errorf("snapshot lacks the $node type (%v) or $check frame roots (%d)", named, frames)
	}
	roots, err := s.Roots()
	if err != nil || len(roots) == 0 {
		t.Fatalf("roots: %v", err)
	}
	// Hit counts and conditions.
	bps := s.Breakpoints()
	if len(bps) != 1 || bps[0].Hits != 1 {
		t.Errorf("breakpoints: %+v", bps)
	}
}
