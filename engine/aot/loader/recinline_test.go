package loader

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/gcscope/gcscope/engine/aot/compile"
	"github.com/gcscope/gcscope/engine/interp"
	"github.com/gcscope/gcscope/engine/runtime"
	"github.com/gcscope/gcscope/engine/wasm"
)

// Functions the compiler inlines into themselves (compile/recinline.go):
// every one calls itself at two or more sites. trapAt traps at the first
// frame whose n is d, some levels below the function's own, so the
// backtrace crosses inlined levels; deep recurses until the stacks run
// out; make and check build and walk a tree of structs, the first
// subtree live on the operand stack across the second call; divAt
// divides by zero at the first frame whose n is d, before its leaf test,
// so in the code a probe runs (compile/recprobe.go) when d < 2.
const selfRecWat = `(module
  (memory 1)
  (type $node (struct (field (ref null $node)) (field (ref null $node)) (field i32)))
  (func $fib (export "fib") (param i32) (result i32)
    (if (result i32) (i32.lt_u (local.get 0) (i32.const 2))
      (then (local.get 0))
      (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1)))
                     (call $fib (i32.sub (local.get 0) (i32.const 2)))))))
  (func $trib (export "trib") (param i32) (result i64)
    (if (result i64) (i32.lt_u (local.get 0) (i32.const 3))
      (then (i64.extend_i32_u (local.get 0)))
      (else (i64.add (call $trib (i32.sub (local.get 0) (i32.const 1)))
              (i64.mul (i64.const 3)
                (i64.sub (call $trib (i32.sub (local.get 0) (i32.const 2)))
                         (call $trib (i32.sub (local.get 0) (i32.const 3)))))))))
  (func $trapAt (export "trapAt") (param $n i32) (param $d i32) (result i32)
    (if (i32.eq (local.get $n) (local.get $d))
      (then (drop (i32.load (i32.const -4)))))
    (if (result i32) (i32.lt_u (local.get $n) (i32.const 2))
      (then (local.get $n))
      (else (i32.add (call $trapAt (i32.sub (local.get $n) (i32.const 1)) (local.get $d))
                     (call $trapAt (i32.sub (local.get $n) (i32.const 2)) (local.get $d))))))
  (func $pair (export "pair") (param i32 f64) (result i32 f64)
    (local i32 f64)
    (if (result i32 f64) (i32.lt_u (local.get 0) (i32.const 2))
      (then (local.get 0) (local.get 1))
      (else
        (call $pair (i32.sub (local.get 0) (i32.const 1)) (f64.mul (local.get 1) (f64.const 1.5)))
        (local.set 3) (local.set 2)
        (call $pair (i32.sub (local.get 0) (i32.const 2)) (f64.add (local.get 1) (f64.const 0.25)))
        (f64.add (local.get 3))
        (local.set 3)
        (i32.add (local.get 2))
        (local.get 3))))
  (func $deep (export "deep") (param i32) (result i32)
    (if (result i32) (i32.eqz (local.get 0))
      (then (i32.const 0))
      (else (i32.add (call $deep (i32.add (local.get 0) (i32.const 1)))
                     (call $deep (i32.const 0))))))
  (func $make (param $d i32) (result (ref null $node))
    (if (result (ref null $node)) (i32.eqz (local.get $d))
      (then (struct.new $node (ref.null $node) (ref.null $node) (i32.const 1)))
      (else (struct.new $node
              (call $make (i32.sub (local.get $d) (i32.const 1)))
              (call $make (i32.sub (local.get $d) (i32.const 1)))
              (local.get $d)))))
  (func $check (param $t (ref null $node)) (result i32)
    (if (result i32) (ref.is_null (local.get $t))
      (then (i32.const 0))
      (else (i32.add (i32.add (struct.get $node 2 (local.get $t))
                              (call $check (struct.get $node 0 (local.get $t))))
                     (call $check (struct.get $node 1 (local.get $t)))))))
  (func (export "tree") (param i32) (result i32) (call $check (call $make (local.get 0))))
  (func $divAt (export "divAt") (param $n i32) (param $d i32) (result i32)
    (local $q i32)
    (local.set $q (i32.div_u (i32.const 1) (i32.sub (local.get $n) (local.get $d))))
    (if (result i32) (i32.lt_u (local.get $n) (i32.const 2))
      (then (i32.add (local.get $n) (local.get $q)))
      (else (i32.add (call $divAt (i32.sub (local.get $n) (i32.const 1)) (local.get $d))
                     (call $divAt (i32.sub (local.get $n) (i32.const 2)) (local.get $d)))))))`

