package compile

import (
	"strings"
	"testing"
)

// TestExceptionCostOnlyWhereObservable: code pays for exceptions and tail
// calls only in modules that can catch them (a handler, and something to
// raise one) or make tail calls. fib-like code neither tests the pending
// word after calls nor changes calling convention.
func TestExceptionCostOnlyWhereObservable(t *testing.T) {
	const fib = `(func $f (param i32) (result i32)
	  (if (result i32) (i32.lt_u (local.get 0) (i32.const 2))
	    (then (local.get 0))
	    (else (i32.add (call $f (i32.sub (local.get 0) (i32.const 1)))
	                   (call $f (i32.sub (local.get 0) (i32.const 2)))))))`
	const catchAll = `(func (block $h (try_table (catch_all $h) (nop))))`
	// The trap code word is word 11: a test after a call loads it.
	const pendingTest = "getelementptr i64, i64* %env, i64 11"
	for _, c := range []struct {
		name, extra    string
		tested, tailcc bool
	}{
		{"plain", "", false, false},
		{"tag, no handler", `(tag)`, false, false},
		{"import, no handler", `(import "m" "f" (func))`, false, false},
		{"handler, nothing to catch", catchAll, false, false},
		{"tag and handler", `(tag)` + catchAll, true, false},
		{"import and handler", `(import "m" "f" (func))` + catchAll, true, false},
		{"exported table and handler", `(table (export "t") 1 funcref)` + catchAll, true, false},
		{"tail call", `(func (result i32) (return_call $f (i32.const 1)))`, false, true},
		// Functions in extra after a "|" go after fib, which stays function 0.
		{"tail call elsewhere", `|(func $g (param i32) (result i32) (local.get 0))
		  (func (result i32) (return_call $g (i32.const 1)))`, false, true},
	} {
		before, after, _ := strings.Cut(c.extra, "|")
		src := "(module " + before + fib + after + ")"
		mod, err := GenerateIR(parse(t, []byte(src)))
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		ir := mod.String()
		if got := strings.Contains(ir, pendingTest); got != c.tested {
			t.Errorf("%s: tests the pending exception word: %v, want %v", c.name, got, c.tested)
		}
		if got := strings.Contains(ir, "tailcc"); got != c.tailcc {
			t.Errorf("%s: uses tailcc: %v, want %v", c.name, got, c.tailcc)
		}
		if c.tailcc && !strings.Contains(ir, "tail call tailcc") {
			t.Errorf("%s: no guaranteed tail call in\n%s", c.name, ir)
		}
		// fib (the first function) uses tailcc only when tail-called.
		fibTailcc := strings.Contains(ir, "define internal tailcc i32 @gcs_func_0(")
		if want := c.name == "tail call"; fibTailcc != want {
			t.Errorf("%s: fib uses tailcc: %v, want %v", c.name, fibTailcc, want)
		}
	}
}

// TestReturnCallRefTailCalls: return_call_ref to a function of the
// module with the call's signature is a guaranteed tail call (tailcc).
func TestReturnCallRefTailCalls(t *testing.T) {
	m := parse(t, []byte(`(module (type $t (func (param i32) (result i32))) (elem declare func $f)
	  (func $f (type $t) (if (result i32) (local.get 0)
	    (then (return_call_ref $t (i32.sub (local.get 0) (i32.const 1)) (ref.func $f)))
	    (else (i32.const 7)))))`))
	mod, err := GenerateIR(m)
	if err != nil {
		t.Fatal(err)
	}
	ir := mod.String()
	if !strings.Contains(ir, "tail call tailcc i32 @gcs_func_0(") {
		t.Errorf("no tailcc tail call of gcs_func_0 in\n%s", ir)
	}
}
