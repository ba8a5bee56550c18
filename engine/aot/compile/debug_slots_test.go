package compile

import (
	"fmt"
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/gcscope/gcscope/examples"
)

// TestDebugSlotsKeepsSmallFunctions: with the default bound, the debug
// builds of the example programs are exactly what they are with no
// function above it (their speed cannot change), and every function
// taking the slots path (a negative bound) does change them.
func TestDebugSlotsKeepsSmallFunctions(t *testing.T) {
	for _, name := range []string{"fib.wat", "sieve.wat", "nbody.wat", "binary_trees.wat", "shapes.wat"} {
		src, err := examples.FS.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		m := parse(t, src)
		ir := func(work int) string {
			mod, err := GenerateIRFor(m, Options{OptLevel: 2, Debug: true, DebugSlotsWork: work})
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			return mod.String()
		}
		def, none, all := ir(0), ir(math.MaxInt), ir(-1)
		if def != none {
			t.Errorf("%s: the default bound changed the debug build", name)
		}
		if all == def {
			t.Errorf("%s: a negative bound did not change the debug build", name)
		}
	}
}

// manyLocalsWat is skip-stack-guard-page.wast's shape, smaller: n i64
// locals loaded from memory, then stored back, after a call.
func manyLocalsWat(n int) []byte {
	var b strings.Builder
	b.WriteString("(module (memory 1)\n  (func $g)\n  (func (export \"f\")\n")
	for range n {
		b.WriteString("    (local i64)\n")
	}
	b.WriteString("    (call $g)\n")
	for i := range n {
		fmt.Fprintf(&b, "    (local.set %d (i64.load offset=%d (i32.const 0)))\n", i, i)
	}
	for i := range n {
		fmt.Fprintf(&b, "    (i64.store offset=%d (i32.const 0) (local.get %d))\n", i, i)
	}
	b.WriteString("  ))")
	return []byte(b.String())
}

// TestDebugSlotsBoundIR: a function of 110 locals and 773 instructions
// is above the default bound, and keeping its locals in their slots
// makes its debug build's IR several times smaller than committing and
// reloading them at every stop and call; the module compiles.
func TestDebugSlotsBoundIR(t *testing.T) {
	m := parse(t, manyLocalsWat(110))
	if !debugSlotsFunc(m, &m.Funcs[1], DefaultDebugSlotsWork) || debugSlotsFunc(m, &m.Funcs[0], DefaultDebugSlotsWork) {
		t.Fatal("want only the function with many locals above the default bound")
	}
	size := func(work int) int {
		mod, _, err := generate(m, Options{OptLevel: 2, Debug: true, DebugSlotsWork: work})
		if err != nil {
			t.Fatal(err)
		}
		return countInstrs(irFunc(t, mod, 1))
	}
	slots, regs := size(0), size(math.MaxInt)
	t.Logf("IR instructions: %d with the locals in their slots, %d without", slots, regs)
	if slots*5 > regs {
		t.Errorf("IR instructions: %d with the locals in their slots, %d without; want 5x fewer", slots, regs)
	}
	compileOrSkip(t, m, Options{OptLevel: 2, Debug: true})
}

// TestDebugSlotsSameFrames: the stops and the stack maps (every
// reference local at every safepoint) of functions whose locals live in
// their slots are those of the usual debug build, for functions with
// reference, vector and number locals, calls, allocations, loops and
// traps.
func TestDebugSlotsSameFrames(t *testing.T) {
	src := []byte(`(module
  (type $box (struct (field (mut i32))))
  (memory 1)
  (func $mk (param $v i32) (result (ref $box)) (struct.new $box (local.get $v)))
  (func (export "f") (param $a i32) (param $r (ref null $box)) (result i32)
    (local $s (ref null $box)) (local $v v128) (local $x f64) (local $i i32)
    (local.set $s (call $mk (local.get $a)))
    (local.set $v (i32x4.splat (local.get $a)))
    (loop $l
      (local.set $r (struct.new $box (local.get $i)))
      (local.set $x (f64.add (local.get $x) (f64.const 1)))
      (i32.store (local.get $i) (i32.div_u (local.get $a) (local.get $i)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (i32.const 10))))
    (i32.add (struct.get $box 0 (local.get $s)) (i32x4.extract_lane 1 (local.get $v)))))`)
	m := parse(t, src)
	frames := func(work int) []frameInfo {
		_, fr, err := generate(m, Options{OptLevel: 2, Debug: true, DebugSlotsWork: work})
		if err != nil {
			t.Fatal(err)
		}
		return fr
	}
	slots, regs := frames(-1), frames(math.MaxInt)
	if !reflect.DeepEqual(slots, regs) {
		t.Errorf("frames with the locals in their slots\n%+v\nwithout\n%+v", slots, regs)
	}
	if len(regs[1].maps) == 0 {
		t.Error("no stack maps: the test lost its references")
	}
}
