package debugger

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// opsWat keeps an operand below a block (100), numbers in the block, a
// struct reference on the stack and a call: main(1) = 100 + (5 + 2 + 7).
const opsWat = `(module
  (type $b (struct (field i32)))
  (func $inner (param i32) (result i32)
    (i32.add (local.get 0) (i32.const 1)))
  (func (export "main") (param $x i32) (result i32)
    i32.const 100
    block (result i32)
      i32.const 5
      local.get $x
      call $inner
      i32.add
      i32.const 7
      struct.new $b
      struct.get $b 0
      i32.add
    end
    i32.add))
`

// TestOperandSet: $stack[i] reads and sets the innermost frame's operands
// on both engines. An operand in the innermost block is set on both; one
// below it on the interpreter only (a debug build's code keeps its own
// copy, and the debugger says so rather than set a slot nothing reads);
// references and a caller's operands on neither.
func TestOperandSet(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ops.wat")
	if err := os.WriteFile(path, []byte(opsWat), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, aot := range []bool{false, true} {
		name := map[bool]string{false: "interp", true: "aot"}[aot]
		t.Run(name, func(t *testing.T) {
			s, err := New(Options{Path: path, Invoke: "main", Args: []string{"1"}, AOT: aot})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			next(t, s)
			for _, line := range []string{"4", "11", "14"} {
				if _, err := s.SetBreakpoint("ops.wat:"+line, true, ""); err != nil {
					t.Fatal(err)
				}
			}
			stop := func(line int) {
				t.Helper()
				if err := s.Continue(); err != nil {
					t.Fatal(err)
				}
				ev, ok := next(t, s).(*Stopped)
				if !ok || int(ev.Place.Pos.Line) != line {
					t.Fatalf("want a stop at line %d, got %#v", line, ev)
				}
			}
			wantErr := func(assign, want string) {
				t.Helper()
				if _, err := s.Set(assign); err == nil || !strings.Contains(err.Error(), want) {
					t.Errorf("set %s: %v, want an error saying %q", assign, err, want)
				}
			}
			// In $inner: the caller's operands are not the innermost frame's.
			stop(4)
			if _, err := s.MoveFrame(1); err != nil {
				t.Fatal(err)
			}
			if r, err := s.Eval("$stack[0]", 0); err != nil || r.Text != "100" {
				t.Errorf("the caller's $stack[0]: %v %v, want 100", r, err)
			}
			wantErr("$stack[0] = 9", "innermost frame only")
			// In the block: [100, 5, 2], the block's from 1 up.
			stop(11)
			if r, err := s.Eval("$stack[-1] + $stack[1]", 0); err != nil || r.Text != "7" {
				t.Errorf("$stack[-1] + $stack[1]: %v %v, want 7", r, err)
			}
			if r, err := s.Set("$stack[2] = 40"); err != nil || r.Text != "40" {
				t.Fatalf("set $stack[2] = 40: %v %v", r, err)
			}
			want := int64(100 + 45 + 7)
			if aot {
				wantErr("$stack[0] = 1", "reads back only operands from $stack[1] up")
			} else {
				if _, err := s.Set("$stack[0] = 1"); err != nil {
					t.Fatalf("interpreter: set $stack[0] = 1: %v", err)
				}
				want = 1 + 45 + 7
			}
			// At struct.get: a reference on top.
			stop(14)
			wantErr("$stack[2] = 3", "is a reference")
			if err := s.Continue(); err != nil {
				t.Fatal(err)
			}
			ev, ok := next(t, s).(*Exited)
			if !ok || ev.Err != nil || len(ev.Results) != 1 || int64(int32(ev.Results[0].Bits)) != want {
				t.Fatalf("main(1) ended with %#v, want %d", ev, want)
			}
		})
	}
}
