package capture

import (
	"fmt"

	"github.com/gcscope/gcscope/engine/gc"
	"github.com/gcscope/gcscope/engine/runtime"
	"github.com/gcscope/gcscope/heapviz/snapshot"
)

// categories maps the collector's root kinds to snapshot categories.
var categories = map[gc.RootKind]snapshot.RootCategory{
	gc.RootFrame: snapshot.RootFrame, gc.RootGlobal: snapshot.RootGlobal, gc.RootTable: snapshot.RootTable,
	gc.RootElem: snapshot.RootElem, gc.RootHandle: snapshot.RootHandle,
	gc.RootException: snapshot.RootException, gc.RootOther: snapshot.RootOther,
}

// root turns a root the collector reported into a snapshot root with its
// place. Threads are numbered from 1, as the debugger numbers them (the
// runtime's thread ID plus one).
// Globals, tables and element segments are numbered per instance (the
// index the module's text uses), the collector's store-wide number being
// translated back; their Name is "$name" (prefixed by the instance's name
// when it has one) or empty.
func (n *names) root(r gc.Ref, at gc.RootPlace) snapshot.Root {
	c, ok := categories[at.Kind]
	if !ok {
		c = snapshot.RootOther
	}
	root := snapshot.Root{Category: c, Target: uint32(r), Index: at.Index, Slot: at.Slot}
	switch at.Kind {
	case gc.RootFrame:
		root.Thread, root.Frame, root.Index = at.Thread+1, at.Index, 0
		if f := n.frameFunc(at.Thread, at.Index); f != nil {
			root.Func, root.Name = f.Index, funcName(f)
		}
	case gc.RootGlobal, gc.RootTable, gc.RootElem:
		if inst, local, ok := n.instanceItem(at); ok {
			root.Index, root.Name = local, itemName(inst, at.Kind, local)
		}
	case gc.RootException:
		root.Thread = at.Thread + 1
	case gc.RootHandle:
		root.Name = n.store.DescribeRoot(at)
	default:
		root.Name = n.otherName(r, at)
	}
	return root
}

// frameFunc returns the function of the frame at depth (0 innermost) of
// the store's thread numbered thread, or nil.
func (n *names) frameFunc(thread, depth uint32) *runtime.Func {
	for _, env := range n.store.Threads() {
		if env.ID != thread {
			continue
		}
		frames := env.ActiveFrames()
		if i := len(frames) - 1 - int(depth); i >= 0 && i < len(frames) {
			return frames[i].Func
		}
	}
	return nil
}

// instanceItem translates the collector's store-wide number of a global,
// table or element segment (counted over the instances in order, as the
// store enumerates its roots) into an instance and a local index.
func (n *names) instanceItem(at gc.RootPlace) (*runtime.Instance, uint32, bool) {
	idx := at.Index
	for _, inst := range n.store.Instances() {
		var count int
		switch at.Kind {
		case gc.RootGlobal:
			count = len(inst.Globals)
		case gc.RootTable:
			count = len(inst.Tables)
		default:
			count = len(inst.Elems)
		}
		if uint64(idx) < uint64(count) {
			return inst, idx, true
		}
		idx -= uint32(count)
	}
	return nil, 0, false
}

// itemName names a global, table or element segment of inst: "$keep",
// "M.$keep" in an instance named M, "M.2" if only the instance is named,
// "" if neither is.
func itemName(inst *runtime.Instance, k gc.RootKind, i uint32) string {
	name := ""
	if nm := modNames(inst); nm != nil {
		switch k {
		case gc.RootGlobal:
			name = nm.Globals[i]
		case gc.RootTable:
			name = nm.Tables[i]
		default:
			name = nm.Elems[i]
		}
	}
	switch {
	case name != "" && inst.Name != "":
		return inst.Name + ".$" + name
	case name != "":
		return "$" + name
	case inst.Name != "":
		return fmt.Sprintf("%s.%d", inst.Name, i)
	}
	return ""
}

// otherName says what a root of the runtime's own holds: a function's
// funcref object, a host reference's wrapper, or something else.
func (n *names) otherName(r gc.Ref, at gc.RootPlace) string {
	switch n.store.Heap.GC.KindOf(r) {
	case gc.KindFunc:
		if f := n.funcOf(r); f != nil {
			return "funcref of " + funcName(f)
		}
		return "funcref"
	case gc.KindExtern:
		return "host reference"
	}
	return n.store.DescribeRoot(at)
}
