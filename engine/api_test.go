package engine

import (
	"errors"
	"strings"
	"testing"

	"github.com/gcscope/gcscope/engine/runtime"
	"github.com/gcscope/gcscope/engine/wasm"
)

const objectsWAT = `(module
  (type $node (struct (field $val (mut i32)) (field $next (mut (ref null $node)))))
  (type $bytes (array (mut i8)))
  (type $frozen (struct (field i64) (field i16)))
  (type $refs (array (mut (ref null $node))))
  (type $ft (func))
  (func (export "sum") (param $n (ref null $node)) (result i32) (local $s i32)
    (block $done
      (loop $next
        (br_if $done (ref.is_null (local.get $n)))
        (local.set $s (i32.add (local.get $s) (struct.get $node $val (local.get $n))))
        (local.set $n (struct.get $node $next (local.get $n)))
        (br $next)))
    (local.get $s))
  (func (export "garbage") (param $k i32)
    (loop $l
      (drop (array.new_default $bytes (i32.const 100)))
      (br_if $l (local.tee $k (i32.sub (local.get $k) (i32.const 1)))))))`

func newTestRuntime(t *testing.T, cfg Config) (*Runtime, *Instance) {
	t.Helper()
	rt, err := NewRuntime(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { rt.Close() })
	mod, err := Compile([]byte(objectsWAT))
	if err != nil {
		t.Fatal(err)
	}
	inst, err := rt.Instantiate(mod, "objects")
	if err != nil {
		t.Fatal(err)
	}
	return rt, inst
}

func TestStructsBuiltByTheHostSurviveCollections(t *testing.T) {
	rt, inst := newTestRuntime(t, Config{GCStress: true})
	// A list 1 → 2 → ... → 50 built from the host; only the head is pinned,
	// and every allocation collects, so each cell must be reachable.
	head := NullRef(wasm.HeapNone)
	var pinned *Handle
	for i := int32(50); i >= 1; i-- {
		n, err := inst.NewStruct(0, I32(i), head)
		if err != nil {
			t.Fatal(err)
		}
		if pinned != nil {
			if err := pinned.Release(); err != nil {
				t.Fatal(err)
			}
		}
		if pinned, err = rt.Pin(n); err != nil {
			t.Fatal(err)
		}
		head = n
	}
	if _, err := inst.Function("garbage").Call(I32(20)); err != nil {
		t.Fatal(err)
	}
	res, err := inst.Function("sum").Call(head)
	if err != nil {
		t.Fatal(err)
	}
	if got := int32(res[0].Bits); got != 50*51/2 {
		t.Fatalf("sum of the host-built list = %d, want %d", got, 50*51/2)
	}
	v, err := rt.StructField(head, 0)
	if err != nil || int32(v.Bits) != 1 {
		t.Fatalf("head.val = %v, %v", v, err)
	}
	if err := pinned.Release(); err != nil {
		t.Fatal(err)
	}
	if err := pinned.Release(); err == nil {
		t.Fatal("a second Release was accepted")
	}
}

func TestPackedFieldsAndArrays(t *testing.T) {
	rt, inst := newTestRuntime(t, Config{})
	frozen, err := inst.NewStruct(2, I64(-5), I32(-1))
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := rt.StructField(frozen, 1); int32(v.Bits) != 0xFFFF {
		t.Errorf("unsigned i16 read %#x, want 0xffff", uint32(v.Bits))
	}
	if v, _ := rt.StructFieldSigned(frozen, 1); int32(v.Bits) != -1 {
		t.Errorf("signed i16 read %d, want -1", int32(v.Bits))
	}
	if err := rt.SetStructField(frozen, 0, I64(1)); err == nil || !strings.Contains(err.Error(), "immutable") {
		t.Errorf("writing an immutable field: %v", err)
	}
	arr, err := inst.NewArray(1, 4, I32(0x1FF))
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := rt.ArrayLen(arr); n != 4 {
		t.Errorf("length %d, want 4", n)
	}
	if err := rt.SetArrayElem(arr, 3, I32(7)); err != nil {
		t.Fatal(err)
	}
	if v, _ := rt.ArrayElem(arr, 0); v.Bits != 0xFF {
		t.Errorf("element 0 = %#x, want 0xff (truncated to i8)", v.Bits)
	}
	if v, _ := rt.ArrayElem(arr, 3); v.Bits != 7 {
		t.Errorf("element 3 = %d, want 7", v.Bits)
	}
	if _, err := rt.ArrayElem(arr, 4); err == nil {
		t.Error("reading past the end was accepted")
	}
}

