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
