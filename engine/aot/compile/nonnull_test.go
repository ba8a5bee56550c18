package compile

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
)

// nullCheckModule has, for each instruction that checks a reference for
// null, one function whose operand is non-nullable (function 2k) and one
// whose operand is nullable (2k+1).
const nullCheckModule = `(module
  (type $p (struct (field (mut i32))))
  (type $a (array (mut i32)))
  (type $f (func (result i32)))
  (func $k (type $f) (i32.const 7))
  (elem declare func $k)
  (func (param (ref $p)) (result i32) (struct.get $p 0 (local.get 0)))
  (func (param (ref null $p)) (result i32) (struct.get $p 0 (local.get 0)))
  (func (param (ref $p)) (struct.set $p 0 (local.get 0) (i32.const 1)))
  (func (param (ref null $p)) (struct.set $p 0 (local.get 0) (i32.const 1)))
  (func (param (ref $a)) (result i32) (array.get $a (local.get 0) (i32.const 0)))
  (func (param (ref null $a)) (result i32) (array.get $a (local.get 0) (i32.const 0)))
  (func (param (ref $a)) (array.set $a (local.get 0) (i32.const 0) (i32.const 1)))
  (func (param (ref null $a)) (array.set $a (local.get 0) (i32.const 0) (i32.const 1)))
  (func (param (ref $a)) (result i32) (array.len (local.get 0)))
  (func (param (ref null $a)) (result i32) (array.len (local.get 0)))
  (func (param (ref $f)) (result i32) (call_ref $f (local.get 0)))
  (func (param (ref null $f)) (result i32) (call_ref $f (local.get 0)))
  (func (param (ref i31)) (result i32) (i31.get_s (local.get 0)))
  (func (param (ref null i31)) (result i32) (i31.get_s (local.get 0)))
  (func (param (ref $f)) (result i32) (return_call_ref $f (local.get 0)))
  (func (param (ref null $f)) (result i32) (return_call_ref $f (local.get 0)))
  ;; A local declared nullable holds a non-null value: its type still
  ;; says nullable, so the check stays.
  (func (result i32) (local $l (ref null $p))
    (local.set $l (struct.new $p (i32.const 3)))
    (struct.get $p 0 (local.get $l)))
  ;; ref.as_non_null makes the operand of the next access non-null.
  (func (param (ref null $p)) (result i32)
    (struct.get $p 0 (ref.as_non_null (local.get 0)))))`

// TestNullChecksFollowTypes: an instruction whose operand validation
// proved non-nullable has no null test in the IR; one on a nullable
// operand keeps it (engine/aot/loader TestNullableOperandsTrap runs them).
func TestNullChecksFollowTypes(t *testing.T) {
	mod, err := GenerateIR(parse(t, []byte(nullCheckModule)))
	if err != nil {
		t.Fatal(err)
	}
	bodies := map[string]string{}
	for _, fn := range mod.Funcs {
		bodies[fn.Name()] = fn.LLString()
	}
	nullTraps := func(body string) (n int) {
		for _, code := range []int{TrapNullStruct, TrapNullArray, TrapNullRef, TrapNullI31, TrapNullFuncRef} {
			n += strings.Count(body, fmt.Sprintf("(i64* %%env, i64 %d, i64 ", code))
		}
		return n
	}
	names := []string{"struct.get", "struct.set", "array.get", "array.set", "array.len", "call_ref", "i31.get_s", "return_call_ref"}
	for k, name := range names {
		nonNull, nullable := bodies[fmt.Sprintf("gcs_func_%d", 1+2*k)], bodies[fmt.Sprintf("gcs_func_%d", 2+2*k)]
		if nonNull == "" || nullable == "" {
			t.Fatalf("%s: functions not found", name)
		}
		if n := nullTraps(nonNull); n != 0 {
			t.Errorf("%s on a non-nullable operand: %d null traps, want none:\n%s", name, n, nonNull)
		}
		if n := nullTraps(nullable); n != 1 {
			t.Errorf("%s on a nullable operand: %d null traps, want 1:\n%s", name, n, nullable)
		}
	}
	last := 1 + 2*len(names)
	if n := nullTraps(bodies[fmt.Sprintf("gcs_func_%d", last)]); n != 1 {
		t.Errorf("struct.get of a nullable local: %d null traps, want 1", n)
	}
	// ref.as_non_null's own check stays; the struct.get after it has none.
	if n := nullTraps(bodies[fmt.Sprintf("gcs_func_%d", last+1)]); n != 1 {
		t.Errorf("ref.as_non_null then struct.get: %d null traps, want 1", n)
	}
}

// TestCastsFollowOperandTypes: a cast of an operand that validation
// proved non-null and of a struct type tests neither null nor the i31
// bit; the same cast of an anyref operand tests both (loader
// TestCastOperandKinds runs them on nulls, i31s and objects).
func TestCastsFollowOperandTypes(t *testing.T) {
	mod, err := GenerateIR(parse(t, []byte(`(module
  (type $shape (sub (struct (field i32))))
  (type $rect (sub final $shape (struct (field i32) (field i32))))
  (func (param (ref $shape)) (result i32) (ref.test (ref $rect) (local.get 0)))
  (func (param anyref) (result i32) (ref.test (ref $rect) (local.get 0))))`)))
	if err != nil {
		t.Fatal(err)
	}
	bodies := map[string]string{}
	for _, fn := range mod.Funcs {
		bodies[fn.Name()] = fn.LLString()
	}
	nullTest := regexp.MustCompile(`icmp eq i32 %\d+, 0`)
	i31Test := regexp.MustCompile(`and i32 %\d+, 1\b`)
	typed, anyref := bodies["gcs_func_0"], bodies["gcs_func_1"]
	if nullTest.MatchString(typed) || i31Test.MatchString(typed) {
		t.Errorf("ref.test of a (ref $shape) tests null or the i31 bit:\n%s", typed)
	}
	if !nullTest.MatchString(anyref) || !i31Test.MatchString(anyref) {
		t.Errorf("ref.test of an anyref does not test both null and the i31 bit:\n%s", anyref)
	}
}
