package tui

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/gcscope/gcscope/debugger"
)

// aotDriver debugs fib(5) as an AOT debug build compiled in memory.
func aotDriver(t *testing.T) *driver {
	t.Helper()
	if _, err := exec.LookPath("llc-14"); err != nil {
		if _, err := exec.LookPath("llc"); err != nil {
			t.Skip("llc is not on PATH")
		}
	}
	return newDriverWith(t, debugger.Options{Path: example("fib.wat"), Invoke: "fib", Args: []string{"5"}, AOT: true})
}

// selectSection moves the sections list to the section named name.
func (d *driver) selectSection(name string) {
	d.t.Helper()
	for i, s := range d.m.secs.dump.Sections {
		if s.Name == name {
			for d.m.secs.nav.sel < i {
				d.keys("down")
			}
			return
		}
	}
	d.t.Fatalf("no section %s", name)
}

// TestGoldenSections: the Sections tab of an AOT session lists the .aot
// file's sections and decodes the selected one (the offset map, with the
// WAT of each range's instruction).
func TestGoldenSections(t *testing.T) {
	d := aotDriver(t)
	d.keys("F")
	d.screen(100, 30) // loads the file
	d.selectSection("offsetmap")
	golden(t, d, "sections")
	d.keys("pgdown")
	if scr := d.screen(100, 30); !strings.Contains(scr, "native +0x") {
		t.Errorf("paged offset map lacks pairs:\n%s", scr)
	}
}

// TestSectionsOnlyForAOT: an interpreter session has no Sections tab and
// F does nothing.
func TestSectionsOnlyForAOT(t *testing.T) {
	d := newDriver(t, example("fib.wat"), "fib", "5")
	d.keys("F")
	if d.m.lowerTab == tabSections || strings.Contains(d.screen(100, 30), "Sections") {
		t.Errorf("an interpreter session shows the Sections tab")
	}
}
