package loader

import (
	"errors"
	"fmt"
	"testing"

	"github.com/gcscope/gcscope/engine/interp"
	"github.com/gcscope/gcscope/engine/runtime"
)

// outcome is what a call left behind: its result or trap (message and
// the offset of the trapping instruction) and a few bytes of memory.
type outcome struct {
	result string
	trap   string
	offset uint32
	marks  string
}

// runBoth runs export fn of src with args on the interpreter and
// natively, reading the bytes at marks of memory 0 afterwards.
func runBoth(t *testing.T, src, fn string, marks []int, args ...runtime.Value) (interpOut, aotOut outcome) {
	t.Helper()
	run := func(eng runtime.Engine) outcome {
		s, err := runtime.NewStore(runtime.Config{Engine: eng})
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		inst, err := s.Instantiate(parse(t, src), nil)
		if err != nil {
			t.Fatal(err)
		}
		var o outcome
		res, err := inst.ExportedFunc(fn).Call(args)
		var tr *runtime.Trap
		switch {
		case errors.As(err, &tr):
			o.trap = tr.Msg
			if len(tr.Backtrace) > 0 {
				o.offset = tr.Backtrace[0].Offset
			}
		case err != nil:
			t.Fatalf("%s: %v", fn, err)
		default:
			o.result = fmt.Sprint(res)
		}
		mem := inst.Mems[0].Bytes()
		for _, m := range marks {
			o.marks += fmt.Sprintf("%d=%d ", m, mem[m])
		}
		return o
	}
	e := New(nil)
	defer e.Close()
	return run(interp.New()), run(e)
}

// TestCoalescedChecksTrapInPlace: the loads of a struct walk share one
// bounds check (compile/boundsgroup.go); when it fails, the trap is still
// the one of the first access out of bounds, at its offset, after the
// stores before the group, with memory as the interpreter leaves it.
func TestCoalescedChecksTrapInPlace(t *testing.T) {
	const src = `(module
  (memory 1 1)
  (memory 1 1)
  (func (export "walk") (param $a i32) (param $b i32) (result f64)
    (i32.store8 (i32.const 7) (i32.const 1))
    (i32.store8 (i32.const 8) (i32.const 2))
    (f64.add
      (f64.add
        (f64.add (f64.load offset=0 (local.get $a)) (f64.load offset=0 (local.get $b)))
        (f64.add (f64.load offset=8 (local.get $a)) (f64.load 1 offset=8 (local.get $b))))
      (f64.add (f64.load offset=16 (local.get $a)) (f64.load offset=8 (local.get $b)))))
  (func (export "walk_store") (param $a i32)
    (i32.store8 (i32.const 7) (i32.const 3))
    (f64.store offset=24 (local.get $a)
      (f64.add (f64.load offset=0 (local.get $a)) (f64.load offset=8 (local.get $a))))))`
	const page = 65536
	offsets := map[uint32]bool{}
	for _, c := range []struct {
		name string
		fn   string
		args []runtime.Value
		trap bool
	}{
		{"in bounds", "walk", []runtime.Value{runtime.I32(page - 24), runtime.I32(page - 16)}, false},
		{"first of a's group", "walk", []runtime.Value{runtime.I32(page - 4), runtime.I32(0)}, true},
		{"middle of a's group", "walk", []runtime.Value{runtime.I32(page - 12), runtime.I32(0)}, true},
		{"last of a's group", "walk", []runtime.Value{runtime.I32(page - 20), runtime.I32(0)}, true},
		{"b before a's failing access", "walk", []runtime.Value{runtime.I32(page - 12), runtime.I32(page - 4)}, true},
		{"b in memory 1 before a's last", "walk", []runtime.Value{runtime.I32(page - 20), runtime.I32(page - 12)}, true},
		{"b's last access", "walk", []runtime.Value{runtime.I32(0), runtime.I32(page - 12)}, true},
		{"wrapping address", "walk", []runtime.Value{runtime.I32(-8), runtime.I32(0)}, true},
		{"final store", "walk_store", []runtime.Value{runtime.I32(page - 32)}, false},
		{"final store out of bounds", "walk_store", []runtime.Value{runtime.I32(page - 24)}, true},
		{"a load before the final store", "walk_store", []runtime.Value{runtime.I32(page - 12)}, true},
	} {
		in, aot := runBoth(t, src, c.fn, []int{7, 8}, c.args...)
		if in != aot {
			t.Errorf("%s: native %+v, interpreter %+v", c.name, aot, in)
		}
		if (aot.trap != "") != c.trap {
			t.Errorf("%s: trap %q, want a trap: %v", c.name, aot.trap, c.trap)
		}
		if c.trap {
			offsets[aot.offset] = true
		}
	}
	// The cases trap at different instructions: a check that trapped at
	// the group's first access for all of them would be caught above,
	// as long as the interpreter's offsets differ.
	if len(offsets) < 5 {
		t.Errorf("the traps came from %d instructions, want at least 5: %v", len(offsets), offsets)
	}
}

