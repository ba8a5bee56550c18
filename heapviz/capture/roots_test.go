package capture_test

import (
	"bytes"
	"testing"

	"github.com/gcscope/gcscope/engine/runtime"
	"github.com/gcscope/gcscope/engine/wasm"
	"github.com/gcscope/gcscope/heapviz/analysis"
	"github.com/gcscope/gcscope/heapviz/capture"
	"github.com/gcscope/gcscope/heapviz/snapjson"
	"github.com/gcscope/gcscope/heapviz/snapshot"
)

// placesWat keeps objects in a global, a table and an element segment.
const placesWat = `(module $places
  (type $pair (struct (field $next (ref null $pair)) (field $n i32)))
  (type $vec (array (mut (ref null $pair))))
  (type (array i8))
  (global $keep (mut (ref null $vec)) (ref.null $vec))
  (table $t 2 anyref)
  (elem $fns func $f)
  (tag $oops (param (ref null $pair)))
  (global $caught (mut exnref) (ref.null exn))
  (func $f)
  (func (export "catch")
    (block $h (result (ref null $pair) exnref)
      (try_table (catch_ref $oops $h)
        (throw $oops (struct.new $pair (ref.null $pair) (i32.const 7))))
      (unreachable))
    (global.set $caught)
    (drop))
  (func (export "setup")
    (local $p (ref $pair))
    (local.set $p (struct.new $pair (ref.null $pair) (i32.const 1)))
    (global.set $keep (array.new $vec (local.get $p) (i32.const 3)))
    (table.set $t (i32.const 1) (struct.new $pair (local.get $p) (i32.const 2)))
    (table.set $t (i32.const 0) (ref.i31 (i32.const 5)))
    (drop (array.new_default 2 (i32.const 100)))))`

// TestPlaces checks roots in globals, tables and element segments with
// their names, array element edges, an unnamed type's display name and
// boxed i31 values.
func TestPlaces(t *testing.T) {
	rt, inst := load(t, "places.wat", []byte(placesWat))
	for _, f := range []string{"setup", "catch"} {
		if _, err := inst.Function(f).Call(); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
	}
	host, err := rt.ExternRef("a host value")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := rt.Pin(host); err != nil {
		t.Fatal(err)
	}
	s, st, err := capture.Capture(rt.Store(), capture.Options{BoxI31: true})
	if err != nil || st.Dangling != 0 {
		t.Fatalf("Capture: %v, %d dangling", err, st.Dangling)
	}
	vecs, pairs, exns := nodesOf(s, "$vec"), nodesOf(s, "$pair"), nodesOf(s, "exn $oops")
	if len(vecs) != 1 || len(pairs) != 3 || len(exns) != 1 || len(nodesOf(s, "i31")) != 1 {
		t.Fatalf("%d $vec, %d $pair, %d exn $oops, %d i31 nodes; want 1, 3, 1, 1",
			len(vecs), len(pairs), len(exns), len(nodesOf(s, "i31")))
	}
	if ext := nodesOf(s, "externref"); len(ext) != 1 || s.Kind(ext[0]) != snapshot.KindExtern || s.Size(ext[0]) != 16 {
		t.Errorf("%d externref nodes, want the one wrapping the host value", len(ext))
	}
	// The exception's payload is the third $pair, which only it holds.
	if lo, hi := s.Edges(exns[0]); hi-lo != 1 || s.EdgeName(lo) != "0" || s.Type(s.EdgeTo(lo)).DisplayName() != "$pair" ||
		analysis.Dominators(s).Idom(s.EdgeTo(lo)) != exns[0] || s.Kind(exns[0]) != snapshot.KindExn {
		t.Errorf("exn $oops: %d edges, want one to the $pair it alone holds", hi-lo)
	}
	if garbage := nodesOf(s, "array#2"); len(garbage) != 0 {
		t.Errorf("the dropped array survived the collection")
	}
	v := vecs[0]
	if s.Len(v) != 3 || s.Size(v) != 24 || s.Kind(v) != snapshot.KindArray {
		t.Errorf("$vec: kind %s, length %d, size %d; want array, 3, 24", s.Kind(v), s.Len(v), s.Size(v))
	}
	lo, hi := s.Edges(v)
	if hi-lo != 3 || s.EdgeName(lo+2) != "[2]" || s.EdgeTo(lo) != s.EdgeTo(lo+2) {
		t.Errorf("$vec has %d edges, want 3 elements [0] [1] [2] to the same $pair", hi-lo)
	}
	want := map[string]snapshot.RootCategory{
		"global places.$keep":      snapshot.RootGlobal,
		"global places.$caught":    snapshot.RootGlobal,
		"table places.$t[0]":       snapshot.RootTable,
		"table places.$t[1]":       snapshot.RootTable,
		"elem places.$fns[0]":      snapshot.RootElem,
		"funcref of $f":            snapshot.RootOther,
		"host reference":           snapshot.RootOther,
		"handle 0":                 snapshot.RootHandle,
		`funcref of places.func 1`: snapshot.RootOther,
	}
	got := map[string]bool{}
	for _, r := range s.Roots() {
		got[r.Label()] = true
		if c, ok := want[r.Label()]; ok && c != r.Category {
			t.Errorf("root %q in category %s, want %s", r.Label(), r.Category, c)
		}
	}
	for l := range want {
		if !got[l] {
			t.Errorf("no root %q among %v", l, got)
		}
	}
	// The first $pair is shared by the array (global) and the second
	// $pair (table): neither dominates it.
	d := analysis.Dominators(s)
	if d.Idom(s.EdgeTo(lo)) != snapshot.SuperRoot {
		t.Errorf("the shared $pair is dominated by %s", s.NodeName(d.Idom(s.EdgeTo(lo))))
	}
	if s.Type(pairs[0]).FieldName(1) != "n" {
		t.Errorf("$pair field 1 is called %q", s.Type(pairs[0]).FieldName(1))
	}
}

