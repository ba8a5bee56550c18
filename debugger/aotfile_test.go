package debugger

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/gcscope/gcscope/engine/aot/aotfile"
	"github.com/gcscope/gcscope/engine/aot/compile"
	"github.com/gcscope/gcscope/engine/binary"
	"github.com/gcscope/gcscope/engine/text"
	"github.com/gcscope/gcscope/engine/validate"
)

// TestAOTFile: an .aot target's session returns the file's bytes, an
// --aot session the debug build it compiled (a readable debug build with
// an offset map), an interpreter session an error.
func TestAOTFile(t *testing.T) {
	if _, err := exec.LookPath("llc-14"); err != nil {
		if _, err := exec.LookPath("llc"); err != nil {
			t.Skip("llc is not on PATH")
		}
	}
	src, err := os.ReadFile("../examples/fib.wat")
	if err != nil {
		t.Fatal(err)
	}
	m, err := text.ParseModule(src)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := binary.Encode(m); err != nil {
		t.Fatal(err)
	}
	if err := validate.Module(m); err != nil {
		t.Fatal(err)
	}
	data, err := compile.Compile(m, compile.Options{OptLevel: 2, Debug: true})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	aotPath := filepath.Join(dir, "fib.aot")
	if err := os.WriteFile(aotPath, data, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "fib.wat"), src, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, o := range []Options{{Path: aotPath}, {Path: "../examples/fib.wat", AOT: true}} {
		o.Invoke, o.Args = "fib", []string{"3"}
		s, err := New(o)
		if err != nil {
			t.Fatal(err)
		}
		<-s.Events() // the entry stop: the code is loaded
		got, err := s.AOTFile()
		s.Close()
		if err != nil {
			t.Fatalf("%s: %v", o.Path, err)
		}
		if o.Path == aotPath && !bytes.Equal(got, data) {
			t.Errorf("%s: AOTFile is not the file", o.Path)
		}
		f, err := aotfile.Read(got)
		if err != nil || f.Header.Flags&aotfile.FlagDebug == 0 || len(f.OffsetMaps) != len(m.Funcs) {
			t.Errorf("%s: not a debug build with offset maps (%v)", o.Path, err)
		}
	}
	s, err := New(Options{Path: "../examples/fib.wat", Invoke: "fib", Args: []string{"3"}})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.AOTFile(); err == nil {
		t.Errorf("an interpreter session has an .aot file")
	}
}
