package loader

import (
	"errors"
	"strings"
	"testing"

	"github.com/gcscope/gcscope/engine/runtime"
	"github.com/gcscope/gcscope/engine/wasm"
)

// TestNullableOperandsTrap: the compiler drops null checks only on
// operands validation proved non-nullable (compile nonnull.go); each
// instruction on a nullable operand holding null must still trap with
// the spec's message, also after a non-null call of the same function.
func TestNullableOperandsTrap(t *testing.T) {
	inst, _ := instantiate(t, parse(t, `(module
  (type $p (struct (field (mut i32))))
  (type $a (array (mut i32)))
  (type $f (func (result i32)))
  (func (export "sget") (param (ref null $p)) (result i32) (struct.get $p 0 (local.get 0)))
  (func (export "sset") (param (ref null $p)) (result i32) (struct.set $p 0 (local.get 0) (i32.const 1)) (i32.const 0))
  (func (export "aget") (param (ref null $a)) (result i32) (array.get $a (local.get 0) (i32.const 0)))
  (func (export "aset") (param (ref null $a)) (result i32) (array.set $a (local.get 0) (i32.const 0) (i32.const 1)) (i32.const 0))
  (func (export "alen") (param (ref null $a)) (result i32) (array.len (local.get 0)))
  (func (export "cref") (param (ref null $f)) (result i32) (call_ref $f (local.get 0)))
  (func (export "tref") (param (ref null $f)) (result i32) (return_call_ref $f (local.get 0)))
  (func (export "i31") (param (ref null i31)) (result i32) (i31.get_s (local.get 0)))
  (func (export "asnn") (param (ref null $p)) (result i32) (struct.get $p 0 (ref.as_non_null (local.get 0))))
  ;; A nullable local holding null, set from a non-null value's field path.
  (func (export "local") (param i32) (result i32) (local $l (ref null $p))
    (if (local.get 0) (then (local.set $l (struct.new $p (i32.const 5)))))
    (struct.get $p 0 (local.get $l))))`))
	cases := []struct {
		fn   string
		heap wasm.HeapType
		msg  string
	}{
		{"sget", wasm.HeapNone, "null structure reference"},
		{"sset", wasm.HeapNone, "null structure reference"},
		{"aget", wasm.HeapNone, "null array reference"},
		{"aset", wasm.HeapNone, "null array reference"},
		{"alen", wasm.HeapNone, "null array reference"},
		{"cref", wasm.HeapNoFunc, "null function reference"},
		{"tref", wasm.HeapNoFunc, "null function reference"},
		{"i31", wasm.HeapNone, "null i31 reference"},
		{"asnn", wasm.HeapNone, "null reference"},
	}
	for _, c := range cases {
		_, err := inst.ExportedFunc(c.fn).Call([]runtime.Value{runtime.Null(c.heap)})
		var tr *runtime.Trap
		if !errors.As(err, &tr) || tr.Msg != c.msg {
			t.Errorf("%s(null): %v, want trap %q", c.fn, err, c.msg)
		}
	}
	if res, err := inst.ExportedFunc("local").Call([]runtime.Value{runtime.I32(1)}); err != nil || res[0].Bits != 5 {
		t.Fatalf("local(1) = %v, %v; want 5", res, err)
	}
	var tr *runtime.Trap
	if _, err := inst.ExportedFunc("local").Call([]runtime.Value{runtime.I32(0)}); !errors.As(err, &tr) || tr.Msg != "null structure reference" {
		t.Errorf("local(0): %v, want trap \"null structure reference\"", err)
	}
}

// TestHostNullForNonNullableResult: compiled code trusts a (ref ...)
// result to be non-null (no check on array.len of it), so a host
// function returning null there fails the call instead.
func TestHostNullForNonNullableResult(t *testing.T) {
	s, _ := newNativeStore(t, nil, nil)
	host := s.NewHostInstance("host")
	ft := wasm.CompositeType{Kind: wasm.CompFunc, Results: []wasm.ValType{wasm.RefType(false, wasm.HeapArray)}}
	if _, err := host.DefineFunc("arr", ft, func(*runtime.Instance, []runtime.Value) ([]runtime.Value, error) {
		return []runtime.Value{runtime.Null(wasm.HeapNone)}, nil
	}); err != nil {
		t.Fatal(err)
	}
	s.Register("host", host)
	inst, err := s.Instantiate(parse(t, `(module
  (import "host" "arr" (func $arr (result (ref array))))
  (func (export "len") (result i32) (array.len (call $arr))))`), nil)
	if err != nil {
		t.Fatal(err)
	}
	_, err = inst.ExportedFunc("len").Call(nil)
	var tr *runtime.Trap
	if !errors.As(err, &tr) || !strings.Contains(tr.Msg, "null") {
		t.Fatalf("len() with a host returning null: %v, want a trap naming the null result", err)
	}
}

