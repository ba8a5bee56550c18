package debugger

import (
	"fmt"
	"sort"

	"github.com/gcscope/gcscope/engine/gc"
	"github.com/gcscope/gcscope/engine/runtime"
)

// TypeCount is how many objects of one type the heap holds.
type TypeCount struct {
	Type    string
	Kind    string
	Objects uint64
	Bytes   uint64
}

// HeapInfo is the heap command's view: objects by type and GC counters.
type HeapInfo struct {
	Types          []TypeCount // by bytes, largest first
	Objects, Bytes uint64
	Stats          gc.Stats
}

// heapLocked checks that the heap can be read.
func (s *Session) heapLocked() error {
	if s.state == StateRunning {
		return ErrRunning
	}
	if s.store == nil {
		return ErrExited
	}
	return nil
}

// Heap counts the heap's objects by type. Objects that died since the
// last collection are counted too: run GC first to see only live ones.
func (s *Session) Heap() (*HeapInfo, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.heapLocked(); err != nil {
		return nil, err
	}
	h := s.store.Heap.GC
	type key struct {
		kind gc.Kind
		name string
	}
	counts := map[key]*TypeCount{}
	info := &HeapInfo{}
	h.Walk(func(r gc.Ref) bool {
		kind := h.KindOf(r)
		k := key{kind, s.kindTypeName(kind, h.TypeOf(r))}
		tc := counts[k]
		if tc == nil {
			tc = &TypeCount{Kind: kind.String(), Type: k.name}
			counts[k] = tc
		}
		size := h.SizeOf(r)
		tc.Objects++
		tc.Bytes += size
		info.Objects++
		info.Bytes += size
		return true
	})
	for _, tc := range counts {
		info.Types = append(info.Types, *tc)
	}
	sort.Slice(info.Types, func(i, j int) bool {
		a, b := info.Types[i], info.Types[j]
		if a.Bytes != b.Bytes {
			return a.Bytes > b.Bytes
		}
		return a.Type < b.Type
	})
	info.Stats = h.Stats()
	return info, nil
}

func (s *Session) kindTypeName(k gc.Kind, t uint32) string {
	switch k {
	case gc.KindStruct, gc.KindArray:
		return s.names.typeName(runtime.TypeID(t))
	case gc.KindFunc:
		return "funcref"
	case gc.KindExtern:
		return "externref"
	case gc.KindExn:
		return "exnref"
	}
	return k.String()
}

// Collect runs a garbage collection now and returns the counters after.
func (s *Session) Collect() (gc.Stats, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.heapLocked(); err != nil {
		return gc.Stats{}, err
	}
	if s.ended && s.liveTrap == nil {
		return gc.Stats{}, fmt.Errorf("the program has trapped: its frames are no longer roots, so a collection would free what they hold; restart first")
	}
	err := s.store.Heap.Collect()
	return s.store.Heap.Stats(), err
}

// RootInfo is one GC root: its category, where it is, what it holds.
type RootInfo struct {
	Category string // frame, global, table, elem, exception, handle, other
	Place    string
	Target   string
	Ref      gc.Ref
	place    gc.RootPlace
}

// Roots lists the GC roots that hold objects, by category in the
// collector's order. i31 and null values are left out.
func (s *Session) Roots() ([]RootInfo, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.heapLocked(); err != nil {
		return nil, err
	}
	c := s.ctxLocked()
	globals := s.globalNamesLocked()
	var out []RootInfo
	s.store.Heap.GC.Roots(func(r gc.Ref, at gc.RootPlace) {
		if !r.IsObject() {
			return
		}
		ri := RootInfo{Category: at.Kind.String(), Ref: r, place: at}
		ri.Place = s.rootPlaceLocked(at, globals)
		ri.Target = c.format(runtime.Value{Type: refTypeOf(s.store.Heap.Kind(r)), Bits: uint64(r)}, 0)
		out = append(out, ri)
	})
	return out, nil
}

// globalNamesLocked names globals by store-wide address, as roots number them.
func (s *Session) globalNamesLocked() []string {
	var out []string
	for _, inst := range s.store.Instances() {
		for i := range inst.Globals {
			if inst == s.inst {
				out = append(out, s.names.globalName(uint32(i)))
			} else {
				out = append(out, fmt.Sprintf("%s.global%d", inst.Name, i))
			}
		}
	}
	return out
}

func (s *Session) rootPlaceLocked(at gc.RootPlace, globals []string) string {
	switch at.Kind {
	case gc.RootFrame:
		fr, ok := s.threadFrameLocked(at.Thread, int(at.Index))
		thread := ""
		if at.Thread != 0 {
			thread = fmt.Sprintf("thread %d ", at.Thread+1)
		}
		if !ok || fr.Func == nil {
			return fmt.Sprintf("%sframe #%d slot %d", thread, at.Index, at.Slot)
		}
		what := fmt.Sprintf("operand slot %d", at.Slot)
		vars, _ := s.localsOf(fr)
		for _, lv := range vars {
			if lv.slot == at.Slot {
				what = lv.name
			}
		}
		return fmt.Sprintf("%sframe #%d %s %s", thread, at.Index, s.names.funcName(fr.Func.Index), what)
	case gc.RootGlobal:
		if int(at.Index) < len(globals) {
			return "global " + globals[at.Index]
		}
		return fmt.Sprintf("global %d", at.Index)
	case gc.RootTable:
		return fmt.Sprintf("table %d[%d]", at.Index, at.Slot)
	case gc.RootElem:
		return fmt.Sprintf("elem %d[%d]", at.Index, at.Slot)
	case gc.RootException:
		return "pending exception"
	case gc.RootHandle:
		return "pinned handle"
	}
	return fmt.Sprintf("runtime %d", at.Index)
}
