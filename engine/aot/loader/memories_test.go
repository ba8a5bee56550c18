package loader

import (
	"errors"
	"testing"
	"time"

	"github.com/gcscope/gcscope/engine/runtime"
)

func call(t *testing.T, inst *runtime.Instance, name string, args ...runtime.Value) ([]runtime.Value, error) {
	t.Helper()
	f := inst.ExportedFunc(name)
	if f == nil {
		t.Fatalf("no export %s", name)
	}
	return f.Call(args)
}

func callI32(t *testing.T, inst *runtime.Instance, name string, args ...runtime.Value) int32 {
	t.Helper()
	res, err := call(t, inst, name, args...)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return int32(res[0].Bits)
}

// TestImportedMemoryGrownElsewhere: memory 1 of b is a's memory; a grows
// it (and the host grows b's memory 0) between b's calls, and b's native
// code sees the new pages through the memory's own size word.
func TestImportedMemoryGrownElsewhere(t *testing.T) {
	s := nativeStore(t)
	a, err := s.Instantiate(parse(t, `(module
		(memory (export "m0") 1 3)
		(memory (export "m1") 1 3)
		(func (export "grow1") (result i32) (memory.grow 1 (i32.const 1)))
		(func (export "poke1") (i32.store 1 (i32.const 65536) (i32.const 42))))`), nil)
	if err != nil {
		t.Fatal(err)
	}
	s.Register("a", a)
	b, err := s.Instantiate(parse(t, `(module
		(import "a" "m0" (memory 1 3))
		(import "a" "m1" (memory 1 3))
		(func (export "peek0") (result i32) (i32.load 0 (i32.const 65536)))
		(func (export "peek1") (result i32) (i32.load 1 (i32.const 65536)))
		(func (export "size1") (result i32) (memory.size 1)))`), nil)
	if err != nil {
		t.Fatal(err)
	}
	var tr *runtime.Trap
	if _, err := call(t, b, "peek1"); !errors.As(err, &tr) || tr.Msg != "out of bounds memory access" {
		t.Fatalf("peek1 before the grow: %v", err)
	}
	if got := callI32(t, a, "grow1"); got != 1 {
		t.Fatalf("grow1 = %d, want 1", got)
	}
	callI32Void(t, a, "poke1")
	if got := callI32(t, b, "size1"); got != 2 {
		t.Fatalf("size1 = %d, want 2", got)
	}
	if got := callI32(t, b, "peek1"); got != 42 {
		t.Fatalf("peek1 = %d, want 42", got)
	}
	if _, ok := b.Mems[0].Grow(1); !ok {
		t.Fatal("host grow failed")
	}
	if got := callI32(t, b, "peek0"); got != 0 {
		t.Fatalf("peek0 after the host grew memory 0 = %d, want 0", got)
	}
}

func callI32Void(t *testing.T, inst *runtime.Instance, name string) {
	t.Helper()
	if _, err := call(t, inst, name); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
}

// TestSharedMemoryGrownByAnotherThread: a thread runs native code that
// waits until memory.size says 2 pages, then loads from page 1. Another
// thread grows the memory meanwhile: the first one's record still has the
// old size, so the load must re-read the live size instead of trapping.
func TestSharedMemoryGrownByAnotherThread(t *testing.T) {
	s := nativeStore(t)
	inst, err := s.Instantiate(parse(t, `(module
		(memory 1 2 shared)
		(func (export "await") (param i32)
			(i32.atomic.store (i32.const 0) (i32.const 1))
			(loop $l (br_if $l (i32.lt_u (memory.size) (i32.const 2))))
			(i32.atomic.store (i32.const 4) (i32.add (i32.load (i32.const 65536)) (i32.const 1))))
		(func (export "started") (result i32) (i32.atomic.load (i32.const 0)))
		(func (export "grow") (result i32) (memory.grow (i32.const 1)))
		(func (export "result") (result i32) (i32.atomic.load (i32.const 4))))`), nil)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- runOnThreads(s, inst.ExportedFunc("await"), 1, 0) }()
	deadline := time.Now().Add(30 * time.Second)
	for callI32(t, inst, "started") == 0 {
		if time.Now().After(deadline) {
			t.Fatal("the thread did not start")
		}
		time.Sleep(time.Millisecond)
	}
	if got := callI32(t, inst, "grow"); got != 1 {
		t.Fatalf("grow = %d, want 1", got)
	}
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the thread did not see the grow")
	}
	if got := callI32(t, inst, "result"); got != 1 {
		t.Fatalf("result = %d, want 1 (page 1 read as 0, plus 1)", got)
	}
}
