package tui

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/gcscope/gcscope/heapviz/snapshot"
)

// hvSnapshot is a small heap: a tree under a frame root, a list of cells
// holding byte arrays under a global, an array of references under a
// handle, and one garbage cell.
func hvSnapshot(t *testing.T) *snapshot.Snapshot {
	t.Helper()
	b := snapshot.NewBuilder(10, 12)
	tree := b.AddType(snapshot.Type{ID: 1, Kind: snapshot.KindStruct, Name: "$tree", Fields: []string{"left", "right"}})
	cell := b.AddType(snapshot.Type{ID: 2, Kind: snapshot.KindStruct, Name: "$cell", Fields: []string{"next", "data"}})
	byts := b.AddType(snapshot.Type{ID: 3, Kind: snapshot.KindArray, Name: "$bytes"})
	items := b.AddType(snapshot.Type{ID: 4, Kind: snapshot.KindArray, Name: "$items"})
	for _, n := range []snapshot.Node{
		{ID: 0x10, Type: tree, Size: 24}, {ID: 0x20, Type: tree, Size: 24}, {ID: 0x30, Type: tree, Size: 24},
		{ID: 0x40, Type: cell, Size: 16}, {ID: 0x50, Type: cell, Size: 16}, {ID: 0x90, Type: cell, Size: 16},
		{ID: 0x60, Type: byts, Size: 116, Len: 100}, {ID: 0x70, Type: byts, Size: 66, Len: 50},
		{ID: 0x80, Type: items, Size: 20, Len: 2},
	} {
		b.AddNode(n)
	}
	for _, e := range []struct {
		from, to uint32
		kind     snapshot.EdgeKind
		index    uint32
	}{
		{0x10, 0x20, snapshot.EdgeField, 0}, {0x10, 0x30, snapshot.EdgeField, 1},
		{0x40, 0x50, snapshot.EdgeField, 0}, {0x40, 0x60, snapshot.EdgeField, 1}, {0x50, 0x70, snapshot.EdgeField, 1},
		{0x80, 0x20, snapshot.EdgeElement, 0}, {0x80, 0x60, snapshot.EdgeElement, 1},
		{0x90, 0x70, snapshot.EdgeField, 1},
	} {
		b.AddEdge(e.from, e.to, e.kind, e.index)
	}
	b.AddRoot(snapshot.Root{Category: snapshot.RootFrame, Thread: 1, Func: 2, Slot: 0, Name: "$main", Target: 0x10})
	b.AddRoot(snapshot.Root{Category: snapshot.RootGlobal, Index: 0, Name: "$list", Target: 0x40})
	b.AddRoot(snapshot.Root{Category: snapshot.RootHandle, Index: 3, Target: 0x80})
	s, err := b.Finish()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// hvKeys sends key presses to the browser: names as tea writes them
// ("enter", "tab", "backspace") or text, sent rune by rune.
func hvKeys(v *HeapView, ks ...string) {
	for _, k := range ks {
		if kt, ok := keyTypes[k]; ok {
			v.Update(tea.KeyMsg{Type: kt})
			continue
		}
		for _, r := range k {
			v.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
		}
	}
}

// hvScreen renders the browser at w×h without escape sequences.
func hvScreen(v *HeapView, w, h int) string {
	v.SetSize(w, h)
	return ansi.Strip(v.View())
}

// hvGolden compares the screen at each size with
// testdata/heapview_NAME_WxH.golden (go test ./tui -update rewrites them).
func hvGolden(t *testing.T, v *HeapView, name string) {
	t.Helper()
	goldenFrames(t, "heapview_"+name, func(w, h int) string { return hvScreen(v, w, h) })
}

func TestHeapViewGoldenTypes(t *testing.T) {
	v := NewHeapView(hvSnapshot(t), "small.json")
	hvGolden(t, v, "types")
}

func TestHeapViewGoldenOpenedType(t *testing.T) {
	v := NewHeapView(hvSnapshot(t), "small.json")
	hvKeys(v, "/", "cell", "enter", "enter")
	hvGolden(t, v, "type")
}

// The second $bytes array: retained by the list's second cell, reached
// from the global $list in two references.
func TestHeapViewGoldenObjectPath(t *testing.T) {
	v := NewHeapView(hvSnapshot(t), "small.json")
	hvKeys(v, "/", "bytes", "enter", "enter", "down", "enter")
	hvGolden(t, v, "object")
}

func TestHeapViewFollowAndBack(t *testing.T) {
	s := hvSnapshot(t)
	v := NewHeapView(s, "small.json")
	id := func() uint32 { return s.ID(v.obj.node) }
	hvKeys(v, "/", "tree", "enter", "enter") // $tree: the root 0x10 retains the most
	if v.focus != hvInstances || id() != 0x10 {
		t.Fatalf("after opening $tree: focus %d, object 0x%x; want instances, 0x10", v.focus, id())
	}
	hvKeys(v, "enter", "down", "enter") // the object pane; right → 0x30
	if v.focus != hvObject || id() != 0x30 || len(v.obj.history) != 1 {
		t.Fatalf("after following right: focus %d, object 0x%x, history %d; want object pane, 0x30, 1", v.focus, id(), len(v.obj.history))
	}
	scr := hvScreen(v, 100, 30)
	for _, want := range []string{"$tree@0x30 (struct)", "24 bytes, retains 24 bytes", "$tree@0x10.right", "frame 0 $main slot 0 (thread 1) → $tree@0x10", "Backspace: back 1"} {
		if !strings.Contains(scr, want) {
			t.Errorf("screen lacks %q:\n%s", want, scr)
		}
	}
	hvKeys(v, "backspace")
	if id() != 0x10 || v.obj.sel < 0 || v.obj.rows[v.obj.sel].to != v.obj.rows[2].to || len(v.obj.history) != 0 {
		t.Fatalf("after back: object 0x%x, selected row %d; want 0x10 with right selected", id(), v.obj.sel)
	}
	hvKeys(v, "backspace")
	if v.focus != hvInstances {
		t.Errorf("backspace with no history: focus %d, want the instances pane", v.focus)
	}
	// A retainer can be followed too: $tree@0x20 is held by 0x10 and the $items array.
	hvKeys(v, "tab", "up", "enter")
	if id() != 0x20 {
		t.Fatalf("following left from 0x10: object 0x%x, want 0x20", id())
	}
	hvKeys(v, "down", "enter")
	if id() != 0x80 {
		t.Errorf("following the second retainer of 0x20: object 0x%x, want the $items array 0x80", id())
	}
}

func TestHeapViewSortAndSearch(t *testing.T) {
	v := NewHeapView(hvSnapshot(t), "small.json")
	first := func() string { return v.types.typeName(v.types.rows[0]) }
	// $bytes retains 182 bytes, $cell 98 (the second cell dominates the second array).
	if first() != "$bytes" || v.types.typeName(v.types.rows[1]) != "$cell" {
		t.Errorf("by retained: rows %v, want $bytes then $cell", v.types.rows)
	}
	hvKeys(v, "s", "s")
	// $cell and $tree have three objects each: ties go by name.
	if v.types.sortBy != hvByCount || first() != "$cell" || v.types.typeName(v.types.rows[1]) != "$tree" {
		t.Errorf("after s s: sort %s, rows %v; want count, $cell then $tree", hvSortNames[v.types.sortBy], v.types.rows)
	}
	hvKeys(v, "s")
	if v.types.sortBy != hvByName || first() != "$bytes" || v.types.typeName(v.types.rows[3]) != "$tree" {
		t.Errorf("by name: sort %s, rows %v", hvSortNames[v.types.sortBy], v.types.rows)
	}
	hvKeys(v, "/", "zzz")
	if scr := hvScreen(v, 80, 24); !strings.Contains(scr, `no type matches "zzz"`) {
		t.Errorf("search for zzz: no notice:\n%s", scr)
	}
	hvKeys(v, "esc")
	v.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("/ITEM")}) // typed faster than read
	hvKeys(v, "enter")
	if got, _ := v.types.selected(); v.types.typeName(got) != "$items" {
		t.Errorf("search ITEM selected %s, want $items", v.types.typeName(got))
	}
	hvKeys(v, "q")
	if !v.quit || v.View() != "" {
		t.Error("q did not quit")
	}
}
