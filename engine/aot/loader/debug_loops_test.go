package loader

import (
	"errors"
	"slices"
	"sync/atomic"
	"testing"
	"time"
	"unsafe"

	"github.com/gcscope/gcscope/engine/interp"
	"github.com/gcscope/gcscope/engine/runtime"
	"github.com/gcscope/gcscope/engine/wasm"
)

// Debug builds run call-free loops in the release builds' fast copy
// while the interrupt word is clear and move to the debug copy, with
// every stop, when it is set (compile/debug_loops.go).

// debugLoopEngine is what these tests need of both engines.
type debugLoopEngine interface {
	runtime.Engine
	SetBreakpoint(*runtime.Func, uint32) (uint32, error)
	ClearBreakpoint(*runtime.Func, uint32)
	SetStepping(*runtime.ExecEnv, bool)
	Shape(*runtime.Func, uint32) (*interp.FrameShape, error)
}

// A sieve-like loop: chunked (top-tested, one step), its store and load
// guarded by the test of $i against $n; $d divides, so a zero traps
// inside the loop, and the load at $i*16 is not guarded: it traps at
// $i = 4096.
const debugLoopSrc = `(module
  (memory 1)
  (func (export "f") (param $n i32) (param $d i32) (result i32)
    (local $i i32) (local $c i32)
    (local.set $c (i32.const 7))
    (block $out
      (loop $l
        (br_if $out (i32.ge_u (local.get $i) (local.get $n)))
        (i32.store8 (local.get $i) (local.get $i))
        (local.set $c (i32.add (local.get $c)
          (i32.div_u (i32.load8_u (local.get $i)) (local.get $d))))
        (drop (i32.load (i32.mul (local.get $i) (i32.const 16))))
        (local.set $d (i32.sub (local.get $d) (i32.const 1)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $l)))
    (local.get $c)))`

// frameAt formats the innermost frame: function, offset, locals and
// operands.
func frameAt(eng debugLoopEngine, env *runtime.ExecEnv) (string, error) {
	fr := env.Frames[env.Depth-1]
	sh, err := eng.Shape(fr.Func, fr.Offset)
	if err != nil {
		return "", err
	}
	s := itoa(fr.Offset) + ":"
	for i := range sh.Locals {
		s += " " + fmtVal(sh.Locals[i], env.Slots[fr.Base+sh.LocalSlots[i]])
	}
	for d := range sh.Operands {
		s += " op:" + fmtVal(sh.Operands[d], env.Slots[fr.Base+uint32(len(sh.Locals))+uint32(d)])
	}
	return s, nil
}

// debugLoopTraceFor runs f(n, d) with a breakpoint at the instruction
// of opcode at (the first one), stepping from its first hit when step
// is set, and returns every stop's frame, the trap's frame (if any) and
// the result or error. When stepFor > 0 it clears the breakpoint and
// turns stepping off at the stepFor-th stop: the rest runs with the
// interrupt word clear.
func debugLoopTraceFor(t *testing.T, eng debugLoopEngine, inst *runtime.Instance, at wasm.Opcode, step bool, stepFor int, n, d uint32) (stops []string, trap string, res string) {
	t.Helper()
	env := inst.Store.Env()
	f := inst.ExportedFunc("f")
	var bp []uint32
	for _, in := range f.Def.Body {
		if in.Op == at {
			if _, err := eng.SetBreakpoint(f, in.Offset); err != nil {
				t.Fatal(err)
			}
			bp = append(bp, in.Offset)
			defer eng.ClearBreakpoint(f, in.Offset)
			break
		}
	}
	env.OnBreak = func(env *runtime.ExecEnv) error {
		s, err := frameAt(eng, env)
		if err != nil {
			return err
		}
		stops = append(stops, s)
		if step && len(stops) == 1 {
			eng.SetStepping(env, true)
		}
		if len(stops) == stepFor {
			eng.SetStepping(env, false)
			for _, o := range bp {
				eng.ClearBreakpoint(f, o)
			}
		}
		return nil
	}
	env.OnTrap = func(env *runtime.ExecEnv, err error) error {
		s, ferr := frameAt(eng, env)
		if ferr != nil {
			return ferr
		}
		trap = s
		return err
	}
	r, err := f.Call([]runtime.Value{runtime.I32(int32(n)), runtime.I32(int32(d))})
	eng.SetStepping(env, false)
	env.OnBreak, env.OnTrap = nil, nil
	if err != nil {
		var tr *runtime.Trap
		if !errors.As(err, &tr) {
			t.Fatal(err)
		}
		return stops, trap, "trap: " + tr.Msg
	}
	return stops, trap, fmtVal(wasm.I32, r[0].Bits)
}

