package tui

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/gcscope/gcscope/debugger"
	"github.com/gcscope/gcscope/debugger/commands"
)

// atCheck is binary_trees (run 4) stopped at the second hit of $check.
func atCheck(t *testing.T) *driver {
	d := treesDriver(t)
	d.command("break $check")
	d.keys("f5")
	d.wait()
	d.keys("c")
	d.wait()
	return d
}

func TestBreakpointKeyToggles(t *testing.T) {
	d := treesDriver(t)
	d.keys("/", "(br_on_null", "enter")
	if d.m.code.cursor != 41 {
		t.Fatalf("search moved the cursor to line %d, want 41", d.m.code.cursor)
	}
	d.keys("b")
	bps := d.s.Breakpoints()
	if len(bps) != 1 || bps[0].Place.Pos.Line != 41 {
		t.Fatalf("after b: breakpoints %+v, want one on line 41", bps)
	}
	if !d.m.code.bps[41] {
		t.Error("the gutter does not mark line 41")
	}
	d.keys("f5")
	d.wait()
	if st := d.s.LastStop(); st.Reason != debugger.ReasonBreakpoint || st.Place.Pos.Line != 41 {
		t.Errorf("F5 stopped at %v (%s), want the breakpoint on line 41", st.Place, st.Reason)
	}
	if d.m.code.cur != 41 || d.m.code.cursor != 41 {
		t.Errorf("code pane: current %d cursor %d, want 41", d.m.code.cur, d.m.code.cursor)
	}
	d.keys("b")
	if n := len(d.s.Breakpoints()); n != 0 {
		t.Errorf("b again left %d breakpoints", n)
	}
	d.contains("(gcscope) break 41", "(gcscope) delete 1")
}

func TestStepNextFinishKeys(t *testing.T) {
	d := atCheck(t)
	d.keys("f11")
	d.wait()
	st := d.s.LastStop()
	if st.Reason != debugger.ReasonStep || st.Place.Pos.Line != 42 {
		t.Fatalf("F11 stopped at %v (%s), want a step to line 42", st.Place, st.Reason)
	}
	d.keys("s")
	d.wait()
	if f, _ := d.s.Backtrace(); len(f) != 4 {
		t.Fatalf("s did not enter $check: %d frames", len(f))
	}
	// Without breakpoints, or finish stops at $check's in a deeper call.
	d.command("delete")
	d.send(fakeCSI("?CSI[50 51 59 50 126]?")) // Shift-F11
	d.wait()
	if f, _ := d.s.Backtrace(); len(f) != 3 {
		t.Errorf("Shift-F11 did not finish: %d frames", len(f))
	}
	d.contains("(gcscope) step", "(gcscope) finish", "Value returned:")
	d.keys("n")
	d.wait()
	if d.s.LastStop().Place.Pos.Line == 42 {
		t.Error("n did not move on")
	}
}

// fakeCSI stands for bubbletea's message of an unknown CSI sequence.
type fakeCSI string

func (f fakeCSI) String() string { return string(f) }

func TestStackSelectsFrame(t *testing.T) {
	d := atCheck(t)
	d.keys("K", "down")
	f, err := d.s.CurrentFrame()
	if err != nil || f.Index != 1 {
		t.Fatalf("down in the stack selected frame %d (%v), want 1", f.Index, err)
	}
	if d.m.code.cur != 42 {
		t.Errorf("the code pane shows line %d as current, want frame 1's line 42", d.m.code.cur)
	}
	d.contains("$t: (ref $node) = $node@0x11e0")
}

func TestOutputPaneAndPause(t *testing.T) {
	d := newDriver(t, "testdata/count.wat", "main")
	d.keys("f5")
	if d.m.state != debugger.StateRunning {
		t.Fatalf("state %s after F5, want running", d.m.state)
	}
	d.contains("running (Ctrl-C pauses)", "Ctrl-C/p pause")
	deadline := time.After(10 * time.Second)
	for len(d.m.output.lines) < 3 {
		select {
		case ev := <-d.s.Events():
			d.send(eventsMsg{ev})
		case <-deadline:
			t.Fatalf("output so far: %q", d.m.output.lines)
		}
	}
	d.keys("ctrl+c")
	d.wait()
	if st := d.s.LastStop(); st == nil || st.Reason != debugger.ReasonPause {
		t.Fatalf("ctrl+c: last stop %+v, want a pause", st)
	}
	if got := strings.Join(d.m.output.lines, ","); got != "0 : i32,1 : i32,2 : i32" {
		t.Errorf("output pane %q, want spectest's prints of 0, 1, 2", got)
	}
	for _, l := range d.m.console.lines {
		if strings.HasSuffix(l, ": i32") {
			t.Errorf("program output in the console: %q", d.m.console.lines)
		}
	}
	d.contains("Paused: $spin")
}

