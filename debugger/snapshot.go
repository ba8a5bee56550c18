package debugger

import (
	"os"

	"github.com/gcscope/gcscope/engine/gc"
	"github.com/gcscope/gcscope/engine/runtime"
	"github.com/gcscope/gcscope/heapviz/snapjson"
	"github.com/gcscope/gcscope/heapviz/snapshot"
)

// heapView adapts the stopped program's heap to snapshot.Heap, with the
// module's type, field, function and global names.
type heapView struct {
	s       *Session
	h       *gc.Heap
	globals []string
}

func (v *heapView) Walk(fn func(id uint32) bool) {
	v.h.Walk(func(r gc.Ref) bool { return fn(uint32(r)) })
}

func (v *heapView) Object(id uint32) (snapshot.ObjectInfo, bool) {
	r := gc.Ref(id)
	if !v.h.Valid(r) {
		return snapshot.ObjectInfo{}, false
	}
	info := snapshot.ObjectInfo{Type: v.h.TypeOf(r), Size: uint32(v.h.SizeOf(r))}
	switch v.h.KindOf(r) {
	case gc.KindStruct:
		info.Kind = snapshot.KindStruct
	case gc.KindArray:
		info.Kind = snapshot.KindArray
		info.Len = v.h.ArrayLen(r)
	case gc.KindFunc:
		info.Kind, info.Type = snapshot.KindFunc, snapshot.NoType
	case gc.KindExtern:
		info.Kind, info.Type = snapshot.KindExtern, snapshot.NoType
	case gc.KindExn:
		info.Kind = snapshot.KindExn
	default:
		return snapshot.ObjectInfo{}, false
	}
	return info, true
}

func (v *heapView) TypeInfo(id uint32, kind snapshot.Kind) snapshot.Type {
	t := snapshot.Type{}
	if kind != snapshot.KindStruct && kind != snapshot.KindArray {
		return t
	}
	tid := runtime.TypeID(id)
	t.Name = v.s.names.typeName(tid)
	if kind == snapshot.KindStruct {
		if d := v.s.store.Types.Def(tid); d != nil {
			for i := range d.Comp.Fields {
				t.Fields = append(t.Fields, v.s.names.fieldName(tid, i))
			}
		}
	}
	return t
}

func (v *heapView) Refs(id uint32, fn func(kind snapshot.EdgeKind, index uint32, to uint32)) {
	k := snapshot.EdgeField
	if v.h.KindOf(gc.Ref(id)) == gc.KindArray {
		k = snapshot.EdgeElement
	}
	v.h.VisitRefs(gc.Ref(id), func(slot uint32, child gc.Ref) { fn(k, slot, uint32(child)) })
}

var rootCategories = map[gc.RootKind]snapshot.RootCategory{
	gc.RootFrame: snapshot.RootFrame, gc.RootGlobal: snapshot.RootGlobal, gc.RootTable: snapshot.RootTable,
	gc.RootElem: snapshot.RootElem, gc.RootException: snapshot.RootException, gc.RootHandle: snapshot.RootHandle,
	gc.RootOther: snapshot.RootOther,
}

func (v *heapView) Roots(fn func(snapshot.Root)) {
	v.h.Roots(func(r gc.Ref, at gc.RootPlace) {
		root := snapshot.Root{Category: rootCategories[at.Kind], Thread: at.Thread + 1, Index: at.Index, Slot: at.Slot, Target: uint32(r)}
		switch at.Kind {
		case gc.RootFrame:
			root.Frame = at.Index
			if fr, ok := v.s.threadFrameLocked(at.Thread, int(at.Index)); ok && fr.Func != nil {
				root.Func, root.Name = fr.Func.Index, v.s.names.funcName(fr.Func.Index)
			}
		case gc.RootGlobal:
			if int(at.Index) < len(v.globals) {
				root.Name = v.globals[at.Index]
			}
		}
		fn(root)
	})
}

// Snapshot writes a heap snapshot (heapviz JSON) of the stopped program
// to path and returns its object count.
func (s *Session) Snapshot(path string) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.heapLocked(); err != nil {
		return 0, err
	}
	v := &heapView{s: s, h: s.store.Heap.GC, globals: s.globalNamesLocked()}
	snap, _, err := snapshot.Capture(v, snapshot.CaptureOptions{})
	if err != nil {
		return 0, err
	}
	f, err := os.Create(path)
	if err != nil {
		return 0, err
	}
	if err := snapjson.Write(f, snap); err != nil {
		f.Close()
		return 0, err
	}
	if err := f.Close(); err != nil {
		return 0, err
	}
	return snap.NumObjects(), nil
}

// CaptureHeap takes a heap snapshot of the stopped program, with the
// module's type, field, function and global names. Unless keepGarbage,
// it collects first (the stopped frames are roots), so only live
// objects are in it; boxI31 makes i31 values nodes.
func (s *Session) CaptureHeap(keepGarbage, boxI31 bool) (*snapshot.Snapshot, snapshot.CaptureStats, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.heapLocked(); err != nil {
		return nil, snapshot.CaptureStats{}, err
	}
	if !keepGarbage && (!s.ended || s.liveTrap != nil) {
		if err := s.store.Heap.Collect(); err != nil {
			return nil, snapshot.CaptureStats{}, err
		}
	}
	v := &heapView{s: s, h: s.store.Heap.GC, globals: s.globalNamesLocked()}
	return snapshot.Capture(v, snapshot.CaptureOptions{BoxI31: boxI31})
}
