package loader

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/gcscope/gcscope/engine/interp"
	"github.com/gcscope/gcscope/engine/runtime"
)

// Debug builds whose functions store their operands to their frame slots
// as they are pushed (compile/debug_operands.go).
// compile.Options.DebugOperandsWork = -1 sends every function with
// operands down that path, so these small functions take it; each run
// is checked against the interpreter and against the usual debug build.

// operandsWat keeps operands of every kind on $deep's stack (an i32, a
// struct reference held nowhere else, an i64, an f64, a v128) across a
// call, allocations, a block whose result a br_if carries from deeper
// in the stack, an if with a parameter and a loop that calls and
// allocates, then traps with them all on the stack: in the callee $div
// when $z is 0, in $deep itself (a remainder by zero) when $z is 1.
const operandsWat = `(module
  (type $box (struct (field (mut i32))))
  (func $bump (param $p i32) (result i32)
    (i32.add (local.get $p) (i32.const 1)))
  (func $div (param $p i32) (param $q i32) (result i32)
    (i32.div_s (local.get $p) (local.get $q)))
  (func $deep (export "deep") (param $a i32) (param $z i32) (result i32)
    (local $i i32) (local $r (ref null $box))
    (i32.const 1)
    (struct.new $box (local.get $a))
    (i64.const 5)
    (f64.const 2.5)
    (v128.const i32x4 1 2 3 4)
    (call $bump (local.get $a))
    (block (result i32)
      (i32.const 10)
      (i32.const 20)
      (br_if 0 (i32.const 99) (i32.eqz (local.get $z)))
      (drop) (drop) (drop)
      (i32.const 7))
    (if (param i32) (result i32) (local.get $a)
      (then (i32.const 3) (i32.add))
      (else (i32.const 5) (i32.mul)))
    (loop $l (result i32)
      (local.set $i (call $bump (local.get $i)))
      (local.set $r (struct.new $box (local.get $i)))
      (br_if $l (i32.lt_u (local.get $i) (i32.const 3)))
      (struct.get $box 0 (local.get $r)))
    (call $div (local.get $a) (local.get $z))
    (i32.rem_u (local.get $a) (i32.sub (local.get $z) (i32.const 1)))
    (i32.add) (i32.add) (i32.add) (i32.add)
    (local.set $i)
    (i32x4.extract_lane 2)
    (local.set $i (i32.add (local.get $i)))
    (i64.trunc_sat_f64_s)
    (i64.add)
    (i32.wrap_i64)
    (local.set $i (i32.add (local.get $i)))
    (struct.get $box 0)
    (i32.add)
    (i32.add (local.get $i))))`

// operandsTiers: debug builds with every function's operands stored as
// pushed, with and without the locals in their slots too, the usual
// debug builds, and the interpreter (the reference, last).
func operandsTiers() []slotsTier {
	aot := func(slots, operands int) func() slotsEngine {
		return func() slotsEngine {
			e := New(nil)
			e.Options.Debug = true
			e.Options.DebugSlotsWork = slots
			e.Options.DebugOperandsWork = operands
			return e
		}
	}
	return []slotsTier{
		{"operands", aot(math.MaxInt, -1)},
		{"operands+slots", aot(-1, -1)},
		{"registers", aot(math.MaxInt, math.MaxInt)},
		{"interp", func() slotsEngine { return interp.New() }},
	}
}

