package compile

import (
	"fmt"
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/llir/llvm/ir"

	"github.com/gcscope/gcscope/engine/validate"
)

// deepStackWat has a function that builds an operand stack n deep the
// way microhs's main does (values pushed, a call and an allocation
// every few, then everything folded), and a small one.
func deepStackWat(n int) []byte {
	var b strings.Builder
	b.WriteString("(module\n  (type $box (struct (field i32)))\n")
	b.WriteString("  (func $g (param i32) (result i32) (local.get 0))\n")
	b.WriteString("  (func (export \"f\") (param $a i32) (result i32)\n")
	for i := range n {
		switch i % 3 {
		case 0:
			fmt.Fprintf(&b, "    (call $g (i32.const %d))\n", i)
		case 1:
			fmt.Fprintf(&b, "    (struct.get $box 0 (struct.new $box (local.get $a)))\n")
		default:
			fmt.Fprintf(&b, "    (i32.div_u (i32.const %d) (local.get $a))\n", i)
		}
	}
	for range n - 1 {
		b.WriteString("    (i32.add)\n")
	}
	b.WriteString("  ))")
	return []byte(b.String())
}

// TestDebugOperandsBoundIR: a function whose operand stack grows 150
// deep over 900 instructions is above the default bound (the small one
// is not), and storing its operands as they are pushed makes its debug
// build's IR several times smaller than committing the whole stack at
// every stop, safepoint and trap and reading it back after each stop
// and call; the module compiles.
func TestDebugOperandsBoundIR(t *testing.T) {
	m := parse(t, deepStackWat(150))
	info, err := validate.Analyze(m, validate.Options{})
	if err != nil {
		t.Fatal(err)
	}
	homes := operandHomes(m, info, DefaultDebugOperandsWork)
	if !homes[1] || homes[0] {
		t.Fatalf("operandHomes = %v: want only the deep function above the default bound", homes)
	}
	size := func(work int) int {
		mod, _, err := generate(m, Options{OptLevel: 2, Debug: true, DebugOperandsWork: work})
		if err != nil {
			t.Fatal(err)
		}
		return countInstrs(irFunc(t, mod, 1))
	}
	home, regs := size(0), size(math.MaxInt)
	t.Logf("IR instructions: %d with the operands stored as pushed, %d without", home, regs)
	if home*5 > regs {
		t.Errorf("IR instructions: %d with the operands stored as pushed, %d without; want 5x fewer", home, regs)
	}
	// Its stops call its stop routine (debug_stop_outline.go); the small
	// function's stay inline.
	fns := funcsByName(t, string(deepStackWat(150)), Options{OptLevel: 2, Debug: true})
	_, frames, err := generate(m, Options{OptLevel: 2, Debug: true})
	if err != nil {
		t.Fatal(err)
	}
	calls := 0
	for _, b := range fns[funcSymbol(1)].Blocks {
		for _, in := range b.Insts {
			if c, ok := in.(*ir.InstCall); ok && c.Callee.Ident() == "@"+stopSymbol(1) {
				calls++
			}
		}
	}
	if stops := len(frames[1].stops); calls != stops || stops < 500 || fns[stopSymbol(0)] != nil {
		t.Errorf("the deep function calls its stop routine %d times (want one per stop, %d); the small one has a routine: %v", calls, stops, fns[stopSymbol(0)] != nil)
	}
	compileOrSkip(t, m, Options{OptLevel: 2, Debug: true})
}

// TestDebugOperandsSameFrames: the stops, stack maps and frame sizes of
// functions whose operands are stored as pushed are those of the usual
// debug build (the stack maps list the same reference operands), for
// operands of every kind held across calls, allocations, blocks with
// results, an if with parameters and a loop.
func TestDebugOperandsSameFrames(t *testing.T) {
	m := parse(t, []byte(`(module
  (type $box (struct (field (mut i32))))
  (func $mk (param $v i32) (result (ref $box)) (struct.new $box (local.get $v)))
  (func (export "f") (param $a i32) (result i32)
    (local $i i32)
    (i32.const 1)
    (call $mk (local.get $a))
    (i64.const 5)
    (f64.const 2.5)
    (v128.const i32x4 1 2 3 4)
    (block (result i32)
      (br_if 0 (i32.const 99) (i32.eqz (local.get $a)))
      (drop)
      (i32.const 7))
    (if (param i32) (result i32) (local.get $a)
      (then (i32.const 3) (i32.add))
      (else (i32.const 5) (i32.mul)))
    (loop $l (result (ref $box))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (i32.const 3)))
      (struct.new $box (local.get $i)))
    (struct.get $box 0)
    (i32.add)
    (drop) (drop) (drop) (drop)
    (struct.get $box 0)
    (i32.add)))`))
	frames := func(work int) []frameInfo {
		_, fr, err := generate(m, Options{OptLevel: 2, Debug: true, DebugOperandsWork: work})
		if err != nil {
			t.Fatal(err)
		}
		return fr
	}
	home, regs := frames(-1), frames(math.MaxInt)
	// The one difference: the debugoperands section's flag.
	for i := range home {
		if !home[i].operandsHome || regs[i].operandsHome {
			t.Errorf("function %d: operandsHome %v with the bound -1, %v without", i, home[i].operandsHome, regs[i].operandsHome)
		}
		home[i].operandsHome = false
	}
	if !reflect.DeepEqual(home, regs) {
		t.Errorf("frames with the operands stored as pushed\n%+v\nwithout\n%+v", home, regs)
	}
	if len(regs[1].maps) == 0 {
		t.Error("no stack maps: the test lost its references")
	}
}