// TestCastOperandKinds: casts skip the null and i31 tests only where the
// operand's static type rules them out (compile nonnull.go); nulls, i31s
// and objects must still be told apart where it does not.
func TestCastOperandKinds(t *testing.T) {
	inst, _ := instantiate(t, parse(t, `(module
  (type $shape (sub (struct (field i32))))
  (type $rect (sub final $shape (struct (field i32) (field i32))))
  (func $mk (param i32) (result (ref $shape))
    (if (result (ref $shape)) (local.get 0)
      (then (struct.new $rect (i32.const 1) (i32.const 2)))
      (else (struct.new $shape (i32.const 1)))))
  (func (export "test_nn") (param i32) (result i32) (ref.test (ref $rect) (call $mk (local.get 0))))
  (func (export "br_nn") (param i32) (result i32)
    (block $r (result (ref $rect))
      (br_on_cast $r (ref $shape) (ref $rect) (call $mk (local.get 0)))
      (drop) (return (i32.const 0)))
    (drop) (i32.const 1))
  (func (export "cast_nn") (param i32) (result i32)
    (struct.get $rect 1 (ref.cast (ref $rect) (call $mk (local.get 0)))))
  (func $pick (param i32) (result (ref null $shape))
    (if (result (ref null $shape)) (i32.eqz (local.get 0)) (then (ref.null $shape)) (else (call $mk (i32.sub (local.get 0) (i32.const 1))))))
  ;; 0: null, 1: a shape, 2: a rect
  (func (export "test_null") (param i32) (result i32) (ref.test (ref null $rect) (call $pick (local.get 0))))
  (func (export "test_nonnull") (param i32) (result i32) (ref.test (ref $rect) (call $pick (local.get 0))))
  (func (export "cast_null") (param i32) (result i32) (ref.cast (ref $rect) (call $pick (local.get 0))) (drop) (i32.const 1))
  ;; An i31 that went through the extern hierarchy and back.
  (func $ext (param i32) (result externref)
    (if (result externref) (local.get 0)
      (then (extern.convert_any (ref.i31 (i32.const 9))))
      (else (extern.convert_any (struct.new $shape (i32.const 1))))))
  (func (export "ext_i31") (param i32) (result i32) (ref.test (ref i31) (any.convert_extern (call $ext (local.get 0)))))
  (func (export "ext_struct") (param i32) (result i32) (ref.test (ref struct) (any.convert_extern (call $ext (local.get 0))))))`))
	call := func(fn string, arg int32) (int32, error) {
		res, err := inst.ExportedFunc(fn).Call([]runtime.Value{runtime.I32(arg)})
		if err != nil {
			return 0, err
		}
		return int32(res[0].Bits), nil
	}
	cases := []struct {
		fn       string
		arg, res int32
	}{
		{"test_nn", 1, 1}, {"test_nn", 0, 0}, {"br_nn", 1, 1}, {"br_nn", 0, 0}, {"cast_nn", 1, 2},
		{"test_null", 0, 1}, {"test_null", 1, 0}, {"test_null", 2, 1},
		{"test_nonnull", 0, 0}, {"test_nonnull", 1, 0}, {"test_nonnull", 2, 1},
		{"cast_null", 2, 1},
		{"ext_i31", 1, 1}, {"ext_i31", 0, 0}, {"ext_struct", 1, 0}, {"ext_struct", 0, 1},
	}
	for _, c := range cases {
		if got, err := call(c.fn, c.arg); err != nil || got != c.res {
			t.Errorf("%s(%d) = %d, %v; want %d", c.fn, c.arg, got, err, c.res)
		}
	}
	for _, c := range []struct {
		fn  string
		arg int32
	}{{"cast_nn", 0}, {"cast_null", 0}, {"cast_null", 1}} {
		var tr *runtime.Trap
		if _, err := call(c.fn, c.arg); !errors.As(err, &tr) || tr.Msg != "cast failure" {
			t.Errorf("%s(%d): %v, want trap \"cast failure\"", c.fn, c.arg, err)
		}
	}
}
