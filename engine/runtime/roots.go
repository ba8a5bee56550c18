package runtime

import (
	"fmt"

	"github.com/gcscope/gcscope/engine/gc"
)

// DescribeRoot names the place of a root the collector reported (see
// enumerateRoots for how places are numbered), for the debugger's roots
// command and heap snapshots: "global 2 ($count) of instance M", "frame
// #0 fib (func 3) slot 1", ...
func (s *Store) DescribeRoot(at gc.RootPlace) string {
	switch at.Kind {
	case gc.RootFrame:
		env := s.env
		for _, t := range s.Threads() {
			if t.ID == at.Thread {
				env = t
			}
		}
		i := env.Depth - 1 - int(at.Index)
		if i >= 0 && i < env.Depth && env.Frames[i].Func != nil {
			f := env.Frames[i].Func
			return fmt.Sprintf("frame #%d %s slot %d", at.Index, funcLabel(f), at.Slot)
		}
		return fmt.Sprintf("frame #%d slot %d", at.Index, at.Slot)
	case gc.RootGlobal, gc.RootTable, gc.RootElem:
		n := at.Index
		for _, inst := range s.instances {
			var count uint32
			switch at.Kind {
			case gc.RootGlobal:
				count = uint32(len(inst.Globals))
			case gc.RootTable:
				count = uint32(len(inst.Tables))
			default:
				count = uint32(len(inst.Elems))
			}
			if n < count {
				return describeItem(inst, at, n)
			}
			n -= count
		}
	case gc.RootException:
		return "exception in flight"
	case gc.RootHandle:
		return "pinned reference"
	}
	return at.Kind.String()
}

func describeItem(inst *Instance, at gc.RootPlace, i uint32) string {
	name := inst.Name
	if name == "" {
		name = "<anonymous>"
	}
	names := inst.Module != nil && inst.Module.Names != nil
	switch at.Kind {
	case gc.RootGlobal:
		label := ""
		if names && inst.Module.Names.Globals[i] != "" {
			label = " ($" + inst.Module.Names.Globals[i] + ")"
		}
		return fmt.Sprintf("global %d%s of instance %s", i, label, name)
	case gc.RootTable:
		return fmt.Sprintf("table %d element %d of instance %s", i, at.Slot, name)
	}
	return fmt.Sprintf("elem segment %d entry %d of instance %s", i, at.Slot, name)
}

func funcLabel(f *Func) string {
	if f.Name != "" {
		return fmt.Sprintf("%s (func %d)", f.Name, f.Index)
	}
	return fmt.Sprintf("func %d", f.Index)
}
