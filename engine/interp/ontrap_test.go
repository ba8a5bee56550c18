package interp

import (
	"errors"
	"testing"

	"github.com/gcscope/gcscope/engine/runtime"
	"github.com/gcscope/gcscope/engine/wasm"
)

// TestOnTrap: ExecEnv.OnTrap runs once per trap, on the trapping thread,
// with the frames still active (innermost = the trapping instruction), even
// when the trap comes back out through a host function that called back
// into Wasm; the error it returns is what the call returns.
func TestOnTrap(t *testing.T) {
	s := newStore(t, runtime.Config{})
	var inst *runtime.Instance
	h := s.NewHostInstance("env")
	h.DefineFunc("cb", wasm.CompositeType{Kind: wasm.CompFunc}, func(*runtime.Instance, []runtime.Value) ([]runtime.Value, error) {
		_, err := inst.ExportedFunc("inner").Call(nil)
		return nil, err
	})
	s.Register("env", h)
	inst = instantiate(t, s, `(module
		(import "env" "cb" (func $cb))
		(func $boom (unreachable))
		(func (export "inner") (call $boom))
		(func (export "outer") (call $cb)))`)
	var calls int
	var names []string
	replaced := errors.New("replaced")
	s.Env().OnTrap = func(env *runtime.ExecEnv, err error) error {
		calls++
		for _, fr := range env.ActiveFrames() {
			names = append(names, fr.Func.Name)
		}
		var tr *runtime.Trap
		if !errors.As(err, &tr) || tr.Msg != "unreachable" {
			t.Errorf("OnTrap got %v", err)
		}
		return replaced
	}
	_, err := inst.ExportedFunc("outer").Call(nil)
	if !errors.Is(err, replaced) {
		t.Fatalf("outer: %v, want the error OnTrap returned", err)
	}
	if calls != 1 {
		t.Fatalf("OnTrap called %d times, want 1", calls)
	}
	// outer, the host function cb, inner, $boom.
	if len(names) != 4 || names[1] != "cb" || names[3] != "boom" {
		t.Fatalf("frames at the trap %q, want outer, cb, inner, boom", names)
	}
}
