package loader

import (
	"fmt"
	"strings"
	"testing"

	"github.com/gcscope/gcscope/engine/interp"
	"github.com/gcscope/gcscope/engine/runtime"
)

// opSetsRun steps through export name(args) of module src, recording
// every stop's frames; at each of the first slotsStepLimit stops it
// changes one number on the innermost frame's operand stack at or above
// BlockBase (the stop's count picks which), as `set $stack[k] = ...`
// does. It returns the transcript, the result or error, and the SetFrom
// values the tier's shapes gave, per stop, as "from/base/depth".
func opSetsRun(t *testing.T, eng slotsEngine, src, name string, args ...runtime.Value) (transcript, result string, setFroms []string) {
	t.Helper()
	transcript, hits, r, err := stepRun(t, eng, runtime.Config{}, src, name, args, func(env *runtime.ExecEnv, frames []slotsFrame, hit int) {
		fr := frames[len(frames)-1]
		sh := fr.sh
		setFroms = append(setFroms, fmt.Sprintf("%d/%d/%d", sh.SetFrom, sh.BlockBase, len(sh.Operands)))
		if n := len(sh.Operands) - sh.BlockBase; hit <= slotsStepLimit && n > 0 {
			k := sh.BlockBase + hit%n
			at := fr.opBase()
			for _, t := range sh.Operands[:k] {
				at += slotsWidth(t)
			}
			bumpSlot(env, sh.Operands[k], at) // the debugger sets numbers only
		}
	})
	if hits < 10 {
		t.Fatalf("%s: %d stops (%v)", name, hits, err)
	}
	if err != nil {
		return transcript, "error: " + err.Error(), setFroms
	}
	return transcript, fmt.Sprint(r[0].Bits), setFroms
}

// opSetsExnWat keeps operands under and inside a legacy try's catch, a
// try_table's handler block and both arms of an if.
const opSetsExnWat = `(module
  (tag $e (param i32))
  (func $thrower (param i32) (throw $e (local.get 0)))
  (func (export "exn") (param $a i32) (result i32)
    (i32.const 1000)
    (try (result i32)
      (do (i32.const 3) (call $thrower (local.get $a)) (unreachable))
      (catch $e (i32.const 10) (i32.add) (i32.const 2) (i32.mul)))
    (i32.add)
    (block $h (result i32)
      (try_table (catch $e $h)
        (i32.const 4) (drop)
        (call $thrower (i32.add (local.get $a) (i32.const 1))))
      (i32.const 0))
    (i32.const 5) (i32.add)
    (i32.add)
    (if (result i32) (local.get $a)
      (then (i32.const 6) (i32.const 7) (i32.add))
      (else (i32.const 8)))
    (i32.add)
    (if (result i32) (i32.eqz (local.get $a))
      (then (i32.const 6))
      (else (i32.const 9) (i32.const 11) (i32.sub)))
    (i32.add)
    (try (result i32)
      (do
        (try (result i32)
          (do (i32.const 12) (call $thrower (i32.const 30)) (i32.const 1) (i32.add))
          (delegate 0)))
      (catch $e (i32.const 13) (i32.add))
      (catch_all (i32.const 14)))
    (i32.add)
    (try (result i32)
      (do (i32.const 15) (i32.const 16) (i32.add))
      (catch_all (i32.const 17)))
    (i32.add)))`

// TestDebugOperandSetsMatchInterpreter: an operand a debugger writes at a
// stop, in the innermost block (FrameShape.SetFrom up), is what a debug
// build's code goes on with, as in the interpreter: stepping through
// functions with operands of every type across calls, allocations,
// blocks, an if with a parameter and loops, legacy try with catch,
// catch_all and delegate, and try_table, changing one operand at every
// stop, each tier's stops (locals, hidden ones included, and operands)
// and result match the interpreter's, and the result is not the one
// without the sets. The shapes say SetFrom = BlockBase on AOT and 0 on
// the interpreter. (The exception case found debug builds stopping
// before try, try_table and delegate, where the interpreter has no
// instruction, and leaving a caught exnref out of its hidden local in a
// function without rethrow; compiler 1.12 fixed both.)
func TestDebugOperandSetsMatchInterpreter(t *testing.T) {
	cases := []struct {
		src, name string
		args      []runtime.Value
	}{
		{slotsWat, "f", []runtime.Value{runtime.I32(7), runtime.I64(100)}},
		{slotsWat, "sum", []runtime.Value{runtime.I32(12)}},
		{operandsWat, "deep", []runtime.Value{runtime.I32(4), runtime.I32(2)}},
		{opSetsExnWat, "exn", []runtime.Value{runtime.I32(4)}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			plain, err := slotsInstanceOf(t, interp.New(), runtime.Config{}, c.src).ExportedFunc(c.name).Call(c.args)
			if err != nil {
				t.Fatal(err)
			}
			tiers := slotsTiers() // AOT with locals in slots and in registers, then the interpreter
			want, wantRes, froms := opSetsRun(t, tiers[len(tiers)-1].new(), c.src, c.name, c.args...)
			if wantRes == fmt.Sprint(plain[0].Bits) {
				t.Fatalf("the sets did not change %s's result %s", c.name, wantRes)
			}
			for i, f := range froms {
				if !strings.HasPrefix(f, "0/") {
					t.Fatalf("interpreter stop %d: SetFrom/BlockBase/depth %s, want SetFrom 0", i, f)
				}
			}
			for _, tier := range tiers[:len(tiers)-1] {
				got, gotRes, froms := opSetsRun(t, tier.new(), c.src, c.name, c.args...)
				if got != want || gotRes != wantRes {
					t.Errorf("%s: %s = %s, the interpreter %s; first difference:\n%s", tier.name, c.name, gotRes, wantRes, firstDiff(got, want))
				}
				for i, f := range froms {
					var from, base, depth int
					fmt.Sscanf(f, "%d/%d/%d", &from, &base, &depth)
					if from != base {
						t.Errorf("%s stop %d: SetFrom/BlockBase/depth %s, want SetFrom = BlockBase", tier.name, i, f)
						break
					}
				}
			}
		})
	}
}

// TestDebugOperandsSetFrom: in a debug build whose functions store their
// operands as pushed (no operand is read back after a stop), every
// shape's SetFrom is past the last operand, so the debugger refuses an
// operand `set` there; the interpreter's frames of the same function take
// any.
func TestDebugOperandsSetFrom(t *testing.T) {
	testOperandsWork = -1
	t.Cleanup(func() { testOperandsWork = 0 })
	e := New(nil)
	e.Options.Debug = true
	e.Options.DebugOperandsWork = -1
	_, _, froms := opSetsRun(t, e, operandsWat, "deep", runtime.I32(4), runtime.I32(2))
	deeper := 0
	for i, f := range froms {
		var from, base, depth int
		fmt.Sscanf(f, "%d/%d/%d", &from, &base, &depth)
		if from != depth {
			t.Fatalf("stop %d: SetFrom/BlockBase/depth %s, want SetFrom = depth", i, f)
		}
		if depth > base {
			deeper++
		}
	}
	if deeper == 0 {
		t.Fatal("no stop had operands in its innermost block")
	}
}
