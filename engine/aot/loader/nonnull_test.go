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
