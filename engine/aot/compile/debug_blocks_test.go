package compile

import (
	"testing"

	"github.com/gcscope/gcscope/engine/aot/aotfile"
)

// TestDebugBuildOperandsBelowBlocks: a debug build stops inside blocks
// with operands below them (an if's else arm, a try_table's handler and
// the code after the block use those operands as they were when the
// block began), with calls whose exception test is not deferred. The
// module must compile (opt rejected the phis a stop once put in place of
// such operands: "Instruction does not dominate all uses") and be flagged
// debug.
func TestDebugBuildOperandsBelowBlocks(t *testing.T) {
	src := []byte(`(module
  (tag $e (param i32))
  (func $f (param i32) (result i32)
    (if (local.get 0) (then (throw $e (local.get 0))))
    (i32.add (local.get 0) (i32.const 1)))
  (func (export "g") (param i32) (result i32)
    (i32.const 7)
    (block $h (result i32)
      (try_table (result i32) (catch $e $h)
        (call $f (local.get 0))))
    (i32.const 3)
    (if (param i32) (result i32) (local.get 0)
      (then (i32.mul (call $f (i32.const 0))))
      (else (i32.sub (i32.const 1))))
    (i32.add) (i32.add)))`)
	for _, opt := range []int{0, 2} {
		f := compileOrSkip(t, parse(t, src), Options{OptLevel: opt, Debug: true})
		if f.Header.Flags&aotfile.FlagDebug == 0 {
			t.Errorf("-O%d: the debug build is not flagged debug", opt)
		}
	}
}

// TestDebugBuildAtomicResults: a debug build commits every operand at each
// stop, so an atomic access's result (i32 and i64, each width) sits on
// the stack at a stop before local.set and before its use as an address.
// It failed to compile ("store operands are not compatible: src=i32;
// dst=i64*") while atomics typed their results with types.NewInt, which
// the slot conversion did not take for an i32.
func TestDebugBuildAtomicResults(t *testing.T) {
	src := []byte(`(module
  (memory 1 1 shared)
  (func (export "f") (result i64) (local $a i32) (local $b i64)
    (local.set $a (i32.atomic.load (i32.const 4)))
    (local.set $a (i32.atomic.load8_u (i32.const 4)))
    (local.set $a (i32.atomic.rmw16.add_u (i32.const 4) (i32.const 1)))
    (local.set $b (i64.atomic.load32_u (i32.const 8)))
    (local.set $b (i64.atomic.rmw.xchg (i32.const 8) (i64.const 3)))
    (drop (i32.load (i32.atomic.rmw.cmpxchg (i32.const 4) (local.get $a) (i32.const 0))))
    (local.get $b)))`)
	for _, opt := range []int{0, 2} {
		f := compileOrSkip(t, parse(t, src), Options{OptLevel: opt, Debug: true})
		if f.Header.Flags&aotfile.FlagDebug == 0 {
			t.Errorf("-O%d: the debug build is not flagged debug", opt)
		}
	}
}
