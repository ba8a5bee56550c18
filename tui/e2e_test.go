package tui

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestEndToEndTmux runs the real binary in tmux at 100x30: a breakpoint
// set from the console, F5 to it, F11 to step, and the inspector opened on
// a local and expanded, each checked on the captured screen.
func TestEndToEndTmux(t *testing.T) {
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Skip("tmux is not installed (make setup installs it): skipping the end-to-end TUI test")
	}
	if testing.Short() {
		t.Skip("-short: skipping the end-to-end TUI test")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "gcscope")
	build := exec.Command("go", "build", "-o", bin, "github.com/gcscope/gcscope/cmd/gcscope")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	target, err := filepath.Abs(example("binary_trees.wat"))
	if err != nil {
		t.Fatal(err)
	}
	sess := "gcscope-e2e-" + filepath.Base(dir)
	tmux := func(args ...string) string {
		t.Helper()
		cmd := exec.Command("tmux", append([]string{"-L", sess}, args...)...)
		cmd.Env = append(os.Environ(), "TERM=xterm-256color")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("tmux %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return string(out)
	}
	tmux("new-session", "-d", "-s", sess, "-x", "100", "-y", "30",
		bin+" debug --invoke run "+target+" 4")
	t.Cleanup(func() { exec.Command("tmux", "-L", sess, "kill-server").Run() })

	screen := ""
	// waitFor captures the pane until it shows every string of want.
	waitFor := func(step string, want ...string) {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for {
			screen = tmux("capture-pane", "-p", "-t", sess)
			missing := ""
			for _, w := range want {
				if !strings.Contains(screen, w) {
					missing = w
				}
			}
			if missing == "" {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s: the screen never showed %q:\n%s", step, missing, screen)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	keys := func(ks ...string) {
		t.Helper()
		for _, k := range ks {
			tmux("send-keys", "-t", sess, k)
			time.Sleep(60 * time.Millisecond) // Esc followed at once by a key reads as Alt
		}
	}

	waitFor("start", "stopped (entry)", "Code: binary_trees.wat", "[Stack]", "(gcscope)", "F5/c cont")
	keys(":")
	tmux("send-keys", "-t", sess, "-l", "break $check")
	keys("Enter")
	waitFor("break", "Breakpoint 1 at $check+0x2")
	keys("F5")
	waitFor("continue", "breakpoint 1, $check at binary_trees.wat:41", "●▶›41")
	keys("Escape", "F11")
	waitFor("step", "stopped (step), $check at binary_trees.wat:42", "▶›42", "(gcscope) step")
	keys("L", "Enter")
	waitFor("inspect", "[Inspect $t]", "▾ $t: (ref $node) = $node@0x11e0", "▸ left = $node@0x9e0")
	keys("Down", "Enter")
	waitFor("expand", "▾ left = $node@0x9e0", "▸ left = $node@0x5e0", "▸ right = $node@0x9d0")
	keys("q")
	// The session ends with gcscope, and the tmux server with it.
	deadline := time.Now().Add(5 * time.Second)
	for {
		out, err := exec.Command("tmux", "-L", sess, "list-panes", "-t", sess, "-F", "#{pane_current_command}").Output()
		if err != nil || !strings.Contains(string(out), "gcscope") {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("q did not end gcscope:\n%s", tmux("capture-pane", "-p", "-t", sess))
		}
		time.Sleep(50 * time.Millisecond)
	}
}
