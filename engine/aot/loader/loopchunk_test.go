package loader

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/gcscope/gcscope/engine/interp"
	"github.com/gcscope/gcscope/engine/runtime"
)

// guardedLoops has sieve's loop shapes (compile/loopguard.go,
// loopchunk.go): a store and a load at an address the loop's first test
// keeps below a bound n the loop does not change, entered in a check-free
// chunked copy only when n - 1 + offset + size fits in the memory.
const guardedLoops = `(module
  (memory 1 1)
  ;; Stores 16-bit marks at j, j+step, ... while j < n; returns the count.
  (func (export "cross") (param $j i32) (param $n i32) (param $step i32) (result i32)
    (local $c i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $j) (local.get $n)))
        (i32.store16 offset=1 (local.get $j) (i32.add (local.get $c) (i32.const 1)))
        (local.set $c (i32.add (local.get $c) (i32.const 1)))
        (local.set $j (i32.add (local.get $j) (local.get $step)))
        (br $next)))
    (local.get $c))
  ;; Counts the zero bytes in [i, n), as sieve's last loop.
  (func (export "zeros") (param $i i32) (param $n i32) (result i32)
    (local $c i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (if (i32.eqz (i32.load8_u (local.get $i)))
          (then (local.set $c (i32.add (local.get $c) (i32.const 1)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (local.get $c))
  ;; Sums the pairs of f64 at j*24 and j*24+16 while j < n, as nbody's
  ;; inner loop reads b = j*56 (one group, led by the first load).
  (func (export "pairs") (param $j i32) (param $n i32) (result f64)
    (local $b i32) (local $s f64)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $j) (local.get $n)))
        (local.set $b (i32.mul (local.get $j) (i32.const 24)))
        (local.set $s (f64.add (local.get $s)
          (f64.add (f64.load (local.get $b)) (f64.load offset=16 (local.get $b)))))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $next)))
    (local.get $s))
  ;; Stores a byte at j, j+step, ... as a do-while: the first store comes
  ;; before any test.
  (func (export "repeat") (param $j i32) (param $n i32) (param $step i32) (result i32)
    (local $c i32)
    (loop $next
      (i32.store8 offset=1 (local.get $j) (i32.const 7))
      (local.set $c (i32.add (local.get $c) (i32.const 1)))
      (local.set $j (i32.add (local.get $j) (local.get $step)))
      (br_if $next (i32.lt_u (local.get $j) (local.get $n))))
    (local.get $c)))`