// TestCoalescedChecksAfterGrow: memory.grow (a call) ends a group; the
// group after it checks against the grown size.
func TestCoalescedChecksAfterGrow(t *testing.T) {
	const src = `(module
  (memory 1 2)
  (func (export "grow_walk") (param $a i32) (result f64)
    (drop (f64.load offset=0 (i32.const 0)))
    (drop (memory.grow (i32.const 1)))
    (f64.add (f64.load offset=0 (local.get $a)) (f64.load offset=16 (local.get $a)))))`
	for _, c := range []struct {
		a    int32
		trap bool
	}{{65536 - 8, false}, {2*65536 - 4, true}, {2*65536 - 16, true}, {2*65536 - 24, false}} {
		in, aot := runBoth(t, src, "grow_walk", nil, runtime.I32(c.a))
		if in != aot {
			t.Errorf("a=%d: native %+v, interpreter %+v", c.a, aot, in)
		}
		if (aot.trap != "") != c.trap {
			t.Errorf("a=%d: trap %q, want a trap: %v", c.a, aot.trap, c.trap)
		}
	}
}

// TestVersionedLoopSeesHostGrow: nbody's inner loop shape (an address the
// loop does not change) makes the compiler version the loop
// (compile/loopversion.go): its fast copy keeps the memory size in a
// register across the interrupt check. Here the host grows the memory in
// the interrupt callback while the fast copy runs, and the loop then
// walks into the new page: the code must notice the new size (switching
// to the slow copy) rather than trap.
func TestVersionedLoopSeesHostGrow(t *testing.T) {
	inst, calls := growingInterruptInstance(t, 3, 6, `(module
  (import "host" "arm" (func $arm))
  (memory 1 2)
  ;; Sums the words at base, base+16384, ... (n of them), plus the word
  ;; at a fixed address in every iteration; base+... reaches page 2.
  (func (export "walk") (param $base i32) (param $n i32) (result i32)
    (local $fixed i32) (local $sum i32)
    (local.set $fixed (i32.const 64))
    (drop (i32.load offset=4 (local.get $fixed)))
    (call $arm)
    (block $done
      (loop $l
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $sum (i32.add (local.get $sum)
          (i32.add (i32.load (local.get $fixed)) (i32.load (local.get $base)))))
        (local.set $base (i32.add (local.get $base) (i32.const 16384)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $l)))
    (local.get $sum)))`)
	// Word 16 (address 64) is 0 and so is everything else: the sum is 0
	// when every access succeeds; 7 iterations reach 98304, in page 2.
	res, err := inst.ExportedFunc("walk").Call([]runtime.Value{runtime.I32(0), runtime.I32(7)})
	if err != nil {
		t.Fatalf("walk after the host grew the memory in the interrupt callback: %v", err)
	}
	if got := int32(res[0].Bits); got != 0 {
		t.Fatalf("walk = %d, want 0", got)
	}
	if *calls < 3 {
		t.Fatalf("the interrupt callback ran %d times, want the grow (3rd) inside the loop", *calls)
	}
	// Past the grown memory the walk still traps.
	_, err = inst.ExportedFunc("walk").Call([]runtime.Value{runtime.I32(2*65536 - 16384), runtime.I32(2)})
	var tr *runtime.Trap
	if !errors.As(err, &tr) || tr.Msg != "out of bounds memory access" {
		t.Fatalf("walk past the grown memory: %v, want out of bounds memory access", err)
	}
}

