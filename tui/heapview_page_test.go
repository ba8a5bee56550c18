package tui

import (
	"strings"
	"testing"

	"github.com/gcscope/gcscope/heapviz/snapshot"
)

// bigSnapshot is an array of n cells under a global.
func bigSnapshot(t *testing.T, n int) *snapshot.Snapshot {
	t.Helper()
	b := snapshot.NewBuilder(n+1, n)
	arr := b.AddType(snapshot.Type{ID: 1, Kind: snapshot.KindArray, Name: "$cells"})
	cell := b.AddType(snapshot.Type{ID: 2, Kind: snapshot.KindStruct, Name: "$cell"})
	b.AddNode(snapshot.Node{ID: 0x10, Type: arr, Size: uint32(8 + 4*n), Len: uint32(n)})
	for i := range n {
		id := uint32(0x100 + 0x10*i)
		b.AddNode(snapshot.Node{ID: id, Type: cell, Size: uint32(8 + i%7)})
		b.AddEdge(0x10, id, snapshot.EdgeElement, uint32(i))
	}
	b.AddRoot(snapshot.Root{Category: snapshot.RootGlobal, Name: "$all", Target: 0x10})
	s, err := b.Finish()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// The instances pane pages through a type's objects, largest first, and
// the object pane lists at most hvMaxRows references.
func TestHeapViewPaging(t *testing.T) {
	s := bigSnapshot(t, 600)
	v := NewHeapView(s, "big.json")
	hvKeys(v, "/", "$cell", "enter", "enter")
	scr := hvScreen(v, 80, 24)
	if !strings.Contains(scr, "$cell: 1–8 of 600") {
		t.Errorf("first page: title wrong:\n%s", scr)
	}
	if v.obj.shown && s.Size(v.obj.node) != 14 {
		t.Errorf("largest first: object of %d bytes, want 14", s.Size(v.obj.node))
	}
	hvKeys(v, "pgdown")
	scr = hvScreen(v, 80, 24)
	if v.insts.nav.sel != 8 || !strings.Contains(scr, "$cell: 9–16 of 600") {
		t.Errorf("after PgDn: selected %d, want 8, the next page; screen:\n%s", v.insts.nav.sel, scr)
	}
	hvKeys(v, "tab", "tab", "/", "cells", "enter", "enter", "tab")
	// 3 headings, the references, a note, the root retainer and the path's root.
	if got := len(v.obj.rows); got != hvMaxRows+6 {
		t.Errorf("array of 600: %d rows, want %d references and 6 more", got, hvMaxRows)
	}
	for range 60 {
		hvKeys(v, "pgdown")
	}
	scr = hvScreen(v, 80, 24)
	if !strings.Contains(scr, "(100 more not listed)") || !strings.Contains(scr, "root: global $all") {
		t.Errorf("no note of the references left out:\n%s", scr)
	}
}
