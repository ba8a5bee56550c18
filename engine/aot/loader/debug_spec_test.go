package loader

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/gcscope/gcscope/engine/interp"
	"github.com/gcscope/gcscope/engine/runtime"
	"github.com/gcscope/gcscope/engine/wasm"
)

// specWat's f (setOuterWat's, debug_setouter_test.go) is pure (numbers,
// no memory, calls only itself), so a debug build runs it speculatively
// in its fast version (compile/debug_spec.go); g calls it from a frame
// of its own; d traps (a division by zero) z frames down.
const specWat = "(module\n" + setOuterF + `
  (func $g (export "g") (param $n i32) (result i32)
    (i32.add (i32.const 1) (call $f (local.get $n) (i32.const 1))))
  (func $d (export "d") (param $n i32) (param $z i32) (result i32)
    (local $q i32)
    (local.set $q (i32.div_u (i32.const 100) (i32.sub (local.get $n) (local.get $z))))
    (if (result i32) (i32.lt_u (local.get $n) (i32.const 2))
      (then (i32.add (local.get $n) (local.get $q)))
      (else (i32.add (call $d (i32.sub (local.get $n) (i32.const 1)) (local.get $z))
                     (call $d (i32.sub (local.get $n) (i32.const 2)) (local.get $z)))))))`

// specN is g's argument in the tests that interrupt f's fast version.
const specN = 46

// specEngine is what the speculation tests use of both engines.
type specEngine interface {
	runtime.Engine
	SetBreakpoint(*runtime.Func, uint32) (uint32, error)
	ClearBreakpoint(*runtime.Func, uint32)
	SetStepping(*runtime.ExecEnv, bool)
	Shape(*runtime.Func, uint32) (*interp.FrameShape, error)
}

// specInstance instantiates specWat on eng (a debug build for the AOT
// engine).
func specInstance(t *testing.T, eng specEngine) *runtime.Instance {
	t.Helper()
	s, err := runtime.NewStore(runtime.Config{Engine: eng})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	inst, err := s.Instantiate(encoded(t, specWat), s)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := eng.(*interp.Engine); ok {
		if err := interp.CompileAllForDebug(inst); err != nil {
			t.Fatal(err)
		}
	}
	return inst
}

// specFrames prints every active frame: function, offset, locals and
// operands.
func specFrames(eng specEngine, env *runtime.ExecEnv) (string, error) {
	var b strings.Builder
	for d := 0; d < env.Depth; d++ {
		fr := env.Frames[d]
		sh, err := eng.Shape(fr.Func, fr.Offset)
		if err != nil {
			return "", err
		}
		fmt.Fprintf(&b, "%s@%d(", fr.Func.Name, fr.Offset)
		for i := range sh.Locals {
			b.WriteString(fmtVal(sh.Locals[i], env.Slots[fr.Base+sh.LocalSlots[i]]) + " ")
		}
		for k := range sh.Operands {
			b.WriteString("op:" + fmtVal(sh.Operands[k], env.Slots[fr.Base+uint32(len(sh.Locals))+uint32(k)]) + " ")
		}
		b.WriteString(")\n")
	}
	return b.String(), nil
}

// specSetFrames sets, in every frame of f, $n to 3 (so what is left of
// the recursion is short), $k up by 1000 plus the depth, and at the
// second call site the first call's result up by 7.
func specSetFrames(eng specEngine, env *runtime.ExecEnv, f *runtime.Func) error {
	for d := 0; d < env.Depth; d++ {
		fr := env.Frames[d]
		if fr.Func != f {
			continue
		}
		sh, err := eng.Shape(fr.Func, fr.Offset)
		if err != nil {
			return err
		}
		env.Slots[fr.Base+sh.LocalSlots[0]] = 3
		env.Slots[fr.Base+sh.LocalSlots[2]] += uint64(1000 + d)
		if len(sh.Operands) == 3 {
			env.Slots[fr.Base+uint32(len(sh.Locals))] += 7
		}
	}
	return nil
}

// specRun calls g(specN) on inst: f(specN, 1) makes fib(46)'s calls,
// seconds even in a release build, so after a few milliseconds (the
// AOT engine's fast version running) ask runs on another goroutine what
// starts the debugger (on the interpreter it
// runs before the call, which is where a debug build's rerun of the
// aborted fast version starts over: the same stops). At the first stop
// in f, the handler records every frame, sets values in each frame of f
// (specSetFrames) and clears what was asked (undo), so the rest runs
// with nothing set: fast again, reading the frames back.
func specRun(t *testing.T, eng specEngine, inst *runtime.Instance, ask, undo func(*runtime.ExecEnv), delay bool) (frames string, res uint64) {
	t.Helper()
	env := inst.Store.Env()
	f := inst.ExportedFunc("f")
	stops := 0
	var stopErr error
	env.OnBreak = func(env *runtime.ExecEnv) error {
		if env.Frames[env.Depth-1].Func != f {
			return nil // g's stops while stepping
		}
		stops++
		if stops > 1 {
			stopErr = errors.New("a stop after the request was undone")
			return nil
		}
		s, err := specFrames(eng, env)
		if err != nil {
			stopErr = err
			return err
		}
		frames = s
		if err := specSetFrames(eng, env, f); err != nil {
			stopErr = err
			return err
		}
		undo(env)
		return nil
	}
	defer func() { env.OnBreak = nil }()
	if !delay {
		ask(env)
	}
	done := callAsync(inst.ExportedFunc("g"), []runtime.Value{runtime.I32(specN)})
	if delay {
		time.Sleep(5 * time.Millisecond)
		ask(env)
	}
	var r callResult
	select {
	case r = <-done:
	case <-time.After(time.Minute):
		t.Fatal("g still running a minute after the request: it was missed")
	}
	if r.err != nil || stopErr != nil {
		t.Fatal(r.err, stopErr)
	}
	if stops != 1 {
		t.Fatalf("%d stops in f, want 1", stops)
	}
	return frames, r.v[0].Bits
}

