package loader

import (
	"testing"

	"github.com/gcscope/gcscope/engine/runtime"
	"github.com/gcscope/gcscope/engine/wasm"
)

// v128CallRefHostWat passes v128 values to a host function through
// call_ref on a ref.func of the import (a zero local, a constant), with
// return_call_ref and directly, as binaryen's fuzzer does with its
// log-v128 import, and gets a v128 back from one through call_ref. The
// call_ref helper takes the funcref in the slot after the arguments: it
// once counted a v128 as one slot and overwrote the argument's high half.
const v128CallRefHostWat = `(module
  (type $lv (func (param v128)))
  (type $sw (func (param v128) (result v128)))
  (import "host" "log" (func $log (type $lv)))
  (import "host" "swap" (func $swap (type $sw)))
  (elem declare func $log $swap)
  (func (export "tail")
    (return_call_ref $lv (v128.const i32x4 1 2 3 4) (ref.func $log)))
  (func (export "result")
    (call $log (call_ref $sw (v128.const i32x4 1 2 3 4) (ref.func $swap))))
  (func (export "zero")
    (local $v v128)
    (call_ref $lv (local.get $v) (ref.func $log)))
  (func (export "const")
    (call_ref $lv (v128.const i32x4 1 2 3 4) (ref.func $log)))
  (func (export "direct")
    (local $v v128)
    (call $log (local.get $v))))`

func TestV128CallRefToHost(t *testing.T) {
	for _, level := range []int{0, 2} {
		e := New(nil)
		e.Options.OptLevel = level
		t.Cleanup(e.Close)
		s, err := runtime.NewStore(runtime.Config{Engine: e})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		var got []runtime.Value
		host := s.NewHostInstance("host")
		ft := wasm.CompositeType{Kind: wasm.CompFunc, Params: []wasm.ValType{wasm.V128}}
		if _, err := host.DefineFunc("log", ft, func(_ *runtime.Instance, a []runtime.Value) ([]runtime.Value, error) {
			got = append(got, a[0])
			return nil, nil
		}); err != nil {
			t.Fatal(err)
		}
		swap := wasm.CompositeType{Kind: wasm.CompFunc, Params: []wasm.ValType{wasm.V128}, Results: []wasm.ValType{wasm.V128}}
		if _, err := host.DefineFunc("swap", swap, func(_ *runtime.Instance, a []runtime.Value) ([]runtime.Value, error) {
			return []runtime.Value{{Type: wasm.V128, Bits: a[0].Hi, Hi: a[0].Bits}}, nil
		}); err != nil {
			t.Fatal(err)
		}
		s.Register("host", host)
		inst, err := s.Instantiate(parse(t, v128CallRefHostWat), nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			name   string
			lo, hi uint64
		}{{"zero", 0, 0}, {"const", 2<<32 | 1, 4<<32 | 3}, {"direct", 0, 0},
			{"tail", 2<<32 | 1, 4<<32 | 3}, {"result", 4<<32 | 3, 2<<32 | 1}} {
			got = nil
			if _, err := inst.ExportedFunc(c.name).Call(nil); err != nil {
				t.Fatalf("-O%d %s: %v", level, c.name, err)
			}
			if len(got) != 1 || got[0].Bits != c.lo || got[0].Hi != c.hi {
				t.Errorf("-O%d %s: host got %+v, want v128 %#x %#x", level, c.name, got, c.lo, c.hi)
			}
		}
	}
}