// recStores instantiates selfRecWat on the interpreter and natively (with
// the given compile options and store configuration).
func recStores(t *testing.T, opts compile.Options, cfg runtime.Config) (ref, got *runtime.Instance, s *runtime.Store) {
	t.Helper()
	return pairStores(t, selfRecWat, opts, cfg)
}

// pairStores instantiates wat on the interpreter (ref) and natively with
// opts (got, in store s), both stores made with cfg but for the engine.
func pairStores(t *testing.T, wat string, opts compile.Options, cfg runtime.Config) (ref, got *runtime.Instance, s *runtime.Store) {
	t.Helper()
	m := encoded(t, wat) // with offsets and line tables, as the debugger's modules
	icfg := cfg
	icfg.Engine = interp.New()
	is, err := runtime.NewStore(icfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { is.Close() })
	if ref, err = is.Instantiate(m, nil); err != nil {
		t.Fatal(err)
	}
	e := New(nil)
	e.Options = opts
	cfg.Engine = e
	s, err = runtime.NewStore(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close(); e.Close() })
	if got, err = s.Instantiate(m, nil); err != nil {
		t.Fatal(err)
	}
	return ref, got, s
}

// recBuilds are the builds that inline: optimized release and debug.
var recBuilds = []struct {
	name string
	opts compile.Options
}{
	{"O2", compile.Options{OptLevel: 2}},
	{"O3", compile.Options{OptLevel: 3}},
	{"O2-debug", compile.Options{OptLevel: 2, Debug: true}},
	{"O2-chunks", compile.Options{OptLevel: 2, ChunkInstrs: 1, Workers: 2}},
	{"O2-debug-chunks", compile.Options{OptLevel: 2, Debug: true, ChunkInstrs: 1, Workers: 2}}, // fast versions in their function's chunk
}

// TestRecInlineResults: the inlined functions compute what the
// interpreter computes, at depths below, at and beyond the levels.
func TestRecInlineResults(t *testing.T) {
	for _, b := range recBuilds {
		t.Run(b.name, func(t *testing.T) {
			ref, got, _ := recStores(t, b.opts, runtime.Config{})
			for _, c := range []struct {
				fn   string
				args []runtime.Value
			}{
				{"fib", []runtime.Value{runtime.I32(0)}}, {"fib", []runtime.Value{runtime.I32(1)}},
				{"fib", []runtime.Value{runtime.I32(7)}}, {"fib", []runtime.Value{runtime.I32(8)}},
				{"fib", []runtime.Value{runtime.I32(9)}}, {"fib", []runtime.Value{runtime.I32(23)}},
				{"trib", []runtime.Value{runtime.I32(2)}}, {"trib", []runtime.Value{runtime.I32(15)}},
				{"trapAt", []runtime.Value{runtime.I32(20), runtime.I32(100)}},
				{"divAt", []runtime.Value{runtime.I32(21), runtime.I32(100)}},
				{"tree", []runtime.Value{runtime.I32(0)}}, {"tree", []runtime.Value{runtime.I32(11)}},
				{"pair", []runtime.Value{runtime.I32(1), runtime.F64(math.Float64bits(2))}},
				{"pair", []runtime.Value{runtime.I32(17), runtime.F64(math.Float64bits(0.5))}},
			} {
				sameResults(t, ref, got, c.fn, c.args)
			}
		})
	}
}