func TestExternRefsAndI31RoundTrip(t *testing.T) {
	rt, _ := newTestRuntime(t, Config{})
	type token struct{ name string }
	x, err := rt.ExternRef(&token{"mine"})
	if err != nil {
		t.Fatal(err)
	}
	got, err := rt.HostValue(x)
	if err != nil || got.(*token).name != "mine" {
		t.Fatalf("HostValue = %v, %v", got, err)
	}
	if v, err := rt.I31Value(I31(-7)); err != nil || v != -7 {
		t.Fatalf("I31Value = %d, %v", v, err)
	}
	if _, err := rt.HostValue(I31(3)); err == nil {
		t.Error("HostValue of an i31 was accepted")
	}
}

// TestHostMisuseGivesErrors feeds the API what a careless host might and
// expects errors, never a panic.
func TestHostMisuseGivesErrors(t *testing.T) {
	rt, inst := newTestRuntime(t, Config{})
	node, err := inst.NewStruct(0, I32(1), NullRef(wasm.HeapNone))
	if err != nil {
		t.Fatal(err)
	}
	cases := map[string]func() error{
		"type index out of range":     func() error { _, err := inst.NewStruct(99); return err },
		"struct from an array type":   func() error { _, err := inst.NewStruct(1); return err },
		"struct from a func type":     func() error { _, err := inst.NewStruct(4); return err },
		"wrong field count":           func() error { _, err := inst.NewStruct(0, I32(1)); return err },
		"wrong field type":            func() error { _, err := inst.NewStruct(0, I64(1), NullRef(wasm.HeapNone)); return err },
		"number for a reference":      func() error { _, err := inst.NewStruct(0, I32(1), I32(2)); return err },
		"i31 into a $node field":      func() error { _, err := inst.NewStruct(0, I32(1), I31(2)); return err },
		"array into a $node field":    func() error { a, _ := inst.NewArray(1, 1, Value{}); _, err := inst.NewStruct(0, I32(1), a); return err },
		"non-defaultable array":       func() error { _, err := inst.NewArray(3, 1, I32(0)); return err },
		"field of a number":           func() error { _, err := rt.StructField(I32(3), 0); return err },
		"field of null":               func() error { _, err := rt.StructField(NullRef(wasm.HeapAny), 0); return err },
		"field out of range":          func() error { _, err := rt.StructField(node, 7); return err },
		"negative field":              func() error { _, err := rt.StructField(node, -1); return err },
		"array op on a struct":        func() error { _, err := rt.ArrayLen(node); return err },
		"dangling reference":          func() error { _, err := rt.StructField(Value{Type: node.Type, Bits: 0x7fff0}, 0); return err },
		"call with too few arguments": func() error { _, err := inst.Function("sum").Call(); return err },
		"call with a wrong type":      func() error { _, err := inst.Function("sum").Call(I32(1)); return err },
		"nil module":                  func() error { _, err := rt.Instantiate(nil, ""); return err },
		"garbage bytes":               func() error { _, err := Compile([]byte("\x00asm\x01\x00\x00\x00\x01\xff")); return err },
		"garbage text":                func() error { _, err := Compile([]byte("(module (func (i32.add)))")); return err },
		"nil host function": func() error {
			_, err := rt.NewHostModule("h").Func("f", nil, nil, nil).Register()
			return err
		},
		"host function lying about its results": func() error {
			if _, err := rt.NewHostModule("liar").Func("f", nil, []wasm.ValType{wasm.I32}, func([]Value) ([]Value, error) {
				return nil, nil
			}).Register(); err != nil {
				return nil // registration must succeed; the call must fail
			}
			mod, err := Compile([]byte(`(module (import "liar" "f" (func (result i32))) (func (export "g") (result i32) (call 0)))`))
			if err != nil {
				return nil
			}
			in, err := rt.Instantiate(mod, "")
			if err != nil {
				return nil
			}
			_, err = in.Function("g").Call()
			var trap *runtime.Trap
			if !errors.As(err, &trap) {
				return nil
			}
			return err
		},
	}
	for name, f := range cases {
		t.Run(name, func(t *testing.T) {
			defer func() {
				if p := recover(); p != nil {
					t.Fatalf("panic: %v", p)
				}
			}()
			if err := f(); err == nil {
				t.Fatal("no error")
			}
		})
	}
}

