package loader

import (
	"fmt"
	"strings"
	"testing"

	"github.com/gcscope/gcscope/engine/interp"
	"github.com/gcscope/gcscope/engine/runtime"
	"github.com/gcscope/gcscope/engine/wasm"
)

// setOuterWat recurses at two sites (so a debug build inlines levels
// into it) and uses its local $k and the first call's result after
// each call: a caller's values set while a callee is stopped must reach
// the caller's code. $k also changes between the calls, so the second
// call's commit must store it again (debug builds skip locals whose
// slots still hold their values).
const setOuterWat = "(module\n" + setOuterF + ")"

// setOuterF is setOuterWat's function, shared with specWat
// (debug_spec_test.go).
const setOuterF = `  (func $f (export "f") (param $n i32) (param $acc i32) (result i32)
    (local $k i32)
    (local.set $k (i32.add (i32.mul (local.get $n) (i32.const 10)) (local.get $acc)))
    (if (result i32) (i32.lt_u (local.get $n) (i32.const 2))
      (then (i32.add (local.get $acc) (local.get $k)))
      (else
        (i32.add
          (call $f (i32.sub (local.get $n) (i32.const 1)) (local.get $acc))
          (i32.add
            (call $f (i32.sub (local.get $n) (i32.const 2))
              (local.tee $k (i32.add (local.get $k) (i32.const 3))))
            (local.get $k))))))`

// TestDebugSetCallerFrames: stopped in a leaf, the debugger sets the
// local $k and the operands of every caller frame (as `up` then `set`
// do); each caller continues with the values set, exactly as on the
// interpreter: the frames at every later stop and the result agree.
func TestDebugSetCallerFrames(t *testing.T) {
	run := func(eng debugEngine, inst *runtime.Instance, prep func() error) ([]string, uint64) {
		env := inst.Store.Env()
		f := inst.ExportedFunc("f")
		var at uint32 // the leaf's add: the first i32.add after the if
		seenIf := false
		for _, in := range f.Def.Body {
			if in.Op == wasm.OpIf {
				seenIf = true
			}
			if seenIf && in.Op == wasm.OpI32Add && at == 0 {
				at = in.Offset
			}
		}
		if prep != nil {
			if err := prep(); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := eng.SetBreakpoint(f, at); err != nil {
			t.Fatal(err)
		}
		return runSetCallerFrames(t, eng, env, f)
	}
	for _, opt := range []int{2, 3} {
		t.Run(fmt.Sprintf("O%d", opt), func(t *testing.T) {
			m := encoded(t, setOuterWat)
			e := New(nil)
			e.Options.Debug = true
			e.Options.OptLevel = opt
			t.Cleanup(e.Close)
			s, err := runtime.NewStore(runtime.Config{Engine: e})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { s.Close() })
			inst, err := s.Instantiate(m, nil)
			if err != nil {
				t.Fatal(err)
			}
			got, gotRes := run(e, inst, nil)

			ie := interp.New()
			is, err := runtime.NewStore(runtime.Config{Engine: ie})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { is.Close() })
			iinst, err := is.Instantiate(encoded(t, setOuterWat), nil)
			if err != nil {
				t.Fatal(err)
			}
			want, wantRes := run(ie, iinst, func() error { return interp.CompileAllForDebug(iinst) })
			sameCallerFrameStops(t, got, gotRes, want, wantRes)
		})
	}
}

// runSetCallerFrames calls f(9, 1) with setCallerFrames as env's break
// handler and returns the stops it recorded and the result.
func runSetCallerFrames(t *testing.T, eng debugEngine, env *runtime.ExecEnv, f *runtime.Func) (seen []string, res uint64) {
	t.Helper()
	env.OnBreak = setCallerFrames(eng, f, &seen)
	r, err := f.Call([]runtime.Value{runtime.I32(9), runtime.I32(1)})
	if err != nil {
		t.Fatal(err)
	}
	return seen, r[0].Bits
}

// sameCallerFrameStops fails the test unless f(9, 1) returned the same
// natively (got, gotRes) as on the interpreter (want, wantRes), and not
// what it returns without the sets, and the stops, at least 20, agree.
func sameCallerFrameStops(t *testing.T, got []string, gotRes uint64, want []string, wantRes uint64) {
	t.Helper()
	unset := setOuterPlain(9, 1)
	if gotRes != wantRes || wantRes == uint64(unset) {
		t.Errorf("f(9, 1) = %d after the sets, the interpreter %d (%d unchanged)", gotRes, wantRes, unset)
	}
	if len(got) != len(want) || len(want) < 20 {
		t.Fatalf("%d stops, the interpreter %d", len(got), len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("stop %d:\n%s\nthe interpreter:\n%s", i, got[i], want[i])
		}
	}
}

// setOuterPlain is setOuterWat's $f without a debugger.
func setOuterPlain(n, acc uint32) uint32 {
	k := n*10 + acc
	if n < 2 {
		return acc + k
	}
	r := setOuterPlain(n-1, acc)
	k += 3
	return r + setOuterPlain(n-2, k) + k
}

// debugEngine is what the caller-frame tests need of both tiers.
type debugEngine interface {
	runtime.Engine
	SetBreakpoint(*runtime.Func, uint32) (uint32, error)
	Shape(*runtime.Func, uint32) (*interp.FrameShape, error)
}

// setCallerFrames returns a break handler for setOuterWat-shaped
// functions: at each stop it appends every frame of f (locals, then
// operands) to seen and, at the 1st, 5th and 9th stops, sets each caller
// frame's $k (local 2) to grow by 1000+depth and, at the second call
// site, the first call's result under its arguments (the arguments
// themselves are the callee's already: the interpreter passes them in
// place).
func setCallerFrames(eng debugEngine, f *runtime.Func, seen *[]string) func(*runtime.ExecEnv) error {
	hits := 0
	return func(env *runtime.ExecEnv) error {
		hits++
		var b strings.Builder
		for d := 0; d < env.Depth; d++ {
			fr := env.Frames[d]
			if fr.Func != f {
				continue
			}
			sh, err := eng.Shape(fr.Func, fr.Offset)
			if err != nil {
				return err
			}
			fmt.Fprintf(&b, "@%d(", fr.Offset)
			for i := range sh.Locals {
				b.WriteString(fmtVal(sh.Locals[i], env.Slots[fr.Base+sh.LocalSlots[i]]) + " ")
			}
			for k := range sh.Operands {
				b.WriteString("op:" + fmtVal(sh.Operands[k], env.Slots[fr.Base+uint32(len(sh.Locals))+uint32(k)]) + " ")
			}
			b.WriteString(") ")
			if hits > 12 || hits%4 != 1 || d == env.Depth-1 {
				continue
			}
			env.Slots[fr.Base+sh.LocalSlots[2]] += uint64(1000 + d)
			if len(sh.Operands) == 3 {
				env.Slots[fr.Base+uint32(len(sh.Locals))] += 7
			}
		}
		*seen = append(*seen, b.String())
		return nil
	}
}
