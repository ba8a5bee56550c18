package interp

import (
	"testing"

	"github.com/gcscope/gcscope/engine/runtime"
)

func TestBreakpointsAndStepping(t *testing.T) {
	eng := New()
	s := newStore(t, runtime.Config{Engine: eng})
	inst := instantiate(t, s, `(module
	  (func $sq (param i32) (result i32) (i32.mul (local.get 0) (local.get 0)))
	  (func (export "f") (param i32) (result i32) (local i32)
	    (local.set 1 (call $sq (local.get 0)))
	    (i32.add (local.get 1) (i32.const 1))))`)
	sq := inst.Funcs[0]
	if err := CompileAll(inst); err != nil {
		t.Fatal(err)
	}
	// Break at sq's first instruction.
	at, err := eng.SetBreakpoint(sq, 0)
	if err != nil {
		t.Fatal(err)
	}
	var hits []uint32
	var depth int
	var local0 uint64
	s.Env().OnBreak = func(env *runtime.ExecEnv) error {
		fr := env.Frames[env.Depth-1]
		hits = append(hits, fr.Offset)
		depth = env.Depth
		shape, err := eng.Shape(fr.Func, fr.Offset)
		if err != nil {
			t.Error(err)
		} else if fr.Func == sq && (len(shape.Locals) != 1 || shape.Params != 1) {
			t.Errorf("shape = %+v", shape)
		}
		local0 = env.Slots[fr.Base]
		return nil
	}
	if got := mustCall(t, inst, "f", runtime.I32(7)); got != 50 {
		t.Errorf("f = %d", got)
	}
	if len(hits) != 1 || hits[0] != at || depth != 2 || local0 != 7 {
		t.Errorf("hits %v (want [%#x]) at depth %d, local 0 = %d", hits, at, depth, local0)
	}
	// Without the breakpoint the hook is not called.
	eng.ClearBreakpoint(sq, at)
	hits = nil
	mustCall(t, inst, "f", runtime.I32(2))
	if len(hits) != 0 {
		t.Errorf("cleared breakpoint hit: %v", hits)
	}
	// Stepping stops at every instruction, in callees too; a breakpoint
	// set meanwhile stays after stepping ends.
	eng.SetStepping(s.Env(), true)
	mustCall(t, inst, "f", runtime.I32(3))
	if _, err := eng.SetBreakpoint(sq, 0); err != nil {
		t.Fatal(err)
	}
	eng.SetStepping(s.Env(), false)
	if len(hits) < 6 {
		t.Errorf("stepping hit %d instructions: %v", len(hits), hits)
	}
	n := len(hits)
	mustCall(t, inst, "f", runtime.I32(3))
	if len(hits) != n+1 {
		t.Errorf("after stepping: %d hits, want 1 (the breakpoint)", len(hits)-n)
	}
}
