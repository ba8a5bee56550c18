package loader

import (
	"testing"

	"github.com/gcscope/gcscope/engine/aot/compile"
	"github.com/gcscope/gcscope/engine/runtime"
)

// A recursion level owes its caller's header (compile/recowed.go) and
// shares one trap block per trap code (trap_share.go). divs divides by
// zero after a self-call inside an if (where the header is paid) and
// again after the if (where it is owed again): a trap block made on the
// paid path must not serve the owing one.
const owedTrapWat = `(module
  (func $f (export "f") (param $n i32) (param $d i32) (result i32)
    (local $x i32)
    (if (i32.gt_u (local.get $n) (i32.const 1))
      (then
        (local.set $x (call $f (i32.sub (local.get $n) (i32.const 1)) (local.get $d)))
        (local.set $x (i32.add (local.get $x) (call $f (i32.sub (local.get $n) (i32.const 2)) (local.get $d))))
        (local.set $x (i32.div_u (local.get $x) (i32.or (local.get $d) (i32.const 1))))))
    (i32.add (local.get $x) (i32.div_u (local.get $n) (local.get $d)))))`

// TestOwedHeaderSharedTrap: the division traps at the deepest frames show
// the interpreter's frames, the caller's offset being its call.
func TestOwedHeaderSharedTrap(t *testing.T) {
	ref, got, _ := pairStores(t, owedTrapWat, compile.Options{OptLevel: 2}, runtime.Config{})
	for _, n := range []int32{1, 2, 3, 6, 12} {
		args := []runtime.Value{runtime.I32(n), runtime.I32(0)}
		want := trapOf(t, ref, "f", args)
		tr := trapOf(t, got, "f", args)
		if tr.Msg != want.Msg || !sameFrames(tr.Backtrace, want.Backtrace) {
			t.Fatalf("f%v: %q at\n%v\nthe interpreter: %q at\n%v", args, tr.Msg, tr.Backtrace, want.Msg, want.Backtrace)
		}
	}
}
