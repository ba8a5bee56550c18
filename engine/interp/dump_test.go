package interp

import (
	"testing"

	"github.com/gcscope/gcscope/engine/runtime"
)

// TestFusion checks that local.get operands and local.set results are
// fused into arithmetic, so the loop below compiles to few instructions.
func TestFusion(t *testing.T) {
	s := newStore(t, runtime.Config{})
	inst := instantiate(t, s, benchWAT)
	if err := CompileAll(inst); err != nil {
		t.Fatal(err)
	}
	cd := inst.ExportedFunc("loop").Code.(*code)
	// mul(l0,l0); add(l1,_)→l1; const; sub(l0,_)→s; tee; br_if; get; return
	if n := len(cd.instrs); n > 8 {
		for _, in := range cd.instrs {
			t.Logf("%+v", in)
		}
		t.Errorf("loop compiled to %d instructions", n)
	}
	if got := mustCall(t, inst, "loop", runtime.I32(10)); got != 385 {
		t.Errorf("loop(10) = %d", got)
	}
}