// TestRecInlineTrapBacktrace: a trap some levels deep names the same
// frames (function and offset, every one) as the interpreter's.
func TestRecInlineTrapBacktrace(t *testing.T) {
	for _, b := range recBuilds {
		t.Run(b.name, func(t *testing.T) {
			ref, got, _ := recStores(t, b.opts, runtime.Config{})
			for _, d := range []int32{19, 13, 12, 5, 2} {
				args := []runtime.Value{runtime.I32(20), runtime.I32(d)}
				want := trapOf(t, ref, "trapAt", args)
				tr := trapOf(t, got, "trapAt", args)
				if tr.Msg != want.Msg || !sameFrames(tr.Backtrace, want.Backtrace) {
					t.Fatalf("trapAt(20, %d): %q at\n%v\nthe interpreter: %q at\n%v", d, tr.Msg, tr.Backtrace, want.Msg, want.Backtrace)
				}
				if len(tr.Backtrace) != int(21-d) {
					t.Fatalf("trapAt(20, %d): %d frames, want %d", d, len(tr.Backtrace), 21-d)
				}
			}
			for _, d := range []int32{0, 1, 2, 7} {
				args := []runtime.Value{runtime.I32(18), runtime.I32(d)}
				want := trapOf(t, ref, "divAt", args)
				tr := trapOf(t, got, "divAt", args)
				if tr.Msg != want.Msg || !sameFrames(tr.Backtrace, want.Backtrace) {
					t.Fatalf("divAt(18, %d): %q at\n%v\nthe interpreter: %q at\n%v", d, tr.Msg, tr.Backtrace, want.Msg, want.Backtrace)
				}
			}
		})
	}
}

// TestRecInlineStackExhausted: recursion through inlined levels ends in
// "call stack exhausted", not a crash, with the interpreter's frames at
// both ends of the backtrace (the depth at which each tier's stacks run
// out differs); the instance works afterwards.
func TestRecInlineStackExhausted(t *testing.T) {
	for _, b := range recBuilds {
		t.Run(b.name, func(t *testing.T) {
			ref, got, _ := recStores(t, b.opts, runtime.Config{})
			args := []runtime.Value{runtime.I32(1)}
			want := trapOf(t, ref, "deep", args)
			tr := trapOf(t, got, "deep", args)
			if tr.Msg != "call stack exhausted" || tr.Msg != want.Msg {
				t.Fatalf("trap %q, the interpreter %q", tr.Msg, want.Msg)
			}
			const n = 64
			if len(tr.Backtrace) < 1000 || len(want.Backtrace) < n {
				t.Fatalf("%d frames (the interpreter %d)", len(tr.Backtrace), len(want.Backtrace))
			}
			if !sameFrames(tr.Backtrace[:n], want.Backtrace[:n]) ||
				!sameFrames(tr.Backtrace[len(tr.Backtrace)-n:], want.Backtrace[len(want.Backtrace)-n:]) {
				t.Fatalf("frames at the ends differ:\n%v ... %v\nthe interpreter:\n%v ... %v", tr.Backtrace[:4],
					tr.Backtrace[len(tr.Backtrace)-4:], want.Backtrace[:4], want.Backtrace[len(want.Backtrace)-4:])
			}
			res, err := got.ExportedFunc("fib").Call([]runtime.Value{runtime.I32(20)})
			if err != nil || res[0].Bits != 6765 {
				t.Fatalf("fib(20) after the trap: %v, %v", res, err)
			}
		})
	}
}

