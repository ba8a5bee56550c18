package loader

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/gcscope/gcscope/engine/interp"
	"github.com/gcscope/gcscope/engine/runtime"
	"github.com/gcscope/gcscope/engine/wasm"
)

// Debug builds whose functions keep their locals in their frame slots
// (compile/debug_slots.go). compile.Options.DebugSlotsWork = -1 sends
// every function with locals down that path, so these small functions
// take it; each run is checked against the interpreter and against the
// usual debug build.

// slotsWat has locals of every kind: i32, i64, f32, f64, v128 and struct
// references, used across calls ($bump), allocations and a loop; $sum's
// loops call nothing and have no reference locals (versioned in debug
// builds: their fast copies read and write the slots too); $t traps in
// a callee ($div) or in itself, by $z.
const slotsWat = `(module
  (type $box (struct (field (mut i32))))
  (memory 1)
  (func $bump (param $p i32) (result i32)
    (i32.add (local.get $p) (i32.const 1)))
  (func $f (export "f") (param $a i32) (param $b i64) (result i64)
    (local $x f32) (local $y f64) (local $v v128) (local $r (ref null $box)) (local $s (ref null $box)) (local $i i32)
    (local.set $r (struct.new $box (local.get $a)))
    (local.set $s (struct.new $box (i32.const 5)))
    (local.set $x (f32.convert_i32_s (local.get $a)))
    (local.set $y (f64.promote_f32 (local.get $x)))
    (local.set $v (i32x4.splat (local.get $a)))
    (loop $l
      (local.set $a (call $bump (local.get $a)))
      (local.set $v (i32x4.add (local.get $v) (i32x4.splat (local.get $i))))
      (local.set $b (i64.add (local.get $b) (i64.extend_i32_u (local.get $a))))
      (local.set $x (f32.add (local.get $x) (f32.const 0.5)))
      (local.set $y (f64.mul (local.get $y) (f64.const 1.5)))
      (struct.set $box 0 (local.get $r)
        (i32.add (struct.get $box 0 (local.get $r)) (struct.get $box 0 (local.get $s))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (i32.const 3))))
    (i64.add
      (i64.add (local.get $b) (i64.extend_i32_u (i32x4.extract_lane 3 (local.get $v))))
      (i64.add
        (i64.trunc_sat_f64_s (f64.add (local.get $y) (f64.promote_f32 (local.get $x))))
        (i64.extend_i32_u (i32.add (struct.get $box 0 (local.get $r))
          (i32.mul (i32.const 100) (struct.get $box 0 (local.get $s))))))))
  (func $sum (export "sum") (param $n i32) (result i32)
    (local $i i32) (local $acc i32)
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (i32.store (i32.shl (local.get $i) (i32.const 2)) (i32.mul (local.get $i) (i32.const 3)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $l)))
    (local.set $i (i32.const 0))
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $acc (i32.add (local.get $acc) (i32.load (i32.shl (local.get $i) (i32.const 2)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $l)))
    (local.get $acc))
  (func $div (param $p i32) (param $q i32) (result i32)
    (local $w i64)
    (local.set $w (i64.extend_i32_s (local.get $p)))
    (i32.div_s (local.get $p) (local.get $q)))
  (func $t (export "t") (param $a i32) (param $z i32) (result i32)
    (local $x f64) (local $v v128) (local $r (ref null $box))
    (local.set $x (f64.convert_i32_s (local.get $a)))
    (local.set $v (i64x2.splat (i64.extend_i32_s (local.get $a))))
    (local.set $r (struct.new $box (local.get $a)))
    (local.set $a (i32.add (local.get $a) (i32.const 7)))
    (if (i32.eqz (local.get $z))
      (then (drop (i32.rem_u (local.get $a) (local.get $z)))))
    (i32.add (struct.get $box 0 (local.get $r))
      (call $div (local.get $a) (i32.sub (local.get $z) (i32.const 1))))))`

// slotsEngine is what these tests need of both tiers.
type slotsEngine interface {
	runtime.Engine
	SetStepping(*runtime.ExecEnv, bool)
	Shape(*runtime.Func, uint32) (*interp.FrameShape, error)
}

// slotsTier is one tier these tests run slotsWat on.
type slotsTier struct {
	name string
	new  func() slotsEngine
}

