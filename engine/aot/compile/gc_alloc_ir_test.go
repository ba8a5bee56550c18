package compile

import (
	"math"
	"strings"
	"testing"

	"github.com/llir/llvm/ir/constant"
	"github.com/llir/llvm/ir/types"
)

// TestAllocFastPathIR checks the shape of the inline allocation path
// (gc_heap.go alloc, gc_init.go, invariant.go): the start bitmap is not
// touched (the runtime sets inline allocations' bits, engine/gc
// buffer_publish.go: no atomic load, store or or of its word), the words
// that cannot change during an activation are invariant loads, and a
// constant-zero field of struct.new is written once, with the padding, on
// the fast path (buffer memory is not zeroed; the slow path's object is),
// not again after the paths join.
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
		if strings.Contains(body, "atomicrmw") || strings.Contains(body, "load atomic") || strings.Contains(body, "store atomic") {
			t.Errorf("inline allocation sets a start bit:\n%s", body)
		}
		if !strings.Contains(body, "!invariant.load") {
			t.Errorf("no invariant loads:\n%s", body)
		}
	}
	// (0, 0): the 8 bytes after the header, one i64 zero; (x, 0): field
	// 1 only, one i32 zero. Nothing else stores a constant zero.
	for _, c := range []struct {
		name, body string
		i64, i32   int
	}{{"(0, 0)", zero, 1, 0}, {"(x, 0)", one, 0, 1}} {
		// A frame header of function 0 at offset 0 is not a field.
		n := strings.Count(c.body, "store i64 0,") - strings.Count(c.body, "store i64 0, i64* %top")
		if m := strings.Count(c.body, "store i32 0,"); n != c.i64 || m != c.i32 {
			t.Errorf("struct.new %s stores %d i64 and %d i32 zeros, want %d and %d:\n%s", c.name, n, m, c.i64, c.i32, c.body)
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