// TestConsoleSameOutput checks that console commands print what the CLI
// prints (commands.Console over another session at the same stop).
func TestConsoleSameOutput(t *testing.T) {
	d := atCheck(t)
	s2, err := debugger.New(debugger.Options{Path: example("binary_trees.wat"), Invoke: "run", Args: []string{"4"}})
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	var cli bytes.Buffer
	c := commands.New(s2, &cli)
	c.Wait()
	c.Run("break $check")
	c.Run("continue")
	c.Run("continue")
	for _, cmd := range []string{"print $t", "inspect $t.left", "bt", "locals", "roots", "help next", "print $nosuch", "frame 1", "list"} {
		cli.Reset()
		c.Run(cmd)
		n := len(d.m.console.lines)
		d.command(cmd)
		got := strings.Join(d.m.console.lines[n:], "\n")
		// The same text, with tabs expanded for the screen.
		var want []string
		for _, l := range strings.Split(commands.Prompt+cmd+"\n"+strings.TrimSuffix(cli.String(), "\n"), "\n") {
			want = append(want, expandTabs(l))
		}
		if got != strings.Join(want, "\n") {
			t.Errorf("%s: the TUI's console shows\n%s\nthe CLI\n%s", cmd, got, strings.Join(want, "\n"))
		}
	}
}

func TestInspectorPagesAndFollows(t *testing.T) {
	d := newDriver(t, "testdata/count.wat", "main")
	d.command("break 15")
	d.keys("f5")
	d.wait()
	d.command("inspect $xs")
	if d.m.lowerTab != tabInspect {
		t.Fatal("inspect did not open the inspector")
	}
	tree := func(want ...string) {
		t.Helper()
		got := strings.Join(d.m.insp.view(100, false), "\n")
		for _, w := range want {
			if !strings.Contains(got, w) {
				t.Errorf("the inspector lacks %q:\n%s", w, got)
			}
		}
	}
	tree("[15] = 7", "elements 0-15 of 40")
	d.keys("I", "pgdown")
	tree("[16] = 7", "[31] = 7", "elements 16-31 of 40")
	d.keys("pgdown", "pgdown")
	tree("[39] = 7", "elements 32-39 of 40")
	d.command("inspect $p")
	d.keys("I", "down", "down", "right")
	if d.m.insp.root != "$p.b" {
		t.Fatalf("→ on field b made %q the root, want $p.b", d.m.insp.root)
	}
	tree("$p.b: (ref null $arr) = $arr@", "back to $p")
	d.contains("[Inspect $p.b]")
	d.keys("left")
	if d.m.insp.root != "$p" {
		t.Errorf("← went back to %q, want $p", d.m.insp.root)
	}
}

func TestHeapSort(t *testing.T) {
	d := atCheck(t)
	d.keys("H")
	order := func() string {
		var names []string
		for _, tc := range d.m.heap.info.Types {
			names = append(names, tc.Type)
		}
		return strings.Join(names, " ")
	}
	if d.m.heap.info == nil || len(d.m.heap.info.Types) < 2 {
		t.Fatalf("heap pane: %+v", d.m.heap.info)
	}
	d.keys("S", "S")
	if d.m.heap.sortBy != sortName || order() != "$node funcref" {
		t.Errorf("sorted by %s: %s", sortNames[d.m.heap.sortBy], order())
	}
	d.contains("Heap by type")
}

func TestResize(t *testing.T) {
	d := atCheck(t)
	d.keys("H")
	for _, sz := range [][2]int{{80, 24}, {100, 30}, {132, 43}, {60, 16}, {40, 12}} {
		checkFrame(t, d.screen(sz[0], sz[1])+"\n", sz[0], sz[1])
	}
	// Smaller than the minimum: drawn at the minimum.
	if got := strings.Count(d.screen(20, 5), "\n") + 1; got != minH {
		t.Errorf("a 20x5 screen has %d lines, want %d", got, minH)
	}
}

func TestQuitAndUnknown(t *testing.T) {
	d := treesDriver(t)
	d.command("frobnicate")
	d.contains(`unknown command "frobnicate": try help`)
	d.command("continue 3")
	d.contains("continue takes no arguments (usage: continue)")
	d.command("advance")
	d.contains("usage: advance PLACE")
	d.command("quit")
	if !d.m.quit || d.m.View() != "" {
		t.Error("quit did not end the TUI")
	}
}

func ExampleModel() {
	s, _ := debugger.New(debugger.Options{Path: "../examples/fib.wat", Invoke: "fib", Args: []string{"5"}})
	defer s.Close()
	m := New(s)
	m.SetSize(80, 24)
	fmt.Println(m.state)
	// Output: running
}

func TestExitAndRestart(t *testing.T) {
	d := newDriver(t, example("fib.wat"), "fib", "5")
	d.keys("f5")
	d.wait()
	if d.m.state != debugger.StateExited {
		t.Fatalf("state %s after the program returned", d.m.state)
	}
	d.contains("Program exited normally, returning 5 : i32.", "(ended: restart runs it again)")
	d.command("kill")
	d.contains("the program is not running")
	d.command("restart")
	d.wait()
	if d.m.state != debugger.StateStopped {
		d.wait()
	}
	if st := d.s.LastStop(); d.m.state != debugger.StateStopped || st.Reason != debugger.ReasonEntry {
		t.Fatalf("restart: state %s, last stop %+v", d.m.state, st)
	}
	d.contains("Stopped at entry: $fib ($n=5)", "*#0  $fib ($n=5)")
}
