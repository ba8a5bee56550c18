package loader

import (
	"fmt"
	"strings"
	"testing"

	"github.com/gcscope/gcscope/engine/interp"
	"github.com/gcscope/gcscope/engine/runtime"
	"github.com/gcscope/gcscope/engine/wasm"
)

// debugLeafWat has leaves a debug build calls through clones
// (compile/debug_leaf.go): cons (allocates), quot (may divide by zero)
// and apply, a stub whose call_ref reaches twice (a leaf target, called
// through its clone in the switch) or the host function h. run's frame
// (locals n, i, acc, l and the operands under each call) fits an owed
// commit, references included, so the clones owe it: nothing stores it
// in the loop until a clone reaches a stop, a helper or a trap. h, called
// from apply's clone at i = 5, sets a breakpoint at apply's end: the
// stop comes in the clone, which must have paid run's frame.
const debugLeafWat = `(module
  (type $fn (func (param i32) (result i32)))
  (type $cell (struct (field i32) (field (ref null $cell))))
  (import "env" "h" (func $h (type $fn)))
  (elem declare func $twice $h)
  (func $twice (type $fn) (i32.mul (local.get 0) (i32.const 2)))
  (func $apply (param $x i32) (param $f (ref $fn)) (result i32)
    (call_ref $fn (local.get $x) (local.get $f)))
  (func $cons (param i32) (param (ref null $cell)) (result (ref $cell))
    (struct.new $cell (local.get 0) (local.get 1)))
  (func $quot (param i32 i32) (result i32)
    (i32.div_u (local.get 0) (local.get 1)))
  (func $sum (param $l (ref null $cell)) (result i32)
    (local $s i32) (local $c (ref $cell))
    (block $done
      (loop $walk
        (local.set $c (br_on_null $done (local.get $l)))
        (local.set $s (i32.add (i32.mul (local.get $s) (i32.const 31)) (struct.get $cell 0 (local.get $c))))
        (local.set $l (struct.get $cell 1 (local.get $c)))
        (br $walk)))
    (local.get $s))
  (func (export "run") (param $n i32) (param $z i32) (result i32)
    (local $i i32) (local $acc i32) (local $l (ref null $cell))
    (block $done
      (loop $more
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $l (call $cons (local.get $i) (local.get $l)))
        (local.set $acc (i32.add (local.get $acc)
          (call $apply (local.get $i)
            (select (result (ref $fn)) (ref.func $h) (ref.func $twice)
              (i32.eq (local.get $i) (i32.const 5))))))
        (local.set $acc (i32.add (local.get $acc)
          (call $quot (i32.const 1000) (i32.sub (local.get $i) (local.get $z)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $more)))
    (i32.add (local.get $acc) (call $sum (local.get $l)))))`

