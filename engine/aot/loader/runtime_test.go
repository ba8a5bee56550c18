package loader

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/gcscope/gcscope/engine/interp"
	"github.com/gcscope/gcscope/engine/runtime"
	"github.com/gcscope/gcscope/engine/wasm"
)

func TestInterrupt(t *testing.T) {
	inst, _ := instantiate(t, parse(t, `(module (func (export "spin") (loop $l (br $l))))`))
	env := inst.Store.Env()
	go func() {
		time.Sleep(50 * time.Millisecond)
		env.Interrupt.Store(1)
	}()
	_, err := inst.ExportedFunc("spin").Call(nil)
	var tr *runtime.Trap
	if !errors.As(err, &tr) || tr.Msg != "interrupted" {
		t.Fatalf("got %v, want the trap \"interrupted\"", err)
	}
}

const linkWat = `(module
  (import "host" "twice" (func $twice (param i32) (result i32)))
  (import "host" "g" (global $g (mut i32)))
  (memory 1 3)
  (table 3 funcref)
  (elem (i32.const 0) $div $twice $pair)
  (type $bin (func (param i32 i32) (result i32)))
  (type $un (func (param i32) (result i32)))
  (func $div (param i32 i32) (result i32) (i32.div_u (local.get 0) (local.get 1)))
  (func $pair (param i32) (result i32 i32) (local.get 0) (i32.add (local.get 0) (i32.const 1)))
  (func (export "host") (param i32) (result i32) (call $twice (local.get 0)))
  (func (export "bump") (result i32) (global.set $g (i32.add (global.get $g) (i32.const 1))) (global.get $g))
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
  (func (export "size") (result i32) (memory.size))
  (func (export "ind") (param i32 i32 i32) (result i32)
    (call_indirect (type $bin) (local.get 0) (local.get 1) (local.get 2)))
  (func (export "ind1") (param i32 i32) (result i32)
    (call_indirect (type $un) (local.get 0) (local.get 1)))
  (func (export "multi") (param i32) (result i32)
    (call $pair (local.get 0)) (i32.sub))
)`

func TestHostGlobalsTables(t *testing.T) {
	s, _ := newNativeStore(t, nil, nil)
	host := s.NewHostInstance("host")
	ft := wasm.CompositeType{Kind: wasm.CompFunc, Params: []wasm.ValType{wasm.I32}, Results: []wasm.ValType{wasm.I32}}
	if _, err := host.DefineFunc("twice", ft, func(_ *runtime.Instance, a []runtime.Value) ([]runtime.Value, error) {
		if int32(a[0].Bits) < 0 {
			return nil, &runtime.Trap{Msg: "negative"}
		}
		return []runtime.Value{runtime.I32(2 * int32(a[0].Bits))}, nil
	}); err != nil {
		t.Fatal(err)
	}
	g := host.DefineGlobal("g", wasm.GlobalType{Val: wasm.I32, Mutable: true}, runtime.I32(41))
	s.Register("host", host)
	inst, err := s.Instantiate(parse(t, linkWat), nil)
	if err != nil {
		t.Fatal(err)
	}
	call := func(name string, args ...int32) (int32, error) {
		var vs []runtime.Value
		for _, a := range args {
			vs = append(vs, runtime.I32(a))
		}
		res, err := inst.ExportedFunc(name).Call(vs)
		if err != nil {
			return 0, err
		}
		return int32(res[0].Bits), nil
	}
	check := func(name string, want int32, args ...int32) {
		t.Helper()
		got, err := call(name, args...)
		if err != nil || got != want {
			t.Errorf("%s%v = %d, %v; want %d", name, args, got, err, want)
		}
	}
	checkTrap := func(name, msg string, args ...int32) {
		t.Helper()
		_, err := call(name, args...)
		var tr *runtime.Trap
		if !errors.As(err, &tr) || !strings.Contains(tr.Msg, msg) {
			t.Errorf("%s%v: %v, want trap %q", name, args, err, msg)
		}
	}
	check("host", 42, 21)
	checkTrap("host", "negative", -1)
	// The host trap's backtrace: the host function, then the Wasm caller.
	_, err = inst.ExportedFunc("host").Call([]runtime.Value{runtime.I32(-1)})
	var tr *runtime.Trap
	if !errors.As(err, &tr) || len(tr.Backtrace) != 2 || !tr.Backtrace[0].Host || tr.Backtrace[1].Func != 3 {
		t.Errorf("host trap backtrace: %v", err)
	}
	// A trap in a native callee reached through call_indirect: callee,
	// then caller.
	_, err = inst.ExportedFunc("ind").Call([]runtime.Value{runtime.I32(1), runtime.I32(0), runtime.I32(0)})
	if !errors.As(err, &tr) || len(tr.Backtrace) != 2 || tr.Backtrace[0].Func != 1 || tr.Backtrace[1].Func != 7 {
		t.Errorf("nested trap backtrace: %v", err)
	}
	check("bump", 42)
	if g.Bits != 42 {
		t.Errorf("host sees global %d, want 42", g.Bits)
	}
	check("size", 1)
	check("grow", 1, 2)
	check("size", 3)
	check("grow", -1, 1)
	check("ind", 3, 7, 2, 0)
	check("ind1", 18, 9, 1)
	checkTrap("ind", "integer divide by zero", 1, 0, 0)
	checkTrap("ind", "indirect call type mismatch", 1, 2, 1)
	checkTrap("ind", "undefined element", 1, 2, 3)
	check("multi", -1, 5)
}

// refusedLocals declares more locals than the compiler takes in one
// function (compile refuses "more than 50000 locals"): what makes a
// module fall back to the interpreter in the tests.
var refusedLocals = strings.Repeat(" i32", 50001)

func TestUnsupportedAndFallback(t *testing.T) {
	m := parse(t, `(module
	  (func (export "f") (result i32) (local`+refusedLocals+`) (i32.add (local.get 7) (i32.const 7))))`)
	e := New(nil)
	defer e.Close()
	s, _ := runtime.NewStore(runtime.Config{Engine: e})
	defer s.Close()
	_, err := s.Instantiate(m, nil)
	var un *runtime.Unsupported
	if !errors.As(err, &un) {
		t.Fatalf("module with too many locals without fallback: %v, want runtime.Unsupported", err)
	}
	e2 := New(interp.New())
	defer e2.Close()
	s2, _ := runtime.NewStore(runtime.Config{Engine: e2})
	defer s2.Close()
	inst, err := s2.Instantiate(m, nil)
	if err != nil {
		t.Fatal(err)
	}
	res, err := inst.ExportedFunc("f").Call(nil)
	if err != nil || int32(res[0].Bits) != 7 {
		t.Fatalf("fallback: %v %v", res, err)
	}
}
