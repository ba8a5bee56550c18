package loader

import (
	"errors"
	"testing"

	"github.com/gcscope/gcscope/engine/runtime"
)

// TestMemorySizeCacheAfterCalls: compiled functions keep memory sizes in
// locals (compile/memcache.go) and re-read them after calls. Here one
// function's memory grows three ways while it runs (an imported function
// of another instance, which leaves b's record with the old size when its
// nested invocation returns; a callee; memory.grow itself), and each new
// page must be accessible right away, in this function and in a callee,
// while an access past the end still traps.
func TestMemorySizeCacheAfterCalls(t *testing.T) {
	s := nativeStore(t)
	a, err := s.Instantiate(parse(t, `(module
		(memory (export "m") 1 5)
		(func (export "grow") (drop (memory.grow (i32.const 1)))))`), nil)
	if err != nil {
		t.Fatal(err)
	}
	s.Register("a", a)
	b, err := s.Instantiate(parse(t, `(module
		(import "a" "m" (memory 1 5))
		(import "a" "grow" (func $elsewhere))
		(func $peek (param i32) (result i32) (i32.load (local.get 0)))
		(func $grow_in_callee (drop (memory.grow (i32.const 1))))
		(func (export "run") (result i32)
			(i32.store (i32.const 0) (i32.const 1))
			(call $elsewhere)
			(i32.store (i32.const 65536) (i32.const 2))
			(call $grow_in_callee)
			(i32.store (i32.const 131072) (i32.const 3))
			(drop (memory.grow (i32.const 1)))
			(i32.store (i32.const 196608) (i32.const 4))
			(i32.add
				(i32.add (call $peek (i32.const 0)) (call $peek (i32.const 65536)))
				(i32.add (call $peek (i32.const 131072)) (call $peek (i32.const 196608)))))
		(func (export "past_end") (i32.store (i32.const 262141) (i32.const 5))))`), nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := callI32(t, b, "run"); got != 10 {
		t.Fatalf("run = %d, want 10", got)
	}
	if got := len(b.Mems[0].Bytes()); got != 4*65536 {
		t.Fatalf("memory is %d bytes, want 4 pages", got)
	}
	var tr *runtime.Trap
	if _, err := call(t, b, "past_end"); !errors.As(err, &tr) || tr.Msg != "out of bounds memory access" {
		t.Fatalf("past_end at 4 pages: %v, want out of bounds memory access", err)
	}
}