// runDebugLeaf runs run(n, z) on eng: h sets a breakpoint at apply's end
// when called; at each stop every frame is printed and, at the first
// three, run's $acc grows by 1000 and its $i by 1 when below 7 (a `set`
// the code must see). It returns the stops, the result or the trap,
// and the frames at the trap.
func runDebugLeaf(t *testing.T, eng leafDebugEngine, prep func(*runtime.Instance) error, cfg runtime.Config, n, z int32) (stops []string, res string, trapped string) {
	t.Helper()
	cfg.Engine = eng
	s, err := runtime.NewStore(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	var apply *runtime.Func
	var end uint32
	host := s.NewHostInstance("env")
	ft := wasm.CompositeType{Kind: wasm.CompFunc, Params: []wasm.ValType{runtime.I32(0).Type}, Results: []wasm.ValType{runtime.I32(0).Type}}
	if _, err := host.DefineFunc("h", ft, func(_ *runtime.Instance, args []runtime.Value) ([]runtime.Value, error) {
		if _, err := eng.SetBreakpoint(apply, end); err != nil {
			return nil, err
		}
		return []runtime.Value{runtime.I32(int32(args[0].Bits) + 100)}, nil
	}); err != nil {
		t.Fatal(err)
	}
	s.Register("env", host)
	inst, err := s.Instantiate(encoded(t, debugLeafWat), s)
	if err != nil {
		t.Fatal(err)
	}
	if prep != nil {
		if err := prep(inst); err != nil {
			t.Fatal(err)
		}
	}
	run := inst.ExportedFunc("run")
	apply = inst.Funcs[2] // h is 0, twice 1
	if apply == nil || apply.Def == nil {
		t.Fatal("apply not found")
	}
	end = apply.Def.Body[len(apply.Def.Body)-1].Offset
	hits := 0
	env := s.Env()
	env.OnBreak = func(env *runtime.ExecEnv) error {
		hits++
		text, frames, err := slotsFrames(eng, env)
		if err != nil {
			return err
		}
		stops = append(stops, text)
		if hits <= 3 {
			for _, fr := range frames[:1] { // run
				env.Slots[fr.base+fr.sh.LocalSlots[3]] += 1000 // $acc
				if i := &env.Slots[fr.base+fr.sh.LocalSlots[2]]; *i < 7 {
					*i++ // $i
				}
			}
		}
		return nil
	}
	env.OnTrap = func(env *runtime.ExecEnv, terr error) error {
		text, _, err := slotsFrames(eng, env)
		trapped = text
		if err != nil {
			return err
		}
		return terr
	}
	r, err := run.Call([]runtime.Value{runtime.I32(n), runtime.I32(z)})
	if err != nil {
		return stops, "trap: " + strings.SplitN(err.Error(), "\n", 2)[0], trapped
	}
	return stops, fmt.Sprint(r[0].Bits), trapped
}

// leafDebugEngine is what runDebugLeaf needs of both tiers.
type leafDebugEngine interface {
	debugEngine
	SetStepping(*runtime.ExecEnv, bool)
}

// TestDebugLeafClones: stops in a leaf clone reached with its caller's
// commit owed, a `set` there of the caller's locals, and traps in a
// leaf clone (a division by zero at iteration z) show the interpreter's
// frames, with and without a collection at every allocation, and the
// results agree.
func TestDebugLeafClones(t *testing.T) {
	for _, stress := range []bool{false, true} {
		for _, c := range []struct{ n, z int32 }{{12, 100}, {12, 9}, {4, 3}} {
			t.Run(fmt.Sprintf("stress=%v/n=%d/z=%d", stress, c.n, c.z), func(t *testing.T) {
				cfg := runtime.Config{GCStress: stress}
				e := New(nil)
				e.Options.Debug = true
				t.Cleanup(e.Close)
				got, gotRes, gotTrap := runDebugLeaf(t, e, nil, cfg, c.n, c.z)
				want, wantRes, wantTrap := runDebugLeaf(t, interp.New(), interp.CompileAllForDebug, cfg, c.n, c.z)
				if gotRes != wantRes {
					t.Errorf("run = %s, the interpreter %s", gotRes, wantRes)
				}
				if c.n > 5 && c.z > 5 && len(want) < 3 {
					t.Errorf("%d stops on the interpreter", len(want))
				}
				if len(got) != len(want) {
					t.Fatalf("%d stops, the interpreter %d:\n%s\nthe interpreter:\n%s", len(got), len(want), strings.Join(got, "\n"), strings.Join(want, "\n"))
				}
				for i := range want {
					if got[i] != want[i] {
						t.Fatalf("stop %d:\n%s\nthe interpreter:\n%s", i, got[i], want[i])
					}
				}
				if gotTrap != wantTrap {
					t.Fatalf("frames at the trap:\n%s\nthe interpreter:\n%s", gotTrap, wantTrap)
				}
			})
		}
	}
}

// owedRefsWat is a recursion whose frames hold a reference (the box
// local, and the first call's result under the second call) across its
// self-calls, so a debug build's levels owe their callers' commits with
// the reference in them (compile/debug_owed.go): nothing stores the box
// until a level reaches a stop, a helper (each struct.new's slow path,
// at every allocation under GC stress) or a call. h, called at the 5th
// leaf, sets a breakpoint after its call.
const owedRefsWat = `(module
  (type $box (struct (field i32)))
  (import "env" "h" (func $h (param i32)))
  (func $f (export "f") (param $n i32) (result i32)
    (local $k i32) (local $b (ref null $box))
    (local.set $b (struct.new $box (i32.mul (local.get $n) (i32.const 3))))
    (local.set $k (local.get $n))
    (if (result i32) (i32.lt_u (local.get $n) (i32.const 2))
      (then
        (call $h (local.get $n))
        (i32.add (local.get $k) (struct.get $box 0 (ref.as_non_null (local.get $b)))))
      (else
        (i32.add
          (call $f (i32.sub (local.get $n) (i32.const 1)))
          (i32.add
            (call $f (i32.sub (local.get $n) (i32.const 2)))
            (i32.add (local.get $k) (struct.get $box 0 (ref.as_non_null (local.get $b))))))))))`

// runOwedRefs runs f(9) on eng: at each stop every frame is printed and,
// at the first three, each caller frame's $k grows by 100.
func runOwedRefs(t *testing.T, eng leafDebugEngine, prep func(*runtime.Instance) error, cfg runtime.Config) (stops []string, res uint64) {
	t.Helper()
	cfg.Engine = eng
	s, err := runtime.NewStore(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	f := breakAtFifthHostCall(t, s, eng, owedRefsWat, prep)
	hits := 0
	env := s.Env()
	env.OnBreak = func(env *runtime.ExecEnv) error {
		hits++
		text, frames, err := slotsFrames(eng, env)
		if err != nil {
			return err
		}
		stops = append(stops, text)
		if hits <= 3 {
			for _, fr := range frames[:len(frames)-1] { // the callers
				env.Slots[fr.base+fr.sh.LocalSlots[1]] += 100 // $k
			}
		}
		return nil
	}
	r, err := f.Call([]runtime.Value{runtime.I32(9)})
	if err != nil {
		t.Fatal(err)
	}
	return stops, r[0].Bits
}

// TestDebugOwedReferences: stops reached with the callers' commits owed,
// references in them, show the interpreter's frames (the box local
// non-null in every caller), sets in the callers' frames reach the code,
// and the boxes survive a collection at every allocation.
func TestDebugOwedReferences(t *testing.T) {
	for _, stress := range []bool{false, true} {
		t.Run(fmt.Sprintf("stress=%v", stress), func(t *testing.T) {
			cfg := runtime.Config{GCStress: stress}
			e := New(nil)
			e.Options.Debug = true
			t.Cleanup(e.Close)
			got, gotRes := runOwedRefs(t, e, nil, cfg)
			want, wantRes := runOwedRefs(t, interp.New(), interp.CompileAllForDebug, cfg)
			if gotRes != wantRes {
				t.Errorf("f(9) = %d, the interpreter %d", gotRes, wantRes)
			}
			if len(want) < 10 || len(got) != len(want) {
				t.Fatalf("%d stops, the interpreter %d", len(got), len(want))
			}
			for i := range want {
				if got[i] != want[i] {
					t.Fatalf("stop %d:\n%s\nthe interpreter:\n%s", i, got[i], want[i])
				}
			}
		})
	}
}
