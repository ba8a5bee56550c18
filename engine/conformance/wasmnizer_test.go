package conformance

import (
	"fmt"
	"math"
	"path/filepath"
	"testing"

	"github.com/gcscope/gcscope/engine/runtime"
	"github.com/gcscope/gcscope/engine/wasm"
)

// wasmnizerKnown lists Wasmnizer-ts calls the engine does not pass yet,
// with the reason.
var wasmnizerKnown = map[string]string{}

// TestWasmnizerSimple runs simple_O3.wasm, compiled by Wasmnizer-ts from
// simple.ts beside it: after _entry (which sets up the classes' vtables),
// each export returns what the TypeScript source computes, as the
// programs README lists (fib(20), the sum of 100 Vec additions, a
// virtual call over Vec and Vec3, an array sum), with the default store
// and under GC stress, interpreted and as native code.
func TestWasmnizerSimple(t *testing.T) {
	m, err := loadWasm(filepath.Join(programs(t, "wasmnizer_ts"), "simple_O3.wasm"))
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		fn      string
		n, want float64
	}{
		{"fibExport", 20, 6765},
		{"vecSum", 100, 24512500},
		{"virt", 10, 300},
		{"arr", 10, 135},
	}
	ran := map[string]bool{}
	for _, c := range withAOT(t, storeConfigs) {
		inst, err := wasmnizerInstance(t, c.cfg, m)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		for _, k := range cases {
			name := fmt.Sprintf("%s/%s(%v)", c.name, k.fn, k.n)
			ran[name] = true
			runCheck(t, wasmnizerKnown, name, func(r *report) {
				f := inst.ExportedFunc(k.fn)
				if f == nil {
					r.Errorf("no export %s", k.fn)
					return
				}
				out, err := f.Call([]runtime.Value{runtime.F64(math.Float64bits(k.n))})
				if err != nil {
					r.Errorf("%s(%v): %v", k.fn, k.n, err)
					return
				}
				if len(out) != 1 || out[0].Type.Kind != wasm.KindF64 {
					r.Errorf("%s(%v) returned %v, want one f64", k.fn, k.n, out)
					return
				}
				if got := math.Float64frombits(out[0].Bits); got != k.want {
					r.Errorf("%s(%v) = %v, want %v", k.fn, k.n, got, k.want)
				}
			})
		}
	}
	checkKnownNames(t, wasmnizerKnown, ran)
}

// wasmnizerInstance instantiates simple_O3.wasm in a new store and runs
// _entry, which sets up the classes' vtables.
func wasmnizerInstance(t *testing.T, cfg runtime.Config, m *wasm.Module) (*runtime.Instance, error) {
	s := newStore(t, cfg)
	res, err := wasmnizerHost(s, m)
	if err != nil {
		return nil, err
	}
	inst, err := s.Instantiate(m, res)
	if err != nil {
		return nil, fmt.Errorf("instantiate: %w", err)
	}
	f := inst.ExportedFunc("_entry")
	if f == nil {
		return nil, fmt.Errorf("no _entry")
	}
	if _, err := f.Call(nil); err != nil {
		return nil, fmt.Errorf("_entry: %w", err)
	}
	return inst, nil
}

// wasmnizerHost provides simple_O3.wasm's imports, stubbed as the
// programs README describes: libdyntype.dyntype_get_context returns a
// null context (the typed code never uses it), env.strcmp compares two
// NUL-terminated strings in the caller's memory as C does. Anything else
// traps when called.
func wasmnizerHost(s *runtime.Store, m *wasm.Module) (runtime.Resolver, error) {
	res := resolver{}
	lib := s.NewHostInstance("libdyntype")
	env := s.NewHostInstance("env")
	for i := range m.Imports {
		imp := &m.Imports[i]
		if imp.Kind != wasm.ExternFunc {
			continue
		}
		ft := m.Types[imp.TypeIndex].Comp
		var fn runtime.HostFunc
		host := env
		switch imp.Module + "." + imp.Name {
		case "libdyntype.dyntype_get_context":
			host = lib
			fn = func(*runtime.Instance, []runtime.Value) ([]runtime.Value, error) {
				return []runtime.Value{runtime.Null(wasm.HeapAny)}, nil
			}
		case "env.strcmp":
			fn = strcmp
		default:
			continue // left to the store's stubs
		}
		f, err := host.DefineFunc(imp.Name, ft, fn)
		if err != nil {
			return nil, err
		}
		res[[2]string{imp.Module, imp.Name}] = f
	}
	return s.StubImports(m, res)
}

// strcmp is C's strcmp over the caller's memory 0.
func strcmp(caller *runtime.Instance, args []runtime.Value) ([]runtime.Value, error) {
	if caller == nil || len(caller.Mems) == 0 {
		return nil, &runtime.Trap{Msg: "strcmp: caller has no memory"}
	}
	mem := caller.Mems[0].Data
	a, b := uint64(uint32(args[0].Bits)), uint64(uint32(args[1].Bits))
	for ; ; a, b = a+1, b+1 {
		if a >= uint64(len(mem)) || b >= uint64(len(mem)) {
			return nil, &runtime.Trap{Msg: "out of bounds memory access"}
		}
		if mem[a] != mem[b] || mem[a] == 0 {
			return []runtime.Value{runtime.I32(int32(mem[a]) - int32(mem[b]))}, nil
		}
	}
}
