package tui

import (
	"strings"
	"testing"

	"github.com/gcscope/gcscope/debugger"
)

// threadsDriver stops examples/threads/threads.wat with four threads at
// known places, as debugger/commands/testdata/threads.cmds does: with
// scheduler-locking on, main runs to its join loop, then each worker in
// turn to the breakpoint at its entry.
func threadsDriver(t *testing.T) *driver {
	d := newDriver(t, example("threads/threads.wat"), "main", "3", "5")
	d.command("break wasi_thread_start")
	d.command("break threads.wat:49")
	d.command("set scheduler-locking on")
	d.command("continue")
	d.wait()
	for _, id := range []string{"2", "3", "4"} {
		d.command("thread " + id)
		d.command("continue")
		d.wait()
	}
	return d
}

// The threads pane with four threads stopped; Enter on another thread
// makes it current, and the stack pane then shows that thread's frames.
func TestGoldenThreads(t *testing.T) {
	d := threadsDriver(t)
	d.keys("T")
	golden(t, d, "threads")
	stackOf := func() string {
		d.keys("K")
		scr := d.screen(100, 30)
		d.keys("T")
		return scr
	}
	before := stackOf()
	if !strings.Contains(before, `#0  func[2] "wasi_thread_start"`) || !strings.Contains(before, "$tid: i32 = 3") {
		t.Fatalf("thread 4 (tid 3) should be current:\n%s", before)
	}
	d.keys("up", "up", "up", "enter") // from thread 4 (current) to thread 1: main
	golden(t, d, "threads_select")
	after := stackOf()
	if strings.Contains(after, `#0  func[2] "wasi_thread_start"`) || !strings.Contains(after, `#0  func[3] "main"`) {
		t.Fatalf("after selecting thread 1 the stack pane shows:\n%s", after)
	}
	d.keys("down", "down", "enter") // thread 3
	if !strings.Contains(d.screen(100, 30), "│ thread 3 ") {
		t.Errorf("the status line does not name thread 3:\n%s", d.screen(100, 30))
	}
	if scr := stackOf(); !strings.Contains(scr, `#0  func[2] "wasi_thread_start"`) || !strings.Contains(scr, "$tid: i32 = 2") || strings.Contains(scr, `#0  func[3] "main"`) {
		t.Fatalf("after selecting thread 3 the stack pane shows:\n%s", scr)
	}
}

// The console sets and shows scheduler-locking as the CLI does.
func TestConsoleSchedulerLocking(t *testing.T) {
	d := threadsDriver(t) // set scheduler-locking on, through the console
	if got := d.s.GetLocking(); got != debugger.LockOn {
		t.Fatalf("scheduler-locking %q after the console set it on", got)
	}
	d.command("set scheduler-locking step")
	d.command("set scheduler-locking")
	if got := d.s.GetLocking(); got != debugger.LockStep {
		t.Fatalf("scheduler-locking %q, want step", got)
	}
	d.contains("(gcscope) set scheduler-locking", "scheduler-locking is step")
}
