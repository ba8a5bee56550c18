package compile

import (
	"strings"
	"testing"
)

// Literal operands LLVM folds with get a quiet-bit select on the result;
// every other float arithmetic operand goes behind the barrier; a
// multiplication by a literal 2 gets neither on that operand.
func TestQuietIdentities(t *testing.T) {
	count := func(src string) (quiets, barriers int) {
		t.Helper()
		mod, err := GenerateIR(parse(t, []byte(src)))
		if err != nil {
			t.Fatal(err)
		}
		ir := mod.String()
		return strings.Count(ir, "fcmp uno"), strings.Count(ir, `asm "", "=x,0"`)
	}
	for _, c := range []struct {
		src              string
		quiets, barriers int
	}{
		{`(module (func (param f32) (result f32) (f32.mul (local.get 0) (f32.const 1))))`, 1, 1},
		{`(module (func (param f64) (result f64) (f64.sub (f64.const -0) (local.get 0))))`, 1, 1},
		{`(module (func (param f64) (result f64) (f64.div (local.get 0) (f64.const -1))))`, 1, 1},
		{`(module (func (param f32) (result f32) (f32.add (local.get 0) (f32.const nan:0x200000))))`, 1, 1},
		{`(module (func (param f64) (result f64) (f64.mul (local.get 0) (f64.const 2))))`, 0, 1},
		{`(module (func (param f64 f64) (result f64) (f64.add (local.get 0) (local.get 1))))`, 0, 2},
		{`(module (func (param f64) (result f64) (f64.promote_f32 (f32.demote_f64 (local.get 0)))))`, 0, 2},
		// min/max: no barrier, the NaN path is bit operations (the two
		// fcmp uno are min's NaN test and nanOperand's choice of operand).
		{`(module (func (param f32) (result f32) (f32.min (local.get 0) (f32.const -0))))`, 2, 0},
		// Bit operations need no quieting.
		{`(module (func (param f32) (result f32) (f32.neg (local.get 0))))`, 0, 0},
	} {
		q, b := count(c.src)
		if q != c.quiets || b != c.barriers {
			t.Errorf("%s: %d quieting selects, %d barriers; want %d, %d", c.src, q, b, c.quiets, c.barriers)
		}
	}
}
