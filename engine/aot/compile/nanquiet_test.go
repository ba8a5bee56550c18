package compile

import (
	"strings"
	"testing"
)

// The NaN-quieting shapes get a quiet-bit select; other arithmetic not.
func TestQuietIdentities(t *testing.T) {
	count := func(src string) int {
		t.Helper()
		mod, err := GenerateIR(parse(t, []byte(src)))
		if err != nil {
			t.Fatal(err)
		}
		return strings.Count(mod.String(), "fcmp uno")
	}
	for _, src := range []string{
		`(module (func (param f32) (result f32) (f32.mul (local.get 0) (f32.const 1))))`,
		`(module (func (param f64) (result f64) (f64.sub (f64.const -0) (local.get 0))))`,
		`(module (func (param f64) (result f64) (f64.div (local.get 0) (f64.const -1))))`,
		`(module (func (param f64) (result f64) (f64.promote_f32 (f32.demote_f64 (local.get 0)))))`,
	} {
		if count(src) != 1 {
			t.Errorf("%s: not quieted", src)
		}
	}
	if n := count(`(module (func (param f64) (result f64) (f64.mul (local.get 0) (f64.const 2))))`); n != 0 {
		t.Error("a multiplication by 2 was quieted")
	}
}
