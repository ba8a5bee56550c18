package commands

import (
	"fmt"
	"time"

	"github.com/gcscope/gcscope/engine/gc"
)

// rootCategories are the roots command's categories, in listing order.
var rootCategories = []string{"frame", "global", "table", "elem", "exception", "handle", "other"}

func init() {
	register(
		&Command{Name: "roots", Group: "heap", Usage: "roots [CATEGORY]", Summary: "list the GC roots by category",
			Help: "Lists the references the collector starts from, by category: frame (locals and\n" +
				"operands of each frame), global, table, elem, exception, handle (pinned), other\n" +
				"(runtime-held, such as every function's funcref). Without CATEGORY the 'other'\n" +
				"roots are only counted.\nExamples: roots   roots frame   roots other",
			run: cmdRoots},
		&Command{Name: "heap", Group: "heap", noArgs: true, Usage: "heap", Summary: "objects by type, and GC statistics",
			Help: "Counts the heap's objects and bytes by type, largest first, and shows the collector's\n" +
				"counters. Objects that died since the last collection are included: run gc first to\nsee only live ones.",
			run: cmdHeap},
		&Command{Name: "gc", Group: "heap", noArgs: true, Usage: "gc", Summary: "collect garbage now",
			Help: "Runs a full garbage collection (the stopped frames are roots) and shows what it freed.",
			run:  cmdGC},
		&Command{Name: "snapshot", Group: "heap", Usage: "snapshot FILE", Summary: "save a heap snapshot (heapviz JSON)",
			Help: "Writes the heap's objects, references and roots to FILE in gcscope's JSON snapshot\nformat, for gcscope heap and the heap browser.\nExample: snapshot trees.json",
			run:  cmdSnapshot},
	)
}

func cmdRoots(c *Console, k *call) error {
	want := k.args
	if want != "" {
		ok := false
		for _, cat := range rootCategories {
			ok = ok || cat == want
		}
		if !ok {
			return fmt.Errorf("no root category %q: categories are %v", want, rootCategories)
		}
	}
	roots, err := c.S.Roots()
	if err != nil {
		return err
	}
	for _, cat := range rootCategories {
		if want != "" && cat != want {
			continue
		}
		n := 0
		for _, r := range roots {
			if r.Category == cat {
				n++
			}
		}
		c.printf("%s roots: %d\n", cat, n)
		if cat == "other" && want == "" {
			continue
		}
		for _, r := range roots {
			if r.Category == cat {
				c.printf("  %s -> %s\n", r.Place, r.Target)
			}
		}
	}
	return nil
}

func cmdHeap(c *Console, _ *call) error {
	h, err := c.S.Heap()
	if err != nil {
		return err
	}
	c.printf("%-24s %-7s %10s %12s\n", "type", "kind", "objects", "bytes")
	for _, t := range h.Types {
		c.printf("%-24s %-7s %10d %12d\n", t.Type, t.Kind, t.Objects, t.Bytes)
	}
	c.printf("%-24s %-7s %10d %12d\n", "total", "", h.Objects, h.Bytes)
	c.showStats(h.Stats)
	return nil
}

func (c *Console) showStats(st gc.Stats) {
	c.printf("gc: %d collections", st.Collections)
	if !c.Stable {
		c.printf(", pause total %v max %v", st.TotalPause.Round(time.Microsecond), st.MaxPause.Round(time.Microsecond))
	}
	c.printf("; allocated %d objects (%d bytes), freed %d objects (%d bytes); live at the last collection %d objects (%d bytes); heap %d of %d bytes committed\n",
		st.AllocatedObjects, st.AllocatedBytes, st.FreedObjects, st.FreedBytes, st.LiveObjects, st.LiveBytes, st.CommittedBytes, st.MaxBytes)
	if st.BadRefs != 0 {
		c.printf("warning: %d bad references met while marking (a runtime bug)\n", st.BadRefs)
	}
}

func cmdGC(c *Console, _ *call) error {
	before, err := c.S.Heap()
	if err != nil {
		return err
	}
	st, err := c.S.Collect()
	if err != nil {
		return err
	}
	freed := st.FreedObjects - before.Stats.FreedObjects
	c.printf("Collected: freed %d objects (%d bytes); %d objects (%d bytes) live.\n",
		freed, st.FreedBytes-before.Stats.FreedBytes, st.LiveObjects, st.LiveBytes)
	return nil
}

func cmdSnapshot(c *Console, k *call) error {
	if k.args == "" {
		return fmt.Errorf("usage: snapshot FILE")
	}
	n, err := c.S.Snapshot(k.args)
	if err != nil {
		return err
	}
	c.printf("Wrote %s: %d objects.\n", k.args, n)
	return nil
}
