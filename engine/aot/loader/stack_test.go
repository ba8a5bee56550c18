package loader

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/gcscope/gcscope/engine/runtime"
)

// TestNativeStackExhausted recurses with big native frames (many values
// live across the call), so the native stack limit, not the frame depth
// limit, ends it: still the trap "call stack exhausted", never a crash.
func TestNativeStackExhausted(t *testing.T) {
	const n = 120
	var b strings.Builder
	b.WriteString(`(module (func $deep (export "deep") (param i32) (result i64)`)
	for i := 0; i < n; i++ {
		b.WriteString(" (local i64)")
	}
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, " (local.set %d (i64.mul (i64.extend_i32_u (local.get 0)) (i64.const %d)))", i+1, 2*i+3)
	}
	b.WriteString(" (call $deep (i32.add (local.get 0) (i32.const 1)))")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, " (i64.add (local.get %d))", i+1)
	}
	b.WriteString("))")
	e := New(nil)
	defer e.Close()
	// A depth limit far beyond what the native stack allows.
	s, err := runtime.NewStore(runtime.Config{Engine: e, MaxCallDepth: 1 << 20, StackSlots: 1 << 22})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	inst, err := s.Instantiate(parse(t, b.String()), nil)
	if err != nil {
		t.Fatal(err)
	}
	_, err = inst.ExportedFunc("deep").Call([]runtime.Value{runtime.I32(0)})
	var tr *runtime.Trap
	if !errors.As(err, &tr) || tr.Msg != "call stack exhausted" {
		t.Fatalf("got %v, want call stack exhausted", err)
	}
	if len(tr.Backtrace) >= 1<<20-1 {
		t.Fatalf("%d frames: the depth limit, not the native stack, stopped it", len(tr.Backtrace))
	}
	t.Logf("native stack exhausted after %d frames", len(tr.Backtrace))
}
