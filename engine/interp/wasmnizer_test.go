package interp

import (
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/gcscope/gcscope/engine/binary"
	"github.com/gcscope/gcscope/engine/runtime"
	"github.com/gcscope/gcscope/engine/wasm"
)

// TestWasmnizerSimple runs the TypeScript-compiled program with the
// results its README gives (V8's).
func TestWasmnizerSimple(t *testing.T) {
	if testing.Short() {
		t.Skip("programs in -short mode")
	}
	s := newStore(t, runtime.Config{GCStress: true})
	b, err := os.ReadFile(filepath.Join(programs, "wasmnizer_ts", "simple_O3.wasm"))
	if err != nil {
		t.Skip(err)
	}
	m, err := binary.Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	// The host library's functions answer with zero values (a null
	// context), which these functions only pass along.
	hosts := map[string]*runtime.Instance{}
	for _, imp := range m.Imports {
		if imp.Kind != wasm.ExternFunc {
			continue
		}
		h := hosts[imp.Module]
		if h == nil {
			h = s.NewHostInstance(imp.Module)
			hosts[imp.Module] = h
			s.Register(imp.Module, h)
		}
		ft := m.Types[imp.TypeIndex].Comp
		if _, err := h.DefineFunc(imp.Name, ft, func(_ *runtime.Instance, _ []runtime.Value) ([]runtime.Value, error) {
			res := make([]runtime.Value, len(ft.Results))
			for i, r := range ft.Results {
				res[i] = runtime.Value{Type: r}
			}
			return res, nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	inst, err := s.Instantiate(m, nil)
	if err != nil {
		t.Fatal(err)
	}
	if f := inst.ExportedFunc("_entry"); f != nil {
		if _, err := f.Call(make([]runtime.Value, len(f.Type.Comp.Params))); err != nil {
			t.Logf("_entry: %v", err)
		}
	}
	for _, c := range []struct {
		name string
		arg  float64
		want float64
	}{{"fibExport", 20, 6765}, {"vecSum", 100, 24512500}, {"virt", 10, 300}, {"arr", 10, 135}} {
		f := inst.ExportedFunc(c.name)
		if f == nil {
			t.Errorf("no export %s (have %v)", c.name, inst.ExportNames())
			continue
		}
		res, err := f.Call([]runtime.Value{runtime.F64(math.Float64bits(c.arg))})
		if err != nil {
			t.Errorf("%s(%v): %v", c.name, c.arg, err)
			continue
		}
		if got := math.Float64frombits(res[0].Bits); got != c.want {
			t.Errorf("%s(%v) = %v, want %v", c.name, c.arg, got, c.want)
		}
	}
}