// growingInterruptInstance instantiates src (which imports host.arm,
// registerArm's function) on a native store whose interrupt callback
// grows memory 0 by a page at its growAt-th run and clears the armed bit
// at its clearAt-th; calls counts the callback's runs.
func growingInterruptInstance(t *testing.T, growAt, clearAt int, src string) (inst *runtime.Instance, calls *int) {
	t.Helper()
	s, _ := newNativeStore(t, nil, nil)
	const bit = 1 << 4
	env := s.Env()
	calls = new(int)
	env.OnInterrupt = func(env *runtime.ExecEnv) error {
		*calls++
		if *calls == growAt {
			if _, ok := inst.Mems[0].Grow(1); !ok {
				return errors.New("grow failed")
			}
		}
		if *calls == clearAt {
			env.Interrupt.Clear(bit)
		}
		return nil
	}
	registerArm(t, s, env, bit)
	var err error
	inst, err = s.Instantiate(parse(t, src), nil)
	if err != nil {
		t.Fatal(err)
	}
	return inst, calls
}

// TestVersionedLoopControl: a versioned loop (an address the loop does
// not assign) with if/else, br_table and exits to two outer blocks, and
// traps at the invariant address, at the changing one, and from a
// division, all where the interpreter has them.
func TestVersionedLoopControl(t *testing.T) {
	const src = `(module
  (memory 1 1)
  (func (export "run") (param $base i32) (param $p i32) (param $n i32) (param $d i32) (result i32)
    (local $s i32)
    (block $out2
      (block $out1
        (loop $l
          (br_if $out1 (i32.eqz (local.get $n)))
          (if (i32.and (local.get $n) (i32.const 1))
            (then (local.set $s (i32.add (local.get $s) (i32.load offset=4 (local.get $base)))))
            (else (local.set $s (i32.sub (local.get $s) (i32.load8_u (local.get $p))))))
          (i32.store offset=8 (local.get $base) (local.get $s))
          (local.set $s (i32.add (local.get $s) (i32.div_u (i32.const 100) (local.get $d))))
          (local.set $p (i32.add (local.get $p) (i32.const 4096)))
          (local.set $n (i32.sub (local.get $n) (i32.const 1)))
          (block $b0 (block $b1
            (br_table $b0 $b1 $out2 (i32.shr_u (local.get $d) (i32.const 4))))
            (local.set $s (i32.add (local.get $s) (i32.const 1))))
          (br $l)))
      (return (i32.add (local.get $s) (i32.const 1000))))
    (i32.sub (local.get $s) (i32.const 1000))))`
	const page = 65536
	for _, c := range []struct {
		name          string
		base, p, n, d int32
		trap          bool
	}{
		{"to the end", 16, 0, 9, 1, false},
		{"to the end through the other arm", 16, 0, 9, 16, false},
		{"leaves by br_table", 16, 0, 6, 32, false},
		{"invariant address out of bounds", page - 6, 0, 5, 1, true},
		{"the store out of bounds", page - 10, 0, 5, 1, true},
		{"the walking address leaves the memory", 16, 4096*12 + 7, 12, 1, true},
		{"division by zero", 16, 0, 5, 0, true},
	} {
		args := []runtime.Value{runtime.I32(c.base), runtime.I32(c.p), runtime.I32(c.n), runtime.I32(c.d)}
		marks := []int{int(c.base+8) % page, int(c.base+9) % page}
		in, aot := runBoth(t, src, "run", marks, args...)
		if in != aot {
			t.Errorf("%s: native %+v, interpreter %+v", c.name, aot, in)
		}
		if (aot.trap != "") != c.trap {
			t.Errorf("%s: trap %q, want a trap: %v", c.name, aot.trap, c.trap)
		}
	}
}
