package compile

import (
	"testing"

	"github.com/llir/llvm/ir/enum"
)

// TestOptOutHuge: functions above the instruction budget get optnone and
// noinline (LLVM requires both), the others neither; the module still
// compiles (opt and llc accept the attributes).
func TestOptOutHuge(t *testing.T) {
	old := hugeFuncInstrs
	t.Cleanup(func() { hugeFuncInstrs = old })
	src := []byte(`(module
  (func (export "small") (result i32) (i32.const 1))
  (func (export "big") (param i32) (result i32)
    (local.get 0) (i32.const 3) (i32.mul) (i32.const 5) (i32.add)
    (i32.const 7) (i32.mul) (i32.const 9) (i32.add)
    (i32.const 11) (i32.mul) (i32.const 13) (i32.add)))`)
	m := parse(t, src)
	mod, _, err := generate(m, Options{})
	if err != nil {
		t.Fatal(err)
	}
	small, big := countInstrs(irFunc(t, mod, 0)), countInstrs(irFunc(t, mod, 1))
	if big <= small {
		t.Fatalf("big has %d instructions, small %d", big, small)
	}
	hugeFuncInstrs = (small + big) / 2
	mod, _, err = generate(m, Options{})
	if err != nil {
		t.Fatal(err)
	}
	optnone := func(i int) bool {
		var on, ni bool
		for _, a := range irFunc(t, mod, i).FuncAttrs {
			on = on || a == enum.FuncAttrOptNone
			ni = ni || a == enum.FuncAttrNoInline
		}
		return on && ni
	}
	if optnone(0) || !optnone(1) {
		t.Errorf("optnone: small %v, big %v; want only big", optnone(0), optnone(1))
	}
	compileOrSkip(t, m, Options{OptLevel: 2})
}
