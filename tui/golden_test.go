package tui

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"
)

var update = flag.Bool("update", false, "rewrite the golden frames in testdata/")

func TestMain(m *testing.M) {
	lipgloss.SetColorProfile(termenv.Ascii)
	os.Exit(m.Run())
}

// sizes are the screen sizes every golden frame is drawn at.
var sizes = [][2]int{{100, 30}, {80, 24}}

// golden compares the screen at each size with testdata/NAME_WxH.golden.
func golden(t *testing.T, d *driver, name string) {
	t.Helper()
	goldenFrames(t, name, d.screen)
}

// goldenFrames compares screen(w, h) at each size with
// testdata/NAME_WxH.golden, or rewrites the files with -update.
func goldenFrames(t *testing.T, name string, screen func(w, h int) string) {
	t.Helper()
	for _, sz := range sizes {
		got := screen(sz[0], sz[1]) + "\n"
		checkFrame(t, got, sz[0], sz[1])
		path := filepath.Join("testdata", fmt.Sprintf("%s_%dx%d.golden", name, sz[0], sz[1]))
		if *update {
			if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (go test ./tui -update writes it)", err)
		}
		if got != string(want) {
			t.Errorf("%s differs from the golden frame (go test ./tui -update rewrites it); got:\n%s\nwant:\n%s", path, got, want)
		}
	}
}

// checkFrame checks that a frame fills the screen exactly.
func checkFrame(t *testing.T, frame string, w, h int) {
	t.Helper()
	lines := strings.Split(strings.TrimSuffix(frame, "\n"), "\n")
	if len(lines) != h {
		t.Errorf("%dx%d: %d lines", w, h, len(lines))
	}
	for i, l := range lines {
		if n := ansi.StringWidth(l); n != w {
			t.Errorf("%dx%d: line %d is %d cells wide: %q", w, h, i, n, l)
		}
	}
}

func treesDriver(t *testing.T) *driver {
	return newDriver(t, example("binary_trees.wat"), "run", "4")
}

func TestGoldenStart(t *testing.T) {
	d := treesDriver(t)
	golden(t, d, "start")
}

func TestGoldenBreakpoint(t *testing.T) {
	d := atCheck(t)
	golden(t, d, "breakpoint")
}

func TestGoldenInspect(t *testing.T) {
	d := atCheck(t)
	d.keys("L", "enter", "down", "enter", "down", "down", "enter")
	golden(t, d, "inspect")
}

func TestGoldenHeap(t *testing.T) {
	d := treesDriver(t)
	d.command("break $check")
	d.keys("f5")
	d.wait()
	d.keys("H")
	golden(t, d, "heap")
}

func TestGoldenHelp(t *testing.T) {
	d := treesDriver(t)
	d.keys("?")
	golden(t, d, "help")
}
