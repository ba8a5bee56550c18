package loader

import (
	"fmt"
	"testing"

	"github.com/gcscope/gcscope/engine/interp"
	"github.com/gcscope/gcscope/engine/runtime"
	"github.com/gcscope/gcscope/engine/wasm"
)

// owedWat is setOuterWat with a host call in the leaf: the host sets
// the breakpoint while the recursion runs, so the frames above were
// entered with nothing set and their inlined levels' commits left owed
// to their callees (compile/debug_owed.go). The stops must show every
// caller frame as the interpreter does, and values set in them must
// reach their code.
const owedWat = `(module
  (import "env" "h" (func $h (param i32)))
  (func $f (export "f") (param $n i32) (param $acc i32) (result i32)
    (local $k i32)
    (local.set $k (i32.add (i32.mul (local.get $n) (i32.const 10)) (local.get $acc)))
    (if (result i32) (i32.lt_u (local.get $n) (i32.const 2))
      (then
        (call $h (local.get $n))
        (i32.add (local.get $acc) (local.get $k)))
      (else
        (i32.add
          (call $f (i32.sub (local.get $n) (i32.const 1)) (local.get $acc))
          (i32.add
            (call $f (i32.sub (local.get $n) (i32.const 2))
              (local.tee $k (i32.add (local.get $k) (i32.const 3))))
            (local.get $k)))))))`

// TestDebugOwedCommits: a breakpoint set from a host function called at
// the 5th leaf of f(9, 1); at every later stop the frames of f agree
// with the interpreter's, and sets in the callers' frames (as in
// TestDebugSetCallerFrames) reach the code: the result agrees too.
func TestDebugOwedCommits(t *testing.T) {
	run := func(eng debugEngine, prep func(*runtime.Instance) error) ([]string, uint64) {
		s, err := runtime.NewStore(runtime.Config{Engine: eng})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		f := breakAtFifthHostCall(t, s, eng, owedWat, prep)
		return runSetCallerFrames(t, eng, s.Env(), f)
	}
	for _, opt := range []int{2, 3} {
		t.Run(fmt.Sprintf("O%d", opt), func(t *testing.T) {
			e := New(nil)
			e.Options.Debug = true
			e.Options.OptLevel = opt
			t.Cleanup(e.Close)
			got, gotRes := run(e, nil)
			want, wantRes := run(interp.New(), interp.CompileAllForDebug)
			sameCallerFrameStops(t, got, gotRes, want, wantRes)
		})
	}
}

// breakAtFifthHostCall instantiates src on s, with an import env.h (one
// i32) that, at its fifth call, sets a breakpoint in export f right
// after f's first call of h (src's function 0), and returns f.
func breakAtFifthHostCall(t *testing.T, s *runtime.Store, eng debugEngine, src string, prep func(*runtime.Instance) error) *runtime.Func {
	t.Helper()
	var f *runtime.Func
	var at uint32
	calls := 0
	host := s.NewHostInstance("env")
	ft := wasm.CompositeType{Kind: wasm.CompFunc, Params: []wasm.ValType{runtime.I32(0).Type}}
	if _, err := host.DefineFunc("h", ft, func(*runtime.Instance, []runtime.Value) ([]runtime.Value, error) {
		if calls++; calls == 5 {
			_, err := eng.SetBreakpoint(f, at)
			return nil, err
		}
		return nil, nil
	}); err != nil {
		t.Fatal(err)
	}
	s.Register("env", host)
	inst, err := s.Instantiate(encoded(t, src), s)
	if err != nil {
		t.Fatal(err)
	}
	if prep != nil {
		if err := prep(inst); err != nil {
			t.Fatal(err)
		}
	}
	f = inst.ExportedFunc("f")
	for k, in := range f.Def.Body {
		if in.Op == wasm.OpCall && in.Index == 0 {
			at = f.Def.Body[k+1].Offset // the instruction after the host call
			break
		}
	}
	return f
}