// TestRecInlineGCStress: make keeps its first subtree on the operand
// stack across the second call in every level; with a collection at
// every allocation an unrooted one would be freed and the walk or the
// heap check would go wrong.
func TestRecInlineGCStress(t *testing.T) {
	for _, b := range recBuilds {
		t.Run(b.name, func(t *testing.T) {
			ref, got, s := recStores(t, b.opts, runtime.Config{GCStress: true})
			args := []runtime.Value{runtime.I32(9)}
			want, err := ref.ExportedFunc("tree").Call(args)
			if err != nil {
				t.Fatal(err)
			}
			res, err := got.ExportedFunc("tree").Call(args)
			if err != nil || !slices.Equal(res, want) {
				t.Fatalf("tree(9) = %v, %v; the interpreter %v", res, err, want)
			}
			if err := s.Heap.GC.Verify(); err != nil {
				t.Fatalf("heap after tree: %v", err)
			}
			st := s.Heap.GC.Stats()
			if st.Collections == 0 || st.BadRefs != 0 {
				t.Fatalf("collector stats %+v", st)
			}
		})
	}
}

// sameResults calls fn with args on ref (the interpreter's instance) and
// on got and fails the test unless both return and the results agree.
func sameResults(t *testing.T, ref, got *runtime.Instance, fn string, args []runtime.Value) {
	t.Helper()
	want, err := ref.ExportedFunc(fn).Call(args)
	if err != nil {
		t.Fatalf("interpreter %s%v: %v", fn, args, err)
	}
	res, err := got.ExportedFunc(fn).Call(args)
	if err != nil {
		t.Fatalf("%s%v: %v", fn, args, err)
	}
	if !slices.Equal(res, want) {
		t.Fatalf("%s%v = %v, the interpreter %v", fn, args, res, want)
	}
}