// TestDiffGrowth snapshots linked_list's store with a pinned list of 10
// cells, then with another of 25 pinned too, then with the first
// released: the diffs must say exactly that.
func TestDiffGrowth(t *testing.T) {
	rt, inst := load(t, "linked_list.wat", nil)
	list := func(n int) func() error {
		v := null
		for i := 1; i <= n; i++ {
			var err error
			if v, err = inst.NewStruct(0, engineI32(i), v); err != nil {
				t.Fatal(err)
			}
		}
		h, err := rt.Pin(v)
		if err != nil {
			t.Fatal(err)
		}
		return h.Release
	}
	snap := func() *snapshot.Snapshot {
		call(t, inst, "run", 14, engineI32(3)) // garbage in between
		s, err := capture.Snapshot(rt.Store())
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	release10 := list(10)
	a := snap()
	list(25)
	b := snap()
	release10()
	c := snap()
	check := func(name string, x, y *snapshot.Snapshot, countA, countB, added, removed int) {
		t.Helper()
		d := analysis.Diff(x, y)
		var cell *analysis.TypeDiff
		for i := range d.Types {
			if d.Types[i].Type.DisplayName() == "$cell" {
				cell = &d.Types[i]
			} else if d.Types[i].Added+d.Types[i].Removed != 0 {
				t.Errorf("%s: %s changed: %+v", name, d.Types[i].Type.DisplayName(), d.Types[i])
			}
		}
		if cell == nil || cell.CountA != countA || cell.CountB != countB || cell.Added != added || cell.Removed != removed ||
			cell.AddedBytes != uint64(16*added) || cell.RemovedBytes != uint64(16*removed) {
			t.Fatalf("%s: $cell diff %+v, want %d → %d, +%d -%d", name, cell, countA, countB, added, removed)
		}
		if len(d.Added) != added || len(d.Removed) != removed {
			t.Errorf("%s: %d added and %d removed objects listed", name, len(d.Added), len(d.Removed))
		}
	}
	check("A→B", a, b, 10, 35, 25, 0)
	check("B→C", b, c, 35, 25, 0, 10)
}

// TestDanglingRoots: references to no object (a runtime bug) are counted
// and left out, and the rest of the snapshot is intact.
func TestDanglingRoots(t *testing.T) {
	rt, inst := load(t, "linked_list.wat", nil)
	cell, err := inst.NewStruct(0, engineI32(1), null)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := rt.Pin(cell); err != nil {
		t.Fatal(err)
	}
	store := rt.Store()
	bad := store.NewHostInstance("bad")
	anyref := wasm.RefType(true, wasm.HeapAny)
	for _, ref := range []uint64{0x1000_0000, 0x12, uint64(cell.Bits) + 8} {
		bad.DefineGlobal("g", wasm.GlobalType{Val: anyref}, runtime.Value{Type: anyref, Bits: ref})
	}
	s, st, err := capture.Capture(store, capture.Options{})
	if err != nil || st.Dangling != 3 {
		t.Fatalf("Capture: %v, %d dangling (want 3)", err, st.Dangling)
	}
	if len(nodesOf(s, "$cell")) != 1 {
		t.Errorf("%d $cell objects, want the pinned one", len(nodesOf(s, "$cell")))
	}
}

// TestDeterministic: two runs of the same program give the same snapshot
// file, although the runtime keeps its pins in a map.
func TestDeterministic(t *testing.T) {
	var files [2]bytes.Buffer
	for i := range files {
		rt, inst := load(t, "linked_list.wat", nil)
		for k := range 20 {
			v, err := inst.NewStruct(0, engineI32(k), null)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := rt.Pin(v); err != nil {
				t.Fatal(err)
			}
		}
		s, err := capture.Snapshot(rt.Store())
		if err != nil {
			t.Fatal(err)
		}
		if err := snapjson.Write(&files[i], s); err != nil {
			t.Fatal(err)
		}
	}
	if !bytes.Equal(files[0].Bytes(), files[1].Bytes()) {
		t.Errorf("two runs give different snapshots:\n%s\n%s", files[0].Bytes(), files[1].Bytes())
	}
}
