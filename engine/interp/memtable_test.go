package interp

import (
	"strings"
	"testing"

	"github.com/gcscope/gcscope/engine/runtime"
)

func TestMemoryAndTables(t *testing.T) {
	s := newStore(t, runtime.Config{})
	inst := instantiate(t, s, `(module
	  (memory 1 2)
	  (memory $m64 i64 1)
	  (data (i32.const 8) "\01\02\03\04")
	  (type $v (func (result i32)))
	  (type $w (func (param i32) (result i32)))
	  (table 4 funcref)
	  (elem (i32.const 0) $one $id)
	  (func $one (type $v) (i32.const 1))
	  (func $id (type $w) (local.get 0))
	  (func (export "load") (param i32) (result i32) (i32.load (local.get 0)))
	  (func (export "load64") (param i64) (result i64) (i64.load8_u $m64 (local.get 0)))
	  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
	  (func (export "fill") (param i32 i32) (memory.fill (local.get 0) (i32.const 7) (local.get 1)))
	  (func (export "indirect") (param i32) (result i32) (call_indirect (type $v) (local.get 0)))
	  (func (export "atomic") (param i32) (result i32) (i32.atomic.rmw.add (local.get 0) (i32.const 5))))`)
	if got := mustCall(t, inst, "load", runtime.I32(8)); got != 0x04030201 {
		t.Errorf("load = %#x", got)
	}
	wantTrap(t, inst, "load", "out of bounds memory access", runtime.I32(65533))
	wantTrap(t, inst, "load64", "out of bounds memory access", runtime.I64(-1))
	if got := mustCall(t, inst, "grow", runtime.I32(1)); got != 1 {
		t.Errorf("grow = %d", got)
	}
	if got := mustCall(t, inst, "load", runtime.I32(65536)); got != 0 {
		t.Errorf("load after grow = %d", got)
	}
	if got := int32(mustCall(t, inst, "grow", runtime.I32(1))); got != -1 {
		t.Errorf("grow past max = %d", got)
	}
	wantTrap(t, inst, "fill", "out of bounds memory access", runtime.I32(131000), runtime.I32(1000))
	if got := mustCall(t, inst, "indirect", runtime.I32(0)); got != 1 {
		t.Errorf("indirect = %d", got)
	}
	wantTrap(t, inst, "indirect", "indirect call type mismatch", runtime.I32(1))
	tr := wantTrapPrefix(t, inst, "indirect", "uninitialized element", runtime.I32(2))
	_ = tr
	wantTrapPrefix(t, inst, "indirect", "undefined element", runtime.I32(4))
	if got := mustCall(t, inst, "atomic", runtime.I32(8)); got != 0x04030201 {
		t.Errorf("atomic old = %#x", got)
	}
	wantTrap(t, inst, "atomic", "unaligned atomic", runtime.I32(9))
}

func wantTrapPrefix(t *testing.T, inst *runtime.Instance, name, msg string, args ...runtime.Value) *runtime.Trap {
	t.Helper()
	_, err := call(t, inst, name, args...)
	tr, ok := err.(*runtime.Trap)
	if !ok || !strings.HasPrefix(tr.Msg, msg) {
		t.Fatalf("%s: got %v, want trap %q", name, err, msg)
	}
	return tr
}

func TestInstantiationErrors(t *testing.T) {
	s := newStore(t, runtime.Config{})
	spec, err := s.NewSpectest()
	if err != nil {
		t.Fatal(err)
	}
	s.Register("spectest", spec)
	cases := []struct{ src, want string }{
		{`(module (import "nowhere" "f" (func)))`, "unknown import"},
		{`(module (import "spectest" "print_i32" (func (param i64))))`, "incompatible import type"},
		{`(module (import "spectest" "memory" (memory 3)))`, "incompatible import type"},
		{`(module (import "spectest" "global_i32" (global (mut i32))))`, "incompatible import type"},
		{`(module (memory 1) (data (i32.const 65535) "ab"))`, "out of bounds memory access"},
		{`(module (table 1 funcref) (elem (i32.const 1) $f) (func $f))`, "out of bounds table access"},
		{`(module (func $s unreachable) (start $s))`, "unreachable"},
	}
	for _, c := range cases {
		_, err := s.Instantiate(parseWAT(t, c.src), nil)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want %q", c.src, err, c.want)
		}
	}
}