// interpInstance instantiates m on a fresh interpreter store, closed
// when the test ends.
func interpInstance(t *testing.T, m *wasm.Module) *runtime.Instance {
	t.Helper()
	is, err := runtime.NewStore(runtime.Config{Engine: interp.New()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { is.Close() })
	ref, err := is.Instantiate(m, nil)
	if err != nil {
		t.Fatal(err)
	}
	return ref
}

func trapOf(t *testing.T, inst *runtime.Instance, fn string, args []runtime.Value) *runtime.Trap {
	t.Helper()
	_, err := inst.ExportedFunc(fn).Call(args)
	var tr *runtime.Trap
	if !errors.As(err, &tr) {
		t.Fatalf("%s%v: %v, want a trap", fn, args, err)
	}
	return tr
}

// sameFrames compares backtraces by function and offset.
func sameFrames(a, b []runtime.TraceFrame) bool {
	key := func(fs []runtime.TraceFrame) []string {
		out := make([]string, len(fs))
		for i, f := range fs {
			out[i] = fmt.Sprintf("%d@%d", f.Func, f.Offset)
		}
		return out
	}
	return slices.Equal(key(a), key(b))
}

// TestRecInlineDebugStops: in a debug build, breakpoints hit inside
// inlined levels show the interpreter's frames (every frame's function,
// offset and locals, the innermost frame's operands), an operand `set`
// at one of them changes the result as it does on the interpreter, and
// stepping from there stops where the interpreter's does.
func TestRecInlineDebugStops(t *testing.T) {
	run := func(eng interface {
		runtime.Engine
		SetBreakpoint(*runtime.Func, uint32) (uint32, error)
		ClearBreakpoint(*runtime.Func, uint32)
		SetStepping(*runtime.ExecEnv, bool)
		Shape(*runtime.Func, uint32) (*interp.FrameShape, error)
	}, inst *runtime.Instance, prep func() error) (seen []string, res uint64) {
		env := inst.Store.Env()
		fib := inst.ExportedFunc("fib")
		at := lastOffset(fib, wasm.OpI32Add)
		if prep != nil {
			if err := prep(); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := eng.SetBreakpoint(fib, at); err != nil {
			t.Fatal(err)
		}
		hits, steps := 0, 0
		env.OnBreak = func(env *runtime.ExecEnv) error {
			var b strings.Builder
			for d := 0; d < env.Depth; d++ {
				fr := env.Frames[d]
				sh, err := eng.Shape(fr.Func, fr.Offset)
				if err != nil {
					return err
				}
				fmt.Fprintf(&b, "%d@%d(", fr.Func.Index, fr.Offset)
				for i := range sh.Locals {
					b.WriteString(fmtVal(sh.Locals[i], env.Slots[fr.Base+sh.LocalSlots[i]]) + " ")
				}
				if d == env.Depth-1 {
					for k := range sh.Operands {
						b.WriteString("op:" + fmtVal(sh.Operands[k], env.Slots[fr.Base+uint32(len(sh.Locals))+uint32(k)]) + " ")
					}
				}
				b.WriteString(") ")
			}
			seen = append(seen, b.String())
			if steps > 0 {
				steps--
				if steps == 0 {
					eng.SetStepping(env, false)
				}
				return nil
			}
			hits++
			fr := env.Frames[env.Depth-1]
			if hits == 9 {
				// fib(2)'s add at the ninth hit: its first operand
				// becomes 1000; then step 40 instructions.
				env.Slots[fr.Base+1] = 1000
				steps = 40
				eng.SetStepping(env, true)
			}
			if hits == 30 {
				eng.ClearBreakpoint(fib, at)
			}
			return nil
		}
		r, err := fib.Call([]runtime.Value{runtime.I32(14)})
		if err != nil {
			t.Fatal(err)
		}
		return seen, r[0].Bits
	}
	inst, e := instantiateDebug(t, encoded(t, selfRecWat))
	got, gotRes := run(e, inst, nil)
	ie := interp.New()
	s, err := runtime.NewStore(runtime.Config{Engine: ie})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	iinst, err := s.Instantiate(encoded(t, selfRecWat), nil)
	if err != nil {
		t.Fatal(err)
	}
	want, wantRes := run(ie, iinst, func() error { return interp.CompileAllForDebug(iinst) })
	if gotRes != wantRes || wantRes == 377 {
		t.Errorf("fib(14) = %d after the set, the interpreter %d (377 unchanged)", gotRes, wantRes)
	}
	if len(got) != len(want) || len(want) != 30+40 {
		t.Fatalf("%d stops, the interpreter %d (want 70)", len(got), len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("stop %d:\n%s\nthe interpreter:\n%s", i, got[i], want[i])
		}
	}
}

// TestRecInlineExceptionThrough: an exception thrown by a callee some
// levels deep unwinds through the inlined levels (each tests for it
// after its call) to a handler outside, as on the interpreter.
func TestRecInlineExceptionThrough(t *testing.T) {
	const src = `(module
  (tag $e (param i32))
  (func $boom (param i32) (throw $e (local.get 0)))
  (func $r (param $n i32) (param $d i32) (result i32)
    (if (i32.eq (local.get $n) (local.get $d)) (then (call $boom (local.get $n))))
    (if (result i32) (i32.lt_u (local.get $n) (i32.const 2))
      (then (local.get $n))
      (else (i32.add (call $r (i32.sub (local.get $n) (i32.const 1)) (local.get $d))
                     (call $r (i32.sub (local.get $n) (i32.const 2)) (local.get $d))))))
  (func (export "run") (param i32 i32) (result i32)
    (block $h (result i32)
      (try_table (catch $e $h)
        (return (i32.add (i32.const 1000) (call $r (local.get 0) (local.get 1)))))
      (unreachable))))`
	for _, b := range recBuilds {
		t.Run(b.name, func(t *testing.T) {
			m := encoded(t, src)
			ref := interpInstance(t, m)
			got, _ := instantiateWith(t, m, func(e *Engine) { e.Options = b.opts })
			for _, d := range []int32{3, 9, 14, 100} {
				args := []runtime.Value{runtime.I32(16), runtime.I32(d)}
				want, err := ref.ExportedFunc("run").Call(args)
				if err != nil {
					t.Fatal(err)
				}
				res, err := got.ExportedFunc("run").Call(args)
				if err != nil || !slices.Equal(res, want) {
					t.Fatalf("run(16, %d) = %v, %v; the interpreter %v", d, res, err, want)
				}
			}
		})
	}
}