// TestDebugLoopStopsMatchInterpreter: in a loop a debug build versions,
// stepping from a breakpoint before the loop stops at every instruction
// of every iteration with the interpreter's frame; a breakpoint in the
// loop, set before the call, stops in every iteration; a trap in the
// loop (a division by zero in the third iteration, or in the 2501st,
// an access out of bounds in the 4097th: in the fast copy) leaves the
// interpreter's frame. With nothing set, the results agree too.
func TestDebugLoopStopsMatchInterpreter(t *testing.T) {
	ie := interp.New()
	s, err := runtime.NewStore(runtime.Config{Engine: ie})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	iinst, err := s.Instantiate(encoded(t, debugLoopSrc), nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := interp.CompileAllForDebug(iinst); err != nil {
		t.Fatal(err)
	}
	inst, e := instantiateDebug(t, encoded(t, debugLoopSrc))
	for _, c := range []struct {
		name    string
		at      wasm.Opcode
		step    bool
		stepFor int
		n, d    uint32
	}{
		{"step from before the loop", wasm.OpI32Const, true, 0, 4, 9},
		{"break in the loop", wasm.OpI32Store8, false, 0, 5, 9},
		{"trap in the loop, stepping", wasm.OpI32Const, true, 0, 5, 2},
		{"trap in the loop", wasm.OpUnreachable, false, 0, 3000, 2500},
		{"out of bounds in the loop", wasm.OpUnreachable, false, 0, 5000, 6000},
		{"nothing set", wasm.OpUnreachable, false, 0, 3000, 5000},
		// Stepping off and the breakpoint cleared in the second
		// iteration: the rest of the loop (back in the fast copy)
		// traps or ends.
		{"step, then run to a trap", wasm.OpI32Const, true, 40, 3000, 2500},
		{"break, then run to the end", wasm.OpI32Store8, false, 2, 3000, 5000},
	} {
		t.Run(c.name, func(t *testing.T) {
			gotStops, gotTrap, got := debugLoopTraceFor(t, e, inst, c.at, c.step, c.stepFor, c.n, c.d)
			wantStops, wantTrap, want := debugLoopTraceFor(t, ie, iinst, c.at, c.step, c.stepFor, c.n, c.d)
			if got != want {
				t.Errorf("result %s, interpreter %s", got, want)
			}
			if !slices.Equal(gotStops, wantStops) {
				t.Errorf("stops\n%q\ninterpreter\n%q", gotStops, wantStops)
			}
			if c.at != wasm.OpUnreachable && c.stepFor == 0 && len(gotStops) < int(c.n) {
				t.Errorf("%d stops, want at least one per iteration (%d)", len(gotStops), c.n)
			}
			if gotTrap != wantTrap {
				t.Errorf("trap frame %q, interpreter %q", gotTrap, wantTrap)
			}
		})
	}
}

// TestDebugBreakSetWhileChunkLooping: a breakpoint set from another
// goroutine inside a loop a debug build runs in chunks
// (compile/loopchunk.go) is hit within a chunk of its setting, with the
// loop's locals as they are at that point, and a local set at the stop
// is what the loop goes on with (it ends the loop). The loop stores its
// counter at address 0 in every iteration; LLVM may keep that store in
// a register for a chunk, so the stop may come up to two chunks after
// the counter read once the breakpoint is set. Missing the breakpoint
// runs the loop to its bound (seconds) and returns it.
func TestDebugBreakSetWhileChunkLooping(t *testing.T) {
	const bound = 0xffff0000
	const chunk = 1024 // compile.chunkIters
	inst, e := instantiateDebug(t, encoded(t, `(module
  (memory 1)
  (func (export "f") (param $n i32) (result i32) (local $i i32)
    (block $out
      (loop $l
        (br_if $out (i32.ge_u (local.get $i) (local.get $n)))
        (i32.store (i32.const 0) (local.get $i))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $l)))
    (local.get $i)))`))
	f := inst.ExportedFunc("f")
	at := lastOffset(f, wasm.OpI32Store)
	env := inst.Store.Env()
	mem := inst.Mems[0].Bytes()
	counter := (*uint32)(unsafe.Pointer(&mem[0]))
	var seen atomic.Uint32 // the counter once the breakpoint was set
	hits := 0
	var stopped uint32
	var stopErr error
	env.OnBreak = func(env *runtime.ExecEnv) error {
		fr := env.Frames[env.Depth-1]
		sh, err := e.Shape(fr.Func, fr.Offset)
		if err != nil {
			stopErr = err
			return err
		}
		hits++
		if fr.Offset != at || len(sh.Locals) != 2 {
			stopErr = errors.New("stopped elsewhere")
			t.Errorf("stopped at offset %d with %d locals, want %d with 2", fr.Offset, len(sh.Locals), at)
			return nil
		}
		i := env.Frames[env.Depth-1].Base + sh.LocalSlots[1]
		stopped = uint32(env.Slots[i])
		// The counter at address 0 is the previous iteration's.
		if got := atomic.LoadUint32(counter); got+1 != stopped {
			t.Errorf("at the stop $i = %d, the memory's counter %d: the locals are not the loop's", stopped, got)
		}
		env.Slots[i] = bound // the store writes it, the loop ends at bound+1
		return nil
	}
	done := callAsync(f, []runtime.Value{runtime.Value{Type: wasm.I32, Bits: bound}})
	for atomic.LoadUint32(counter) < 1<<20 {
		time.Sleep(time.Millisecond)
	}
	if _, err := e.SetBreakpoint(f, at); err != nil {
		t.Fatal(err)
	}
	seen.Store(atomic.LoadUint32(counter))
	r := <-done
	if r.err != nil || stopErr != nil {
		t.Fatal(r.err, stopErr)
	}
	if got := uint32(r.v[0].Bits); got != bound+1 || hits != 1 {
		t.Fatalf("the loop returned %d after %d stops, want %d after 1 (the breakpoint set while it ran was missed)", got, hits, bound+1)
	}
	if late := int64(stopped) - int64(seen.Load()); late > 2*chunk+2 {
		t.Errorf("stopped at $i = %d, %d iterations after the breakpoint was set (counter %d), want at most two chunks", stopped, late, seen.Load())
	}
}
