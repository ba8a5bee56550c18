package loader

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/gcscope/gcscope/engine/runtime"
	"github.com/gcscope/gcscope/engine/text"
	"github.com/gcscope/gcscope/engine/validate"
	"github.com/gcscope/gcscope/engine/wasm"
	"github.com/gcscope/gcscope/examples"
)

func parse(t testing.TB, src string) *wasm.Module {
	t.Helper()
	m, err := text.ParseModule([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if err := validate.Module(m); err != nil {
		t.Fatal(err)
	}
	return m
}

// instantiate runs m on a fresh store with an AOT engine (no fallback).
func instantiate(t testing.TB, m *wasm.Module) (*runtime.Instance, *Engine) {
	t.Helper()
	return instantiateWith(t, m, nil)
}

func mainResult(t *testing.T, inst *runtime.Instance) int64 {
	t.Helper()
	f := inst.ExportedFunc("main")
	if f == nil {
		t.Fatal("no main")
	}
	res, err := f.Call(nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 1 {
		t.Fatalf("main returned %d values", len(res))
	}
	if res[0].Type.Kind == wasm.KindI32 {
		return int64(int32(res[0].Bits))
	}
	return int64(res[0].Bits)
}

func TestExamples(t *testing.T) {
	for _, name := range []string{"fib.wat", "sieve.wat", "nbody.wat"} {
		t.Run(name, func(t *testing.T) {
			src, err := examples.FS.ReadFile(name)
			if err != nil {
				t.Fatal(err)
			}
			inst, _ := instantiate(t, parse(t, string(src)))
			if got, want := mainResult(t, inst), examples.MainResults[name]; got != want {
				t.Fatalf("main = %d, want %d", got, want)
			}
		})
	}
}

const trapsWat = `(module
  (memory 1)
  (func $div (export "div") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
  (func (export "unreachable") (unreachable))
  (func $inner (param i32) (result i32) (i32.load (local.get 0)))
  (func (export "oob") (param i32) (result i32) (i32.add (i32.const 1) (call $inner (local.get 0))))
  (func $rec (export "rec") (param i32) (result i32) (call $rec (i32.add (local.get 0) (i32.const 1))))
  (func (export "trunc") (param f64) (result i32) (i32.trunc_f64_s (local.get 0)))
)`

func TestTraps(t *testing.T) {
	inst, _ := instantiate(t, parse(t, trapsWat))
	cases := []struct {
		fn   string
		args []runtime.Value
		msg  string
		bt   int // at least this many frames
	}{
		{"div", []runtime.Value{runtime.I32(1), runtime.I32(0)}, "integer divide by zero", 1},
		{"div", []runtime.Value{runtime.I32(-1 << 31), runtime.I32(-1)}, "integer overflow", 1},
		{"unreachable", nil, "unreachable", 1},
		{"oob", []runtime.Value{runtime.I32(65534)}, "out of bounds memory access", 2},
		{"rec", []runtime.Value{runtime.I32(0)}, "call stack exhausted", 100},
		{"trunc", []runtime.Value{runtime.F64(math.Float64bits(3e10))}, "integer overflow", 1},
	}
	for _, c := range cases {
		_, err := inst.ExportedFunc(c.fn).Call(c.args)
		var tr *runtime.Trap
		if !errors.As(err, &tr) {
			t.Fatalf("%s: got %v, want a trap", c.fn, err)
		}
		if !strings.Contains(tr.Msg, c.msg) || len(tr.Backtrace) < c.bt {
			t.Fatalf("%s: trap %q with %d frames, want %q with at least %d", c.fn, tr.Msg, len(tr.Backtrace), c.msg, c.bt)
		}
	}
	// The engine still works after traps.
	res, err := inst.ExportedFunc("div").Call([]runtime.Value{runtime.I32(7), runtime.I32(2)})
	if err != nil || int32(res[0].Bits) != 3 {
		t.Fatalf("div after traps: %v %v", res, err)
	}
}

// Every optimization level gives the same results (-O0 skips opt, so
// locals stay in stack slots).
func TestOptLevels(t *testing.T) {
	src, err := examples.FS.ReadFile("sieve.wat")
	if err != nil {
		t.Fatal(err)
	}
	m := parse(t, string(src))
	for _, level := range []int{0, 1, 3} {
		e := New(nil)
		e.Options.OptLevel = level
		s, err := runtime.NewStore(runtime.Config{Engine: e})
		if err != nil {
			t.Fatal(err)
		}
		inst, err := s.Instantiate(m, nil)
		if err != nil {
			t.Fatalf("-O%d: %v", level, err)
		}
		if got, want := mainResult(t, inst), examples.MainResults["sieve.wat"]; got != want {
			t.Errorf("-O%d: main = %d, want %d", level, got, want)
		}
		s.Close()
		e.Close()
	}
}