// TestGuardedLoopsTrapInPlace: a loop whose range stays in the memory
// runs check-free; one whose range leaves it runs the checked copy and
// traps at the exact iteration (the marks stored before it are there) and
// instruction, as the interpreter does. It fails if the entry test
// forgets the access's offset or size (n = page-2 passes j < n but the
// store's last byte is page) or the wrapping of j.
func TestGuardedLoopsTrapInPlace(t *testing.T) {
	const page = 65536
	marks := []int{0, 1, 2, 3, page - 7, page - 6, page - 5, page - 4, page - 3, page - 2, page - 1}
	offsets := map[uint32]bool{}
	for _, c := range []struct {
		name string
		fn   string
		args []int64
		trap bool
	}{
		{"in bounds", "cross", []int64{0, page - 3, 1}, false},
		{"in bounds to the last byte", "cross", []int64{page - 8, page - 2, 2}, false},
		{"the store's last byte out", "cross", []int64{page - 8, page - 1, 2}, true},
		{"n past the memory", "cross", []int64{1, page + 5000, 3}, true},
		{"n past the memory, not reached", "cross", []int64{page - 100, page + 5000, 6000}, false},
		{"j starts out of bounds", "cross", []int64{page + 1, page + 2, 1}, true},
		{"j wraps below n", "cross", []int64{page - 20, -1, -16}, true},
		{"a large step", "cross", []int64{0, -16, 1 << 30}, true},
		{"nothing to do", "cross", []int64{9, 9, 0}, false},
		{"count in bounds", "zeros", []int64{0, page}, false},
		{"do-while in bounds", "repeat", []int64{1, page - 1, 2}, false},
		{"do-while past the memory", "repeat", []int64{page - 9, page + 9, 2}, true},
		{"do-while entered past its bound", "repeat", []int64{page - 2, 5, 1}, false},
		{"do-while entered past the memory", "repeat", []int64{page + 2, 5, 1}, true},
		{"pairs in bounds", "pairs", []int64{0, page / 24}, false},
		{"pairs: the second load out", "pairs", []int64{page/24 - 3, page/24 + 1}, true},
		{"pairs: scaled addresses that wrap into the memory", "pairs", []int64{178956971, 178956973}, false},
		{"count past the memory", "zeros", []int64{page - 40, page + 1}, true},
	} {
		args := make([]runtime.Value, len(c.args))
		for i, a := range c.args {
			args[i] = runtime.I32(int32(a))
		}
		in, aot := runBoth(t, guardedLoops, c.fn, marks, args...)
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
	if len(offsets) != 4 {
		t.Errorf("the traps came from %d instructions, want two stores and two loads: %v", len(offsets), offsets)
	}
}

// TestChunkedLoopSeesInterrupt: a chunked loop (compile/loopchunk.go),
// tested at its top or at its bottom, tests the interrupt word once per
// chunk, not never: the callback runs inside the loop until it clears
// the bit (three rounds of the outer loop test it only three times), and
// the host's grow in it does not disturb the check-free copy.
func TestChunkedLoopSeesInterrupt(t *testing.T) {
	const top = `(block $done
        (loop $next
          (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
          (local.set $c (i32.add (local.get $c) (i32.load8_u (local.get $i))))
          (i32.store8 (local.get $i) (i32.const 1))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br $next)))`
	const bottom = `(loop $next
        (local.set $c (i32.add (local.get $c) (i32.load8_u (local.get $i))))
        (i32.store8 (local.get $i) (i32.const 1))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $next (i32.lt_u (local.get $i) (local.get $n))))`
	for name, loop := range map[string]string{"top": top, "bottom": bottom} {
		t.Run(name, func(t *testing.T) { chunkedLoopSeesInterrupt(t, loop) })
	}
}

func chunkedLoopSeesInterrupt(t *testing.T, loop string) {
	inst, calls := growingInterruptInstance(t, 2, 5, `(module
  (import "host" "arm" (func $arm))
  (memory 1 2)
  (func (export "count") (param $rounds i32) (result i32)
    (local $i i32) (local $c i32) (local $n i32)
    (local.set $n (i32.const 65536))
    (call $arm)
    (loop $round
      (local.set $i (i32.const 0))
      `+loop+`
      (local.tee $rounds (i32.sub (local.get $rounds) (i32.const 1)))
      (br_if $round))
    (local.get $c)))`)
	// The first round reads zeros and stores ones; each later one reads
	// 65536 ones.
	res, err := inst.ExportedFunc("count").Call([]runtime.Value{runtime.I32(3)})
	if err != nil {
		t.Fatal(err)
	}
	if got := int32(res[0].Bits); got != 2*65536 {
		t.Errorf("count = %d, want %d", got, 2*65536)
	}
	if *calls != 5 {
		t.Errorf("the interrupt callback ran %d times, want 5 (until it cleared the bit)", *calls)
	}
	if n := len(inst.Mems[0].Bytes()); n != 2*65536 {
		t.Errorf("memory has %d bytes after the callback's grow, want %d", n, 2*65536)
	}
}

// TestGuardedLoopsAgainstInterpreter calls guardedLoops' functions with
// pseudo-random starts, bounds and steps near the memory's end and near
// 2^32, on one instance per tier, and compares every result, trap and
// offset, and the memory at the end, with the interpreter's.
func TestGuardedLoopsAgainstInterpreter(t *testing.T) {
	for _, debug := range []bool{false, true} { // debug builds: compile/debug_loops.go
		t.Run(fmt.Sprintf("debug=%v", debug), func(t *testing.T) { guardedLoopsAgainstInterpreter(t, debug) })
	}
}

func guardedLoopsAgainstInterpreter(t *testing.T, debug bool) {
	type tier struct {
		s    *runtime.Store
		inst *runtime.Instance
	}
	open := func(eng runtime.Engine) tier {
		s, err := runtime.NewStore(runtime.Config{Engine: eng})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		inst, err := s.Instantiate(parse(t, guardedLoops), nil)
		if err != nil {
			t.Fatal(err)
		}
		return tier{s, inst}
	}
	e := New(nil)
	e.Options.Debug = debug
	defer e.Close()
	in, aot := open(interp.New()), open(e)
	const page = 65536
	rng := rand.New(rand.NewPCG(7, 11))
	near := func() int64 {
		bases := []int64{0, page, page / 24, 1 << 32, 178956970}
		if rng.IntN(2) == 0 {
			return bases[rng.IntN(len(bases))] + rng.Int64N(9) - 4 // the edge itself
		}
		return bases[rng.IntN(len(bases))] + rng.Int64N(64) - 32
	}
	call := func(tr tier, fn string, args []runtime.Value) string {
		res, err := tr.inst.ExportedFunc(fn).Call(args)
		var trap *runtime.Trap
		switch {
		case errors.As(err, &trap):
			off := uint32(0)
			if len(trap.Backtrace) > 0 {
				off = trap.Backtrace[0].Offset
			}
			return fmt.Sprintf("trap %q at %d", trap.Msg, off)
		case err != nil:
			t.Fatalf("%s: %v", fn, err)
		}
		return fmt.Sprint(res)
	}
	steps := []int64{1, 2, 3, 7, 24, 4096, -1, -16, 1 << 31}
	traps := 0
	for k := 0; k < 400; k++ {
		fn := []string{"cross", "zeros", "pairs", "repeat"}[k%4]
		args := []runtime.Value{runtime.I32(int32(near())), runtime.I32(int32(near()))}
		if fn == "cross" || fn == "repeat" {
			step := steps[rng.IntN(len(steps))]
			// Keep the loops short: a small step only from near the end.
			if step > 0 && step < 4096 {
				j := int64(page - 200 + rng.IntN(100))
				args[0] = runtime.I32(int32(j))
			}
			args = append(args, runtime.I32(int32(step)))
		}
		if fn == "zeros" || fn == "pairs" {
			// Short ranges: from within 100 of the bound.
			args[0] = runtime.I32(int32(args[1].Bits) - int32(rng.IntN(100)))
		}
		want, got := call(in, fn, args), call(aot, fn, args)
		if want != got {
			t.Fatalf("call %d: %s%v: native %s, interpreter %s", k, fn, args, got, want)
		}
		if strings.HasPrefix(got, "trap") {
			traps++
		}
	}
	// Both kinds of outcome, or the calls test little.
	if traps < 40 || traps > 360 {
		t.Errorf("%d of 400 calls trapped, want a mix", traps)
	}
	t.Logf("%d of 400 calls trapped", traps)
	if !bytes.Equal(in.inst.Mems[0].Bytes(), aot.inst.Mems[0].Bytes()) {
		t.Error("memory differs from the interpreter's after the calls")
	}
}
