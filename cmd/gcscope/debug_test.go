package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func runDebug(args ...string) (code int, stdout, stderr string) {
	var out, errb bytes.Buffer
	code = debugCmd(&cliEnv{stdout: &out, stderr: &errb}, args)
	return code, out.String(), errb.String()
}

func TestDebugBatch(t *testing.T) {
	script := filepath.Join(t.TempDir(), "cmds")
	os.WriteFile(script, []byte("break $fib if $n == 1\ncontinue\nbt 2\nprint $n\nkill\n"), 0o644)
	for _, flag := range []string{"--batch", "-x"} {
		code, out, errOut := runDebug(flag, script, "--invoke", "fib", "../../examples/fib.wat", "5")
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		for _, want := range []string{"Stopped at entry: $fib ($n=5)", "(gcscope) break $fib if $n == 1",
			"Breakpoint 1, $fib ($n=1)", "(gcscope) print $n\n$n: i32 = 1\n", "(3 more frames)", "Program killed."} {
			if !strings.Contains(out, want) {
				t.Errorf("%s transcript lacks %q:\n%s", flag, want, out)
			}
		}
	}
}

func TestDebugErrors(t *testing.T) {
	if code, out, errOut := runDebug("--help"); code != 0 || !strings.Contains(out+errOut, "Examples:") {
		t.Errorf("--help: exit %d", code)
	}
	if code, _, _ := runDebug(); code != 2 {
		t.Errorf("no target: exit %d, want 2", code)
	}
	if code, _, errOut := runDebug("--batch", "/nonexistent", "x.wat"); code != 2 || !strings.Contains(errOut, "nonexistent") {
		t.Errorf("missing script: exit %d %q", code, errOut)
	}
	if code, _, errOut := runDebug("nosuch.wat"); code != 1 || !strings.Contains(errOut, "nosuch.wat") {
		t.Errorf("missing target: exit %d %q", code, errOut)
	}
	if code, _, errOut := runDebug("--invoke", "fib", "../../examples/fib.wat"); code != 1 || !strings.Contains(errOut, "takes 1 arguments") {
		t.Errorf("missing argument: exit %d %q", code, errOut)
	}
	if code, _, errOut := runDebug("--heap-size", "lots", "../../examples/fib.wat"); code != 2 || !strings.Contains(errOut, "heap-size") {
		t.Errorf("bad heap size: exit %d %q", code, errOut)
	}
}
