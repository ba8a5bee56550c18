package loader

import (
	"slices"
	"strconv"
	"testing"

	"github.com/gcscope/gcscope/engine/binary"
	"github.com/gcscope/gcscope/engine/interp"
	"github.com/gcscope/gcscope/engine/runtime"
	"github.com/gcscope/gcscope/engine/wasm"
	"github.com/gcscope/gcscope/examples"
)

// instantiateDebug runs m on a fresh store with an AOT engine making
// debug builds.
func instantiateDebug(t testing.TB, m *wasm.Module) (*runtime.Instance, *Engine) {
	t.Helper()
	return instantiateWith(t, m, func(e *Engine) { e.Options.Debug = true })
}

func example(t testing.TB, name string) *wasm.Module {
	t.Helper()
	src, err := examples.FS.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	m := parse(t, string(src))
	return m
}

// TestDebugBuildExamples: debug builds compute what release builds do.
func TestDebugBuildExamples(t *testing.T) {
	for _, name := range []string{"fib.wat", "sieve.wat", "nbody.wat"} {
		t.Run(name, func(t *testing.T) {
			inst, e := instantiateDebug(t, example(t, name))
			st, err := e.native(inst)
			if err != nil || st == nil || !st.mod.Debug() {
				t.Fatalf("not a native debug build (%v)", err)
			}
			if got, want := mainResult(t, inst), examples.MainResults[name]; got != want {
				t.Fatalf("main = %d, want %d", got, want)
			}
		})
	}
}

// interpStops returns the offsets the interpreter's debug code can stop
// at in f: SetBreakpoint moves each instruction's offset to the first
// such instruction at or after it.
func interpStops(t *testing.T, f *runtime.Func) []uint32 {
	t.Helper()
	e := interp.New()
	s, err := runtime.NewStore(runtime.Config{Engine: e})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	inst, err := s.Instantiate(f.Inst.Module, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := interp.CompileAllForDebug(inst); err != nil {
		t.Fatal(err)
	}
	g := inst.Funcs[f.Index]
	var out []uint32
	for _, in := range g.Def.Body {
		if at, err := e.SetBreakpoint(g, in.Offset); err == nil && !slices.Contains(out, at) {
			out = append(out, at)
		}
	}
	slices.Sort(out)
	return out
}

// TestDebugStopsMatchInterpreter: a debug build can stop exactly where
// the interpreter's debug code can (the debugger's transcripts depend on
// it).
func TestDebugStopsMatchInterpreter(t *testing.T) {
	for _, name := range []string{"fib.wat", "sieve.wat", "nbody.wat"} {
		t.Run(name, func(t *testing.T) {
			m := example(t, name)
			inst, e := instantiateDebug(t, m)
			nImp := m.NumImported(wasm.ExternFunc)
			for i := range m.Funcs {
				f := inst.Funcs[nImp+i]
				var got []uint32
				for _, in := range f.Def.Body {
					if at, err := e.SetBreakpoint(f, in.Offset); err == nil && !slices.Contains(got, at) {
						got = append(got, at)
					}
					e.ClearBreakpoint(f, in.Offset)
				}
				slices.Sort(got)
				if want := interpStops(t, f); !slices.Equal(got, want) {
					t.Errorf("func %d: stops %v, the interpreter's %v", f.Index, got, want)
				}
			}
		})
	}
}

// TestDebugBreakReadWrite: a breakpoint stops with the frame committed in
// the interpreter's numbering; a value written to a local's slot is what
// the code continues with; stepping stops as often as the interpreter
// does.
func TestDebugBreakReadWrite(t *testing.T) {
	const src = `(module
  (func $add (param i32 i32) (result i32)
    (local i32)
    (local.set 2 (i32.mul (local.get 0) (i32.const 10)))
    (i32.add (local.get 2) (local.get 1)))
  (func (export "f") (param i32) (result i32)
    (call $add (local.get 0) (i32.const 3))))`
	run := func(eng interface {
		runtime.Engine
		SetBreakpoint(*runtime.Func, uint32) (uint32, error)
		SetStepping(*runtime.ExecEnv, bool)
		Shape(*runtime.Func, uint32) (*interp.FrameShape, error)
	}, inst *runtime.Instance, prep func() error) (bp, steps []string, res int64) {
		env := inst.Store.Env()
		add := inst.Funcs[0]
		// Break at `i32.add`, its operands on the stack.
		body := add.Def.Body
		var at uint32
		for _, in := range body {
			if in.Op == wasm.OpI32Add {
				at = in.Offset
			}
		}
		if prep != nil {
			if err := prep(); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := eng.SetBreakpoint(add, at); err != nil {
			t.Fatal(err)
		}
		env.OnBreak = func(env *runtime.ExecEnv) error {
			fr := env.Frames[env.Depth-1]
			sh, err := eng.Shape(fr.Func, fr.Offset)
			if err != nil {
				return err
			}
			if fr.Func == add && fr.Offset == at && bp == nil {
				for i := range sh.Locals {
					bp = append(bp, fmtVal(sh.Locals[i], env.Slots[fr.Base+sh.LocalSlots[i]]))
				}
				for d := range sh.Operands {
					bp = append(bp, "op:"+fmtVal(sh.Operands[d], env.Slots[fr.Base+uint32(len(sh.Locals))+uint32(d)]))
				}
				// The add's first operand (10*4 = 40) becomes 100.
				env.Slots[fr.Base+uint32(len(sh.Locals))] = 100
				eng.SetStepping(env, true)
				return nil
			}
			steps = append(steps, fr.Func.Name+"@"+itoa(fr.Offset))
			return nil
		}
		r, err := inst.ExportedFunc("f").Call([]runtime.Value{runtime.I32(4)})
		eng.SetStepping(env, false)
		if err != nil {
			t.Fatal(err)
		}
		return bp, steps, int64(int32(r[0].Bits))
	}
	inst, e := instantiateDebug(t, encoded(t, src))
	gotBP, gotSteps, got := run(e, inst, nil)

	ie := interp.New()
	s, err := runtime.NewStore(runtime.Config{Engine: ie})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	iinst, err := s.Instantiate(encoded(t, src), nil)
	if err != nil {
		t.Fatal(err)
	}
	wantBP, wantSteps, want := run(ie, iinst, func() error { return interp.CompileAllForDebug(iinst) })
	if want != 103 || got != want {
		t.Errorf("result %d, interpreter %d (want 103); frames %v / %v", got, want, gotBP, wantBP)
	}
	if !slices.Equal(gotBP, wantBP) || len(gotBP) == 0 {
		t.Errorf("frame at the breakpoint %v, interpreter %v", gotBP, wantBP)
	}
	if !slices.Equal(gotSteps, wantSteps) || len(gotSteps) == 0 {
		t.Errorf("steps %v, interpreter %v", gotSteps, wantSteps)
	}
}

// encoded parses src and round-trips it through the binary format, so
// instructions have offsets (as the debugger's modules do).
func encoded(t *testing.T, src string) *wasm.Module {
	t.Helper()
	bin, err := binary.Encode(parse(t, src))
	if err != nil {
		t.Fatal(err)
	}
	m, err := binary.Decode(bin)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func itoa(v uint32) string { return strconv.FormatUint(uint64(v), 10) }

func fmtVal(t wasm.ValType, bits uint64) string {
	s, _ := runtime.FormatNumber(runtime.Value{Type: t, Bits: bits})
	return s
}
