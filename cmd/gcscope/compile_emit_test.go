package main

import (
	"os"
	"path/filepath"
	"testing"
)

// TestCompileEmitLLVMFollowsBuild checks that --emit-llvm writes the IR of
// the build asked for: a debug build's stop tests make its IR larger than
// the release IR, and -O0 leaves out the second copies of nbody's inner
// loops that -O2 compiles (compile/loopversion.go).
func TestCompileEmitLLVMFollowsBuild(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join("..", "..", "examples", "nbody.wat")
	emit := func(name string, flags ...string) int {
		t.Helper()
		ll := filepath.Join(dir, name+".ll")
		args := append([]string{"compile"}, flags...)
		args = append(args, "--emit-llvm", ll, "-o", filepath.Join(dir, name+".aot"), src)
		if code, _, errOut := runCLI(args...); code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, errOut)
		}
		data, err := os.ReadFile(ll)
		if err != nil {
			t.Fatal(err)
		}
		if len(data) == 0 {
			t.Fatalf("%s: empty IR", ll)
		}
		return len(data)
	}
	release := emit("release")
	debug := emit("debug", "--debug")
	o0 := emit("o0", "--opt-level", "0")
	if debug <= release {
		t.Errorf("debug build IR has %d bytes, release %d: want the debug build's stop tests in it", debug, release)
	}
	if o0 >= release {
		t.Errorf("-O0 IR has %d bytes, -O2 %d: want -O0 without the second loop copies", o0, release)
	}
}
