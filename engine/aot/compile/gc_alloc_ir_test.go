package compile

import (
	"math"
	"strings"
	"testing"

	"github.com/llir/llvm/ir/constant"
	"github.com/llir/llvm/ir/types"
)

// TestAllocFastPathIR checks the shape of the inline allocation path
// (gc_heap.go alloc, invariant.go): the start bit is set with a plain
// (monotonic) load and store rather than an atomic or, the words that
// cannot change during an activation are invariant loads, and struct.new
// stores no constant-zero field into the zeroed object.
func TestAllocFastPathIR(t *testing.T) {
	m := parse(t, []byte(`(module
  (type $p (struct (field (mut i32)) (field (mut i32))))
  (func (export "zero") (result (ref $p))
    (struct.new $p (i32.const 0) (i32.const 0)))
  (func (export "one") (param i32) (result i32)
    (struct.get $p 0 (struct.new $p (local.get 0) (i32.const 0)))))`))
	mod, err := GenerateIR(m)
	if err != nil {
		t.Fatal(err)
	}
	bodies := map[string]string{}
	for _, fn := range mod.Funcs {
		bodies[fn.Name()] = fn.LLString()
	}
	// The module's functions 0 and 1 (their entry trampolines are apart).
	zero, one := bodies["gcs_func_0"], bodies["gcs_func_1"]
	if zero == "" || one == "" {
		t.Fatalf("functions not found among %d", len(mod.Funcs))
	}
	for _, body := range []string{zero, one} {
		if strings.Contains(body, "atomicrmw") {
			t.Errorf("start bit set with an atomic rmw:\n%s", body)
		}
		if !strings.Contains(body, "load atomic i64") || !strings.Contains(body, "store atomic i64") {
			t.Errorf("no monotonic load/store of the start-bitmap word:\n%s", body)
		}
		if !strings.Contains(body, "!invariant.load") {
			t.Errorf("no invariant loads:\n%s", body)
		}
	}
	// The fields' zeros would be "store i32 0"; nothing else stores one.
	for name, body := range map[string]string{"(0, 0)": zero, "(x, 0)": one} {
		if n := strings.Count(body, "store i32 0,"); n != 0 {
			t.Errorf("struct.new %s stores %d constant zeros:\n%s", name, n, body)
		}
	}
}

// TestIsZeroConst: only all-zero bit patterns may skip their store; -0.0
// and NaN are not zero bits.
func TestIsZeroConst(t *testing.T) {
	for _, c := range []struct {
		v    valueT
		want bool
	}{
		{i32c(0), true},
		{i64c(0), true},
		{i32c(1), false},
		{constant.NewFloat(types.Double, 0), true},
		{constant.NewFloat(types.Float, 0), true},
		{constant.NewFloat(types.Double, math.Copysign(0, -1)), false},
		{constant.NewFloat(types.Double, math.NaN()), false},
		{constant.NewFloat(types.Double, 1.5), false},
	} {
		if got := isZeroConst(c.v); got != c.want {
			t.Errorf("isZeroConst(%v) = %v, want %v", c.v, got, c.want)
		}
	}
}
