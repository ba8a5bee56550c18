package loader

import "testing"

// TestDebugBuildCallResults: after a call a debug build reads its frame
// back (a debugger may have set a caller's values meanwhile), but not the
// results the call pushed: call_ref's result once came back as the stale
// slot under it. Operands stay below the call, in blocks and not.
func TestDebugBuildCallResults(t *testing.T) {
	inst, _ := instantiateDebug(t, encoded(t, `(module
  (type $t (func (param i32) (result i32)))
  (elem declare func $inc)
  (func $inc (type $t) (i32.add (local.get 0) (i32.const 1)))
  (func (export "main") (result i64)
    (local $r (ref null $t))
    (local.set $r (ref.func $inc))
    (i32.const 100)
    (i32.const 20)
    (call_ref $t (i32.const 6) (local.get $r))
    (block (param i32) (result i32)
      (call_ref $t (local.get $r))
      (call $inc))
    (i32.add)
    (i32.add)
    (i64.extend_i32_u)))`))
	if got := mainResult(t, inst); got != 100+20+(6+1+1+1) {
		t.Fatalf("main = %d, want 129", got)
	}
}