// slotsTiers: debug builds with every function's locals in their slots,
// the usual debug builds, and the interpreter (the reference, last).
func slotsTiers() []slotsTier {
	aot := func(work int) func() slotsEngine {
		return func() slotsEngine {
			e := New(nil)
			e.Options.Debug = true
			e.Options.DebugSlotsWork = work
			return e
		}
	}
	return []slotsTier{
		{"slots", aot(-1)},
		{"registers", aot(math.MaxInt)},
		{"interp", func() slotsEngine { return interp.New() }},
	}
}

// slotsInstance instantiates slotsWat on eng with cfg's other settings.
func slotsInstance(t *testing.T, eng slotsEngine, cfg runtime.Config) *runtime.Instance {
	t.Helper()
	return slotsInstanceOf(t, eng, cfg, slotsWat)
}

// slotsInstanceOf instantiates the module src on eng with cfg's other
// settings.
func slotsInstanceOf(t *testing.T, eng slotsEngine, cfg runtime.Config, src string) *runtime.Instance {
	t.Helper()
	cfg.Engine = eng
	s, err := runtime.NewStore(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if c, ok := eng.(interface{ Close() }); ok {
		t.Cleanup(c.Close)
	}
	inst, err := s.Instantiate(encoded(t, src), nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := eng.(*interp.Engine); ok {
		if err := interp.CompileAllForDebug(inst); err != nil {
			t.Fatal(err)
		}
	}
	return inst
}

// slotsFrame is one frame's view: its shape and where its slots start.
type slotsFrame struct {
	name string
	sh   *interp.FrameShape
	base uint32
}

// opBase is the frame's first operand slot: after the locals' slots.
func (fr slotsFrame) opBase() uint32 {
	n := uint32(0)
	for _, t := range fr.sh.Locals {
		n += slotsWidth(t)
	}
	return fr.base + n
}

func slotsWidth(t wasm.ValType) uint32 {
	if t.Kind == wasm.KindV128 {
		return 2
	}
	return 1
}

// slotsFmt prints a value of type t at slot s: numbers by type, a v128
// as its two slots, a reference as null or not (handles may differ
// between tiers).
func slotsFmt(env *runtime.ExecEnv, t wasm.ValType, s uint32) string {
	switch {
	case t.IsRef():
		if env.Slots[s] == 0 {
			return "null"
		}
		return "ref"
	case t.Kind == wasm.KindV128:
		return fmt.Sprintf("v%x:%x", env.Slots[s], env.Slots[s+1])
	}
	return fmtVal(t, env.Slots[s])
}

// slotsFrames prints every active frame: function, offset, locals and
// operands.
func slotsFrames(eng slotsEngine, env *runtime.ExecEnv) (string, []slotsFrame, error) {
	var b strings.Builder
	var out []slotsFrame
	for d := 0; d < env.Depth; d++ {
		fr := env.Frames[d]
		sh, err := eng.Shape(fr.Func, fr.Offset)
		if err != nil {
			return "", nil, err
		}
		sf := slotsFrame{name: fr.Func.Name, sh: sh, base: fr.Base}
		out = append(out, sf)
		fmt.Fprintf(&b, "%s@%d(", fr.Func.Name, fr.Offset)
		for i, t := range sh.Locals {
			b.WriteString(slotsFmt(env, t, fr.Base+sh.LocalSlots[i]) + " ")
		}
		at := sf.opBase()
		for _, t := range sh.Operands {
			b.WriteString("op:" + slotsFmt(env, t, at) + " ")
			at += slotsWidth(t)
		}
		b.WriteString(")\n")
	}
	return b.String(), out, nil
}

// slotsSet changes one local of a frame, by the stop's count h and the
// frame's depth d, as the debugger's `set` does: every type in turn; a
// reference local takes the other reference local's value when both
// are set.
func slotsSet(env *runtime.ExecEnv, fr slotsFrame, h, d int) {
	sh := fr.sh
	n := len(sh.Locals)
	k := (h + d) % n
	s := fr.base + sh.LocalSlots[k]
	if bumpSlot(env, sh.Locals[k], s) {
		return
	}
	for j, u := range sh.Locals {
		o := fr.base + sh.LocalSlots[j]
		if j != k && u.IsRef() && env.Slots[s] != 0 && env.Slots[o] != 0 {
			env.Slots[s], env.Slots[o] = env.Slots[o], env.Slots[s]
			return
		}
	}
}

// bumpSlot changes the number of type t at slot s a little and reports
// true; a reference it leaves alone (false).
func bumpSlot(env *runtime.ExecEnv, t wasm.ValType, s uint32) bool {
	switch t.Kind {
	case wasm.KindI32:
		env.Slots[s] = uint64(uint32(env.Slots[s]) + 1)
	case wasm.KindI64:
		env.Slots[s] += 1 << 33
	case wasm.KindF32:
		env.Slots[s] = uint64(math.Float32bits(math.Float32frombits(uint32(env.Slots[s])) + 0.25))
	case wasm.KindF64:
		env.Slots[s] = math.Float64bits(math.Float64frombits(env.Slots[s]) + 0.125)
	case wasm.KindV128:
		env.Slots[s] += 0x1_0000_0001 // lanes 0 and 1 up by 1
		env.Slots[s+1] += 7 << 32     // lane 3 up by 7
	default:
		return false
	}
	return true
}

// slotsStepLimit bounds the stops that set locals; stepping goes on to
// the end.
const slotsStepLimit = 300

// slotsStepRun steps through export name(args) of module src from its
// first instruction, recording every stop's frames and, at each of the
// first slotsStepLimit stops, setting a local of every frame (the
// callee's and its callers', as `up` then `set` do; not $bump's or
// $div's), and returns the transcript and the result.
func slotsStepRun(t *testing.T, eng slotsEngine, cfg runtime.Config, src, name string, args ...runtime.Value) (string, string) {
	t.Helper()
	transcript, hits, r, err := stepRun(t, eng, cfg, src, name, args, func(env *runtime.ExecEnv, frames []slotsFrame, hit int) {
		if hit > slotsStepLimit {
			return
		}
		for d, fr := range frames {
			// Not $bump's: the interpreter's callee takes its arguments
			// in place, so setting one sets the caller's operand there
			// too, which native frames do not share.
			if fr.name != "bump" && fr.name != "div" {
				slotsSet(env, fr, hit, d)
			}
		}
	})
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if hits < 20 {
		t.Fatalf("%s: %d stops", name, hits)
	}
	return transcript, fmt.Sprint(r[0].Bits)
}

// stepRun steps through export name(args) of module src on eng from its
// first instruction, writing every stop's frames (slotsFrames) to the
// transcript and then calling atStop with them and the stop's count
// (from 1), and returns the transcript, the number of stops and the
// call's results or error.
func stepRun(t *testing.T, eng slotsEngine, cfg runtime.Config, src, name string, args []runtime.Value,
	atStop func(env *runtime.ExecEnv, frames []slotsFrame, hit int)) (string, int, []runtime.Value, error) {
	t.Helper()
	inst := slotsInstanceOf(t, eng, cfg, src)
	env := inst.Store.Env()
	var b strings.Builder
	hits := 0
	env.OnBreak = func(env *runtime.ExecEnv) error {
		s, frames, err := slotsFrames(eng, env)
		if err != nil {
			return err
		}
		b.WriteString(s + "--\n")
		hits++
		atStop(env, frames, hits)
		return nil
	}
	eng.SetStepping(env, true)
	r, err := inst.ExportedFunc(name).Call(args)
	eng.SetStepping(env, false)
	env.OnBreak = nil
	return b.String(), hits, r, err
}

// TestDebugSlotsStepAndSet: stepping through functions whose locals
// live in their slots stops where the interpreter does with the same
// locals and operands, and a local of every type set at a stop, in the
// stopped frame or a caller's, is what the code goes on with: every
// stop and the result agree with the interpreter and the usual debug
// build, and the result is not the one without the sets. Also under GC
// stress (a collection at every allocation, the reference locals rooted
// in their slots).
func TestDebugSlotsStepAndSet(t *testing.T) {
	calls := []struct {
		name string
		args []runtime.Value
	}{
		{"f", []runtime.Value{runtime.I32(7), runtime.I64(100)}},
		{"sum", []runtime.Value{runtime.I32(12)}},
	}
	for _, stress := range []bool{false, true} {
		cfg := runtime.Config{GCStress: stress}
		for _, c := range calls {
			t.Run(fmt.Sprintf("%s/stress=%v", c.name, stress), func(t *testing.T) {
				plain, err := slotsInstance(t, interp.New(), cfg).ExportedFunc(c.name).Call(c.args)
				if err != nil {
					t.Fatal(err)
				}
				tiers := slotsTiers()
				ref := tiers[len(tiers)-1]
				want, wantRes := slotsStepRun(t, ref.new(), cfg, slotsWat, c.name, c.args...)
				if wantRes == fmt.Sprint(plain[0].Bits) {
					t.Fatalf("the sets did not change %s's result %s", c.name, wantRes)
				}
				for _, tier := range tiers[:len(tiers)-1] {
					got, gotRes := slotsStepRun(t, tier.new(), cfg, slotsWat, c.name, c.args...)
					if got != want || gotRes != wantRes {
						t.Errorf("%s: %s = %s, the interpreter %s; first difference:\n%s", tier.name, c.name, gotRes, wantRes, firstDiff(got, want))
					}
				}
			})
		}
	}
}

// firstDiff shows the first stop where two transcripts differ.
func firstDiff(got, want string) string {
	g, w := strings.Split(got, "--\n"), strings.Split(want, "--\n")
	for i := range min(len(g), len(w)) {
		if g[i] != w[i] {
			return fmt.Sprintf("stop %d:\n%s\nthe interpreter:\n%s", i, g[i], w[i])
		}
	}
	return fmt.Sprintf("%d stops, the interpreter %d", len(g), len(w))
}

// TestDebugSlotsTrapFrames: a trap in a callee ($div, by zero) or in the
// function itself (a remainder by zero, in straight-line code run
// without stops) leaves the interpreter's frames, locals of every type
// and operands included, and the store goes on.
func TestDebugSlotsTrapFrames(t *testing.T) {
	run := func(eng slotsEngine, z int32) (string, string) {
		inst := slotsInstance(t, eng, runtime.Config{})
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
		_, err := inst.ExportedFunc("t").Call([]runtime.Value{runtime.I32(40), runtime.I32(z)})
		env.OnTrap = nil
		var tr *runtime.Trap
		if !errors.As(err, &tr) {
			t.Fatalf("t(40, %d): %v, want a trap", z, err)
		}
		r, err := inst.ExportedFunc("t").Call([]runtime.Value{runtime.I32(40), runtime.I32(3)})
		if err != nil {
			t.Fatal(err)
		}
		return frames + tr.Msg, fmt.Sprint(r[0].Bits)
	}
	tiers := slotsTiers()
	ref := tiers[len(tiers)-1]
	for _, z := range []int32{1, 0} {
		want, wantRes := run(ref.new(), z)
		if !strings.Contains(want, "t@") {
			t.Fatalf("the interpreter's frames lack t's:\n%s", want)
		}
		for _, tier := range tiers[:len(tiers)-1] {
			got, gotRes := run(tier.new(), z)
			if got != want || gotRes != wantRes {
				t.Errorf("%s: t(40, %d) trapped with frames\n%s\nthe interpreter's\n%s\n(then t(40, 3) = %s, the interpreter %s)", tier.name, z, got, want, gotRes, wantRes)
			}
		}
	}
}

// TestDebugSlotsBreakInLoop: a breakpoint in the second loop of $sum
// (versioned: its fast copy runs until the breakpoint arms the word)
// stops with the interpreter's frame at each iteration; the counter set
// past the end at the third stop ends the loop there.
func TestDebugSlotsBreakInLoop(t *testing.T) {
	type bpEngine interface {
		slotsEngine
		SetBreakpoint(*runtime.Func, uint32) (uint32, error)
	}
	run := func(eng bpEngine) (string, string) {
		inst := slotsInstance(t, eng, runtime.Config{})
		env := inst.Store.Env()
		sum := inst.ExportedFunc("sum")
		var at uint32 // the second loop's i32.load
		for _, in := range sum.Def.Body {
			if in.Op == wasm.OpI32Load {
				at = in.Offset
			}
		}
		if _, err := eng.SetBreakpoint(sum, at); err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		hits := 0
		env.OnBreak = func(env *runtime.ExecEnv) error {
			s, frames, err := slotsFrames(eng, env)
			if err != nil {
				return err
			}
			b.WriteString(s)
			if hits++; hits == 3 {
				fr := frames[len(frames)-1]
				env.Slots[fr.base+fr.sh.LocalSlots[1]] = 1000 // $i
			}
			return nil
		}
		r, err := sum.Call([]runtime.Value{runtime.I32(40)})
		env.OnBreak = nil
		if err != nil {
			t.Fatal(err)
		}
		return b.String(), fmt.Sprint(r[0].Bits)
	}
	want, wantRes := run(interp.New())
	if strings.Count(want, "sum@") != 3 {
		t.Fatalf("the interpreter stopped %d times, want 3:\n%s", strings.Count(want, "sum@"), want)
	}
	for _, tier := range slotsTiers()[:2] {
		got, gotRes := run(tier.new().(bpEngine))
		if got != want || gotRes != wantRes {
			t.Errorf("%s: stops\n%s\nresult %s; the interpreter's\n%s\nresult %s", tier.name, got, gotRes, want, wantRes)
		}
	}
}

// slotsGCWat keeps three objects only in reference locals while a loop
// allocates garbage (under GC stress a collection at every allocation)
// and reads their fields: a root missing from a stack map frees one and
// a later allocation reuses its memory.
const slotsGCWat = `(module
  (type $box (struct (field (mut i32))))
  (func (export "gc") (param $n i32) (result i32)
    (local $a (ref null $box)) (local $b (ref null $box)) (local $c (ref null $box))
    (local $i i32) (local $sum i32)
    (local.set $a (struct.new $box (i32.const 1)))
    (local.set $b (struct.new $box (i32.const 20)))
    (local.set $c (struct.new $box (i32.const 300)))
    (loop $l
      (drop (struct.new $box (i32.add (local.get $i) (i32.const 4000))))
      (local.set $sum (i32.add (local.get $sum)
        (i32.add (struct.get $box 0 (local.get $a))
          (i32.add (struct.get $box 0 (local.get $b)) (struct.get $box 0 (local.get $c))))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
    (local.get $sum)))`

// TestDebugSlotsGCRoots: reference locals kept in their slots are roots
// at every safepoint: under GC stress the objects they hold survive the
// loop's collections.
func TestDebugSlotsGCRoots(t *testing.T) {
	e := New(nil)
	e.Options.Debug = true
	e.Options.DebugSlotsWork = -1
	t.Cleanup(e.Close)
	s, err := runtime.NewStore(runtime.Config{Engine: e, GCStress: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	inst, err := s.Instantiate(encoded(t, slotsGCWat), nil)
	if err != nil {
		t.Fatal(err)
	}
	r, err := inst.ExportedFunc("gc").Call([]runtime.Value{runtime.I32(200)})
	if err != nil {
		t.Fatal(err)
	}
	if got := int32(r[0].Bits); got != 200*321 {
		t.Fatalf("gc(200) = %d, want %d", got, 200*321)
	}
}

// testSlotsWork and testOperandsWork, when not 0, are the
// DebugSlotsWork and DebugOperandsWork of the debug builds the tests'
// native stores make (newNativeStoreConfig).
var testSlotsWork, testOperandsWork int

// slotsForTests applies testSlotsWork and testOperandsWork to a debug
// build's engine.
func slotsForTests(e *Engine) {
	if e.Options.Debug && testSlotsWork != 0 {
		e.Options.DebugSlotsWork = testSlotsWork
	}
	if e.Options.Debug && testOperandsWork != 0 {
		e.Options.DebugOperandsWork = testOperandsWork
	}
}

// TestDebugSlotsDebuggerTests runs the debugger tests that make their
// engines through newNativeStore with every function's locals in their
// slots: stops, breakpoints set from other threads while loops run,
// stepping, `set` operands, armed threads, call results.
func TestDebugSlotsDebuggerTests(t *testing.T) {
	testSlotsWork = -1
	t.Cleanup(func() { testSlotsWork = 0 })
	for _, tc := range []struct {
		name string
		run  func(*testing.T)
	}{
		{"BuildExamples", TestDebugBuildExamples},
		{"StopsMatchInterpreter", TestDebugStopsMatchInterpreter},
		{"BreakReadWrite", TestDebugBreakReadWrite},
		{"BuildCallResults", TestDebugBuildCallResults},
		{"LoopStopsMatchInterpreter", TestDebugLoopStopsMatchInterpreter},
		{"BreakSetWhileLooping", TestDebugBreakSetWhileLooping},
		{"BreakSetWhileChunkLooping", TestDebugBreakSetWhileChunkLooping},
		{"ArmedThreads", TestDebugArmedThreads},
		{"RecInlineDebugStops", TestRecInlineDebugStops},
	} {
		t.Run(tc.name, tc.run)
	}
}
