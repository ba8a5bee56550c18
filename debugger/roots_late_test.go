package debugger

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// lateWat's start function allocates what its globals hold: in a debug
// build that is native code bumping its allocation buffer, so until the
// next collection the heap learns of those objects late (past the first,
// whose start it knows), under its lock.
const lateWat = `(module
  (type $cells (array (mut i32)))
  (type $pair (struct (field i32) (field i32)))
  (type $grid (struct (field (ref $cells)) (field i32)))
  (global $a (mut (ref null $pair)) (ref.null $pair))
  (global $b (mut (ref null $pair)) (ref.null $pair))
  (global $kept (mut (ref null $grid)) (ref.null $grid))
  (func $init
    (global.set $a (struct.new $pair (i32.const 1) (i32.const 2)))
    (global.set $b (struct.new $pair (i32.const 3) (i32.const 4)))
    (global.set $kept
      (struct.new $grid (array.new $cells (i32.const 7) (i32.const 3)) (i32.const 5))))
  (start $init)
  (func (export "main") (result i32)
    (struct.get $grid 1 (global.get $kept))))
`

// TestRootsAfterExit: roots and a snapshot after the program exited, on
// both engines. They read the objects the roots point at; the debugger
// used to do that inside the heap's root walk, which holds the heap's
// lock, and reading an object allocated by native code takes that lock:
// on AOT the command never returned.
func TestRootsAfterExit(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "late.wat")
	if err := os.WriteFile(path, []byte(lateWat), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, aot := range []bool{false, true} {
		name := map[bool]string{false: "interp", true: "aot"}[aot]
		t.Run(name, func(t *testing.T) {
			s, err := New(Options{Path: path, Invoke: "main", AOT: aot})
			if err != nil {
				t.Fatal(err)
			}
			// Closed only when the test passes: a session stuck in a
			// hung command would make Close hang too, and the failure
			// show only at go test's timeout.
			next(t, s)
			if err := s.Continue(); err != nil {
				t.Fatal(err)
			}
			if ev, ok := next(t, s).(*Exited); !ok || ev.Err != nil {
				t.Fatalf("main ended with %#v", ev)
			}
			var roots []RootInfo
			within(t, "roots", func() error { roots, err = s.Roots(); return err })
			found := false
			for _, r := range roots {
				found = found || strings.Contains(r.Place, "$kept") && strings.Contains(r.Target, "$grid")
			}
			if !found {
				t.Errorf("roots after exit: %+v, want global $kept holding a $grid", roots)
			}
			within(t, "snapshot", func() error { _, err := s.Snapshot(filepath.Join(dir, name+".json")); return err })
			s.Close()
		})
	}
}

// within runs fn, failing the test if it errs or does not return in 30 s.
func within(t *testing.T, what string, fn func() error) {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- fn() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	case <-time.After(30 * time.Second):
		t.Fatalf("%s did not return in 30 s", what)
	}
}
