package interp

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gcscope/gcscope/engine/binary"
	"github.com/gcscope/gcscope/engine/runtime"
	"github.com/gcscope/gcscope/engine/validate"
	"github.com/gcscope/gcscope/internal/shared"
)

var programs = shared.Path("programs")

// TestPrograms instantiates real compiler output against stub imports and
// compiles every function: the interpreter must accept what compilers
// emit (legacy exceptions, tail calls, casts) without panicking.
func TestPrograms(t *testing.T) {
	if testing.Short() {
		t.Skip("programs in -short mode")
	}
	var files []string
	_ = filepath.WalkDir(programs, func(p string, d os.DirEntry, err error) error {
		if err == nil && strings.HasSuffix(p, ".wasm") {
			if fi, err := d.Info(); err == nil && fi.Size() < 4<<20 {
				files = append(files, p)
			}
		}
		return nil
	})
	if len(files) == 0 {
		t.Fatal("no programs at " + programs)
	}
	ok := 0
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		m, err := binary.Decode(b)
		if err != nil || validate.Module(m) != nil {
			continue // the decoder's and validator's tests cover these
		}
		s := newStore(t, runtime.Config{})
		r, err := s.StubImports(m, nil)
		if err != nil {
			t.Errorf("%s: stubs: %v", f, err)
			continue
		}
		start := time.Now()
		inst, err := s.Instantiate(m, r)
		var tr *runtime.Trap
		if err != nil && !errors.As(err, &tr) {
			t.Errorf("%s: instantiate: %v", filepath.Base(f), err)
			continue
		}
		if inst != nil {
			if err := CompileAll(inst); err != nil {
				t.Errorf("%s: compile: %v", filepath.Base(f), err)
				continue
			}
		}
		ok++
		if d := time.Since(start); d > 2*time.Second {
			t.Logf("%s: slow instantiate+compile: %v", filepath.Base(f), d)
		}
	}
	t.Logf("%d of %d programs instantiated and compiled", ok, len(files))
}

// loadProgram decodes, validates and instantiates a real program with its
// imports stubbed (a stub traps if called).
func loadProgram(t *testing.T, s *runtime.Store, path string) (*runtime.Instance, error) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	m, err := binary.Decode(b)
	if err != nil {
		return nil, err
	}
	if err := validate.Module(m); err != nil {
		return nil, err
	}
	r, err := s.StubImports(m, nil)
	if err != nil {
		return nil, err
	}
	return s.Instantiate(m, r)
}
