package loader

import (
	"testing"

	"github.com/gcscope/gcscope/engine/runtime"
	"github.com/gcscope/gcscope/engine/wasm"
)

// publishHostWat hands objects allocated inline to Go: as an import's
// argument, and as an export's result.
const publishHostWat = `(module
  (type $s (struct (field i32)))
  (import "host" "take" (func $take (param structref) (result i32)))
  (func (export "pass") (param i32) (result i32)
    (call $take (struct.new $s (local.get 0))))
  (func (export "make") (param i32) (result (ref $s))
    (struct.new $s (local.get 0))))`

// TestHostSeesInlineObjectsWithoutStop checks that objects native code
// allocated inline reach a host function, and a caller of an export, with
// their start bits set: reading them works and never has to stop the
// world to find the bits (gc.Stats.LateStops).
func TestHostSeesInlineObjectsWithoutStop(t *testing.T) {
	s, _ := newNativeStore(t, nil, nil)
	h := s.Heap.GC
	host := s.NewHostInstance("host")
	mod := parse(t, publishHostWat)
	ft := wasm.CompositeType{Kind: wasm.CompFunc, Params: []wasm.ValType{wasm.StructRef}, Results: []wasm.ValType{wasm.I32}}
	if _, err := host.DefineFunc("take", ft, func(_ *runtime.Instance, a []runtime.Value) ([]runtime.Value, error) {
		return []runtime.Value{runtime.I32(int32(h.GetField(runtime.Ref(a[0].Bits), 0)))}, nil
	}); err != nil {
		t.Fatal(err)
	}
	s.Register("host", host)
	inst, err := s.Instantiate(mod, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k := int32(1); k <= 100; k++ {
		res, err := inst.ExportedFunc("pass").Call([]runtime.Value{runtime.I32(k)})
		if err != nil || int32(res[0].Bits) != k {
			t.Fatalf("pass(%d) = %v, %v", k, res, err)
		}
		res, err = inst.ExportedFunc("make").Call([]runtime.Value{runtime.I32(-k)})
		if err != nil {
			t.Fatalf("make(%d): %v", -k, err)
		}
		if got := int32(h.GetField(runtime.Ref(res[0].Bits), 0)); got != -k {
			t.Fatalf("make(%d) field = %d", -k, got)
		}
	}
	if st := h.Stats(); st.LateStops != 0 {
		t.Errorf("reading inline objects from Go stopped the world %d times, want 0", st.LateStops)
	}
}