func TestClosedRuntime(t *testing.T) {
	rt, inst := newTestRuntime(t, Config{})
	f := inst.Function("sum")
	if err := rt.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Call(NullRef(wasm.HeapNone)); !errors.Is(err, ErrClosed) {
		t.Errorf("Call after Close: %v", err)
	}
	if _, err := inst.NewStruct(0); !errors.Is(err, ErrClosed) {
		t.Errorf("NewStruct after Close: %v", err)
	}
	if _, err := rt.ExternRef(1); !errors.Is(err, ErrClosed) {
		t.Errorf("ExternRef after Close: %v", err)
	}
}

// TestFieldValuesStayAliveDuringAllocation builds a struct whose field is
// an object nothing else holds: the allocation collects (stress mode), so
// the field's object survives only if NewStruct keeps it alive meanwhile.
func TestFieldValuesStayAliveDuringAllocation(t *testing.T) {
	rt, inst := newTestRuntime(t, Config{GCStress: true})
	inner, err := inst.NewStruct(0, I32(40), NullRef(wasm.HeapNone))
	if err != nil {
		t.Fatal(err)
	}
	outer, err := inst.NewStruct(0, I32(2), inner)
	if err != nil {
		t.Fatal(err)
	}
	next, err := rt.StructField(outer, 1)
	if err != nil {
		t.Fatal(err)
	}
	if v, err := rt.StructField(next, 0); err != nil || int32(v.Bits) != 40 {
		t.Fatalf("outer.next.val = %v, %v; want 40 (the inner struct was collected)", v, err)
	}
}

// TestCallChecksTheObjectsType passes objects of the wrong concrete type:
// Wasm code does not cast its typed parameters, so Call must refuse them.
func TestCallChecksTheObjectsType(t *testing.T) {
	rt, _ := NewRuntime(Config{})
	defer rt.Close()
	mod, err := Compile([]byte(`(module (type $s (struct (field i32))) (type $t (struct (field i64) (field i64)))
	  (func (export "get") (param (ref $s)) (result i32) (struct.get $s 0 (local.get 0)))
	  (func (export "mk") (result (ref $t)) (struct.new $t (i64.const 7) (i64.const 8))))`))
	if err != nil {
		t.Fatal(err)
	}
	inst, err := rt.Instantiate(mod, "")
	if err != nil {
		t.Fatal(err)
	}
	wrong, err := inst.Function("mk").Call()
	if err != nil {
		t.Fatal(err)
	}
	for name, arg := range map[string]Value{"i31": I31(12345), "struct $t": wrong[0]} {
		if res, err := inst.Function("get").Call(arg); err == nil {
			t.Errorf("get(%s) = %v, want a type mismatch error", name, res)
		}
	}
	right, err := inst.NewStruct(0, I32(41))
	if err != nil {
		t.Fatal(err)
	}
	if res, err := inst.Function("get").Call(right); err != nil || int32(res[0].Bits) != 41 {
		t.Errorf("get(struct $s) = %v, %v", res, err)
	}
}
