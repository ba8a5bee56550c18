package interp

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/gcscope/gcscope/engine/binary"
	"github.com/gcscope/gcscope/engine/runtime"
	"github.com/gcscope/gcscope/engine/text"
	"github.com/gcscope/gcscope/engine/validate"
	"github.com/gcscope/gcscope/engine/wasm"
)

func newStore(t *testing.T, cfg runtime.Config) *runtime.Store {
	t.Helper()
	s, err := runtime.NewStore(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// parseWAT parses, encodes and decodes a module (so instructions have
// bytecode offsets) and validates it.
func parseWAT(t *testing.T, src string) *wasm.Module {
	t.Helper()
	m, err := text.ParseModule([]byte(src))
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	b, err := binary.Encode(m)
	if err != nil {
		t.Fatalf("encode: %v", err)
	}
	if m, err = binary.Decode(b); err != nil {
		t.Fatalf("decode: %v", err)
	}
	if err := validate.Module(m); err != nil {
		t.Fatalf("validate: %v", err)
	}
	return m
}

func instantiate(t *testing.T, s *runtime.Store, src string) *runtime.Instance {
	t.Helper()
	inst, err := s.Instantiate(parseWAT(t, src), nil)
	if err != nil {
		t.Fatalf("instantiate: %v", err)
	}
	return inst
}

func call(t *testing.T, inst *runtime.Instance, name string, args ...runtime.Value) ([]runtime.Value, error) {
	t.Helper()
	f := inst.ExportedFunc(name)
	if f == nil {
		t.Fatalf("no export %q", name)
	}
	return f.Call(args)
}

// mustCall calls an export and returns its single result's bits.
func mustCall(t *testing.T, inst *runtime.Instance, name string, args ...runtime.Value) uint64 {
	t.Helper()
	res, err := call(t, inst, name, args...)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if len(res) != 1 {
		t.Fatalf("%s: %d results", name, len(res))
	}
	return res[0].Bits
}

// wantTrap calls an export and checks it traps with msg.
func wantTrap(t *testing.T, inst *runtime.Instance, name, msg string, args ...runtime.Value) *runtime.Trap {
	t.Helper()
	_, err := call(t, inst, name, args...)
	var tr *runtime.Trap
	if !errors.As(err, &tr) || tr.Msg != msg {
		t.Fatalf("%s: got %v, want trap %q", name, err, msg)
	}
	return tr
}

// ftype builds a function type from params, then results after a nil.
func ftype(ts ...wasm.ValType) wasm.CompositeType {
	ft := wasm.CompositeType{Kind: wasm.CompFunc}
	out := &ft.Params
	for _, v := range ts {
		if v.Kind == 0 {
			out = &ft.Results
			continue
		}
		*out = append(*out, v)
	}
	return ft
}

// mustCall0 calls an export that returns nothing.
func mustCall0(t *testing.T, inst *runtime.Instance, name string, args ...runtime.Value) {
	t.Helper()
	if _, err := call(t, inst, name, args...); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
}

// callEveryExport calls each exported function of inst with zero (or
// null) arguments, interrupting any call that runs longer than budget,
// and reports the calls that end in an internal error — traps are fine,
// internal errors are engine bugs. It returns the number of calls.
func callEveryExport(s *runtime.Store, inst *runtime.Instance, budget time.Duration, internal func(name string, err error)) int {
	calls := 0
	for _, name := range inst.ExportNames() {
		fn := inst.ExportedFunc(name)
		if fn == nil {
			continue
		}
		args := make([]runtime.Value, len(fn.Type.Comp.Params))
		for i, p := range fn.Type.Comp.Params {
			args[i] = runtime.Value{Type: p}
		}
		timer := time.AfterFunc(budget, func() { s.Env().Interrupt.Store(1) })
		_, err := fn.Call(args)
		timer.Stop()
		s.Env().Interrupt.Clear(1)
		calls++
		if err != nil && strings.Contains(err.Error(), "internal error") {
			internal(name, err)
		}
	}
	return calls
}