// TestDebugSpecBreakFromThread: a breakpoint set by another goroutine
// while a debug build runs f's fast version stops where the interpreter
// stops with the breakpoint set before the call (the fast version's run
// is thrown away and the call run again in debug code), with the
// interpreter's frames (every local and operand of f and its caller g);
// values set then in every caller frame reach the code, which runs the
// rest with the breakpoint cleared (in fast versions again): the result
// agrees. It fails if an aborted run's result were kept or its frames
// shown.
func TestDebugSpecBreakFromThread(t *testing.T) {
	for _, opt := range []int{2, 3} {
		t.Run(fmt.Sprintf("O%d", opt), func(t *testing.T) {
			run := func(eng specEngine, delay bool) (string, uint64) {
				inst := specInstance(t, eng)
				f := inst.ExportedFunc("f")
				var at uint32 // the leaf's first instruction
				for k, in := range f.Def.Body {
					if in.Op == wasm.OpIf {
						at = f.Def.Body[k+1].Offset
						break
					}
				}
				ask := func(*runtime.ExecEnv) {
					if _, err := eng.SetBreakpoint(f, at); err != nil {
						t.Error(err)
					}
				}
				undo := func(*runtime.ExecEnv) { eng.ClearBreakpoint(f, at) }
				return specRun(t, eng, inst, ask, undo, delay)
			}
			e := New(nil)
			e.Options.Debug = true
			e.Options.OptLevel = opt
			t.Cleanup(e.Close)
			got, gotRes := run(e, true)
			want, wantRes := run(interp.New(), false)
			if got != want || gotRes != wantRes {
				t.Fatalf("frames at the stop:\n%s= %d; the interpreter's:\n%s= %d", got, gotRes, want, wantRes)
			}
			if n := strings.Count(want, "\n"); n != specN+1 {
				t.Fatalf("%d frames at the stop, want g's and %d of f", n, specN)
			}
		})
	}
}

// TestDebugSpecStepFromThread: stepping turned on by another goroutine
// while f's fast version runs stops at f's first instruction, with f's
// arguments, as the interpreter does when stepping was on before the
// call (the run starts over); $n set there to 3 is what the rest
// computes with.
func TestDebugSpecStepFromThread(t *testing.T) {
	run := func(eng specEngine, delay bool) (string, uint64) {
		inst := specInstance(t, eng)
		ask := func(env *runtime.ExecEnv) { eng.SetStepping(env, true) }
		undo := func(env *runtime.ExecEnv) { eng.SetStepping(env, false) }
		return specRun(t, eng, inst, ask, undo, delay)
	}
	e := New(nil)
	e.Options.Debug = true
	t.Cleanup(e.Close)
	got, gotRes := run(e, true)
	want, wantRes := run(interp.New(), false)
	if got != want || gotRes != wantRes {
		t.Fatalf("frames at the first step in f:\n%s= %d; the interpreter's:\n%s= %d", got, gotRes, want, wantRes)
	}
	if !strings.Contains(want, "f@") || strings.Count(want, "\n") != 2 {
		t.Fatalf("the first step in f shows\n%s", want)
	}
}

// TestDebugSpecTrapFrames: a division by zero some frames down a pure
// recursion, run speculatively, leaves the interpreter's frames (every
// local and operand) for the debugger, at several depths; the fast
// version is used again afterwards (results agree with the
// interpreter's).
func TestDebugSpecTrapFrames(t *testing.T) {
	run := func(eng specEngine, z int32) (string, string) {
		inst := specInstance(t, eng)
		env := inst.Store.Env()
		var frames string
		env.OnTrap = func(env *runtime.ExecEnv, err error) error {
			s, ferr := specFrames(eng, env)
			if ferr != nil {
				return ferr
			}
			frames = s
			return err
		}
		defer func() { env.OnTrap = nil }()
		_, err := inst.ExportedFunc("d").Call([]runtime.Value{runtime.I32(22), runtime.I32(z)})
		var tr *runtime.Trap
		if !errors.As(err, &tr) {
			t.Fatalf("d(22, %d): %v, want a trap", z, err)
		}
		r, err := inst.ExportedFunc("f").Call([]runtime.Value{runtime.I32(20), runtime.I32(1)})
		if err != nil {
			t.Fatal(err)
		}
		return frames + tr.Msg, fmt.Sprint(r[0].Bits)
	}
	e := New(nil)
	e.Options.Debug = true
	t.Cleanup(e.Close)
	for _, z := range []int32{21, 14, 3, 0} {
		got, gotRes := run(e, z)
		want, wantRes := run(interp.New(), z)
		if got != want || gotRes != wantRes {
			t.Fatalf("d(22, %d) trapped with frames\n%s\nthe interpreter's\n%s\n(then f(20, 1) = %s, the interpreter %s)", z, got, want, gotRes, wantRes)
		}
	}
}