// TestDebugOperandsStep: stepping through $deep, whose operands are
// stored as pushed, stops where the interpreter does with the same
// locals and operands at every stop (the slots hold every operand at
// all times), with a local of every frame set at the first stops; the
// result agrees. Also under GC stress: the struct held only on the
// operand stack survives the loop's collections.
func TestDebugOperandsStep(t *testing.T) {
	args := []runtime.Value{runtime.I32(7), runtime.I32(3)}
	for _, stress := range []bool{false, true} {
		t.Run(fmt.Sprintf("stress=%v", stress), func(t *testing.T) {
			cfg := runtime.Config{GCStress: stress}
			tiers := operandsTiers()
			ref := tiers[len(tiers)-1]
			want, wantRes := slotsStepRun(t, ref.new(), cfg, operandsWat, "deep", args...)
			if !strings.Contains(want, "op:ref op:5 op:2.5") {
				t.Fatalf("the interpreter's stops lack $deep's operands:\n%.2000s", want)
			}
			for _, tier := range tiers[:len(tiers)-1] {
				got, gotRes := slotsStepRun(t, tier.new(), cfg, operandsWat, "deep", args...)
				if got != want || gotRes != wantRes {
					t.Errorf("%s: deep = %s, the interpreter %s; first difference:\n%s", tier.name, gotRes, wantRes, firstDiff(got, want))
				}
			}
		})
	}
}

// TestDebugOperandsTrapFrames: a trap in the callee $div or in $deep
// itself leaves the interpreter's frames, with every operand $deep had
// before the trapping instruction, and the store goes on; without a
// trap the result agrees.
func TestDebugOperandsTrapFrames(t *testing.T) {
	run := func(eng slotsEngine, z int32) string {
		inst := slotsInstanceOf(t, eng, runtime.Config{GCStress: true}, operandsWat)
		env := inst.Store.Env()
		var frames string
		env.OnTrap = func(env *runtime.ExecEnv, err error) error {
			s, _, ferr := slotsFrames(eng, env)
			if ferr != nil {
				return ferr
			}
			frames = s
			return err
		}
		r, err := inst.ExportedFunc("deep").Call([]runtime.Value{runtime.I32(40), runtime.I32(z)})
		env.OnTrap = nil
		var tr *runtime.Trap
		if z > 1 {
			if err != nil {
				t.Fatalf("deep(40, %d): %v", z, err)
			}
			return fmt.Sprint(r[0].Bits)
		}
		if !errors.As(err, &tr) {
			t.Fatalf("deep(40, %d): %v, want a trap", z, err)
		}
		r, err = inst.ExportedFunc("deep").Call([]runtime.Value{runtime.I32(40), runtime.I32(3)})
		if err != nil {
			t.Fatal(err)
		}
		return frames + tr.Msg + fmt.Sprintf(" (then %d)", r[0].Bits)
	}
	tiers := operandsTiers()
	ref := tiers[len(tiers)-1]
	for _, z := range []int32{0, 1, 5} {
		want := run(ref.new(), z)
		if z <= 1 && !strings.Contains(want, "deep@") {
			t.Fatalf("the interpreter's frames lack deep's:\n%s", want)
		}
		for _, tier := range tiers[:len(tiers)-1] {
			if got := run(tier.new(), z); got != want {
				t.Errorf("%s: deep(40, %d):\n%s\nthe interpreter:\n%s", tier.name, z, got, want)
			}
		}
	}
}

// TestDebugOperandsDebuggerTests runs the debugger tests that make their
// engines through newNativeStore with every function's operands stored
// as pushed: stops, breakpoints set from other threads while loops run,
// stepping, armed threads, call results. Not the ones that `set` an
// operand and expect the code to go on with it (BreakReadWrite,
// BreakSetWhileLooping, RecInlineDebugStops): in such functions it does
// not (compile/debug_operands.go).
func TestDebugOperandsDebuggerTests(t *testing.T) {
	testOperandsWork = -1
	t.Cleanup(func() { testOperandsWork = 0 })
	for _, tc := range []struct {
		name string
		run  func(*testing.T)
	}{
		{"BuildExamples", TestDebugBuildExamples},
		{"StopsMatchInterpreter", TestDebugStopsMatchInterpreter},
		{"BuildCallResults", TestDebugBuildCallResults},
		{"LoopStopsMatchInterpreter", TestDebugLoopStopsMatchInterpreter},
		{"BreakSetWhileChunkLooping", TestDebugBreakSetWhileChunkLooping},
		{"ArmedThreads", TestDebugArmedThreads},
	} {
		t.Run(tc.name, tc.run)
	}
}
