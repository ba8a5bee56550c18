package loader

import (
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/gcscope/gcscope/engine/runtime"
	"github.com/gcscope/gcscope/engine/wasm"
)

// outermostWat has exports for every kind of call from Go the outermost
// path (runtime callfast.go, InvokeOutermost) takes or declines: numbers
// in and out (allocating, so that GC stress collects during the call),
// a reference argument and a reference result (the general path), a
// trap, a host function that panics, fails or calls back, an uncaught
// exception, a v128.
const outermostWat = `(module
  (import "host" "cb" (func $cb (param i32) (result i32)))
  (type $cell (struct (field $v i32) (field $next (ref null $cell))))
  (tag $e (param i32))
  (func $build (param $n i32) (result (ref null $cell))
    (local $l (ref null $cell))
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (local.set $l (struct.new $cell (local.get $n) (local.get $l)))
        (br $next)))
    (local.get $l))
  (func $total (param $l (ref null $cell)) (result i32)
    (local $s i32)
    (block $done
      (loop $next
        (br_if $done (ref.is_null (local.get $l)))
        (local.set $s (i32.add (local.get $s) (struct.get $cell $v (local.get $l))))
        (local.set $l (struct.get $cell $next (local.get $l)))
        (br $next)))
    (local.get $s))
  (func (export "sum") (param $n i32) (result i32) (call $total (call $build (local.get $n))))
  (func (export "mk") (param $n i32) (result (ref null $cell)) (call $build (local.get $n)))
  (func (export "keep") (param $l (ref null $cell)) (param $n i32) (result i32)
    (drop (call $build (local.get $n)))
    (call $total (local.get $l)))
  (func (export "mix") (param i32 i64 f32 f64) (result f64 i64)
    (f64.add (f64.add (f64.convert_i32_s (local.get 0)) (f64.convert_i64_s (local.get 1)))
             (f64.add (f64.promote_f32 (local.get 2)) (local.get 3)))
    (i64.mul (local.get 1) (i64.const 2)))
  (func (export "div") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
  (func (export "host") (param i32) (result i32) (call $cb (local.get 0)))
  (func (export "throw") (param i32) (throw $e (local.get 0)))
  (func (export "lane") (param v128) (result i32) (i32x4.extract_lane 1 (local.get 0))))`

var errHostFailed = errors.New("host failed on purpose")

// outermostStore instantiates outermostWat on a native store; cb(0)
// panics, cb(1) fails, cb(2) calls sum(10) back and adds 1000, cb(n)
// returns n+1.
func outermostStore(t *testing.T, stress bool) (*runtime.Store, *runtime.Instance, *Engine) {
	t.Helper()
	s, e := newNativeStoreConfig(t, runtime.Config{GCStress: stress}, nil, nil)
	host := s.NewHostInstance("host")
	var inst *runtime.Instance
	i32 := []wasm.ValType{wasm.I32}
	if _, err := host.DefineFunc("cb", wasm.CompositeType{Kind: wasm.CompFunc, Params: i32, Results: i32},
		func(_ *runtime.Instance, a []runtime.Value) ([]runtime.Value, error) {
			switch a[0].Bits {
			case 0:
				panic("host panics on purpose")
			case 1:
				return nil, errHostFailed
			case 2:
				res, err := inst.ExportedFunc("sum").Call([]runtime.Value{runtime.I32(10)})
				if err != nil {
					return nil, err
				}
				return []runtime.Value{runtime.I32(int32(res[0].Bits) + 1000)}, nil
			}
			return []runtime.Value{runtime.I32(int32(a[0].Bits) + 1)}, nil
		}); err != nil {
		t.Fatal(err)
	}
	s.Register("host", host)
	inst, err := s.Instantiate(parse(t, outermostWat), nil)
	if err != nil {
		t.Fatal(err)
	}
	return s, inst, e
}

// TestOutermostCalls runs every kind of call from Go, numeric ones (the
// outermost path) between the others, with and without GC stress: the
// results, the errors (a trap with its backtrace, a host panic and a host
// error as traps, an exception) and the env afterwards (no frames left,
// the next call right) must be those of the general path.
func TestOutermostCalls(t *testing.T) {
	for _, stress := range []bool{false, true} {
		t.Run(map[bool]string{false: "plain", true: "stress"}[stress], func(t *testing.T) {
			s, inst, _ := outermostStore(t, stress)
			env := s.Env()
			call := func(name string, args ...runtime.Value) ([]runtime.Value, error) {
				t.Helper()
				res, err := inst.ExportedFunc(name).Call(args)
				if env.Depth != 0 {
					t.Fatalf("%s: %d frames left active", name, env.Depth)
				}
				return res, err
			}
			i32 := func(name string, want int32, args ...runtime.Value) {
				t.Helper()
				res, err := call(name, args...)
				if err != nil {
					t.Fatalf("%s%v: %v", name, args, err)
				}
				if len(res) != 1 || res[0].Type != wasm.I32 || int32(res[0].Bits) != want {
					t.Fatalf("%s%v = %v, want i32 %d", name, args, res, want)
				}
			}
			for range 3 { // the first call fills the caches, the others hit them
				i32("sum", 1225, runtime.I32(50))
			}
			// A reference result and argument (the general path), with
			// collections between the list's making and its use.
			res, err := call("mk", runtime.I32(20))
			if err != nil || len(res) != 1 {
				t.Fatalf("mk(20) = %v, %v", res, err)
			}
			list := res[0]
			s.Pin(runtime.Ref(list.Bits))
			for range 3 {
				i32("keep", 190, list, runtime.I32(30))
				i32("sum", 45, runtime.I32(10))
			}
			s.Unpin(runtime.Ref(list.Bits))

			for range 2 {
				res, err = call("mix", runtime.I32(3), runtime.I64(-4), runtime.F32(math.Float32bits(0.5)), runtime.F64(math.Float64bits(0.25)))
				if err != nil || len(res) != 2 || res[0].Type != wasm.F64 || math.Float64frombits(res[0].Bits) != -0.25 ||
					res[1].Type != wasm.I64 || int64(res[1].Bits) != -8 {
					t.Fatalf("mix = %v, %v; want f64 -0.25, i64 -8", res, err)
				}
			}

			// A trap, then the same function succeeding.
			i32("div", 3, runtime.I32(7), runtime.I32(2))
			_, err = call("div", runtime.I32(7), runtime.I32(0))
			var trap *runtime.Trap
			if !errors.As(err, &trap) || trap.Msg != "integer divide by zero" || len(trap.Backtrace) == 0 || trap.Backtrace[0].Func != inst.ExportedFunc("div").Index {
				t.Fatalf("div(7, 0): %#v, want a divide-by-zero trap in div", err)
			}
			i32("div", -3, runtime.I32(-7), runtime.I32(2))

			// A host function: panicking, failing, calling back, returning.
			i32("host", 6, runtime.I32(5))
			_, err = call("host", runtime.I32(0))
			if !errors.As(err, &trap) || !strings.Contains(err.Error(), "host panics on purpose") {
				t.Fatalf("host(0): %v, want a trap from the host's panic", err)
			}
			_, err = call("host", runtime.I32(1))
			if !errors.Is(err, errHostFailed) && (err == nil || !strings.Contains(err.Error(), errHostFailed.Error())) {
				t.Fatalf("host(1): %v, want the host's error", err)
			}
			i32("host", 1045, runtime.I32(2))
			i32("host", 8, runtime.I32(7))

			// An uncaught exception.
			_, err = call("throw", runtime.I32(42))
			var exn *runtime.Exception
			if !errors.As(err, &exn) || len(exn.Payload) != 1 || exn.Payload[0].Bits != 42 {
				t.Fatalf("throw(42): %v, want an exception with payload 42", err)
			}

			// Arguments the outermost path declines: the general path's errors.
			if _, err := call("sum", runtime.I64(50)); err == nil || !strings.Contains(err.Error(), "type mismatch: argument 0") {
				t.Fatalf("sum(i64): %v, want an argument type mismatch", err)
			}
			if _, err := call("sum"); err == nil || !strings.Contains(err.Error(), "wrong number of arguments") {
				t.Fatalf("sum(): %v, want a wrong argument count", err)
			}
			var v [16]byte
			v[4] = 9
			i32("lane", 9, runtime.V128(v))
			i32("sum", 4950, runtime.I32(100))
			if err := s.Heap.GC.Verify(); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// TestInvokeOutermostTakesCachedCalls checks which calls the engine's
// outermost entry takes: the function the env called last, with no frames
// active; a function not in the call cache is declined with nothing
// changed.
func TestInvokeOutermostTakesCachedCalls(t *testing.T) {
	s, inst, e := outermostStore(t, false)
	env := s.Env()
	sum, div := inst.ExportedFunc("sum"), inst.ExportedFunc("div")
	if _, err := sum.Call([]runtime.Value{runtime.I32(4)}); err != nil {
		t.Fatal(err)
	}
	env.Slots[0] = 5
	handled, err := e.InvokeOutermost(env, sum)
	if !handled || err != nil || env.Slots[0] != 10 || env.Depth != 0 {
		t.Fatalf("sum(5) through InvokeOutermost: handled %v, err %v, result %d, depth %d; want 10 handled",
			handled, err, env.Slots[0], env.Depth)
	}
	env.Slots[0], env.Slots[1] = 8, 2
	if handled, err := e.InvokeOutermost(env, div); handled || err != nil || env.Slots[0] != 8 || env.Depth != 0 {
		t.Fatalf("div not in the call cache: handled %v, err %v, slot 0 %d, depth %d; want it declined",
			handled, err, env.Slots[0], env.Depth)
	}
	if n := nativeOf(env); n.depth != 0 {
		t.Fatalf("%d activations left", n.depth)
	}
}

// TestOutermostTrapHookPanics makes the trap's bookkeeping panic on the
// outermost path: a debug build reports a trap to env.OnTrap, which
// panics here. The call must end with an internal-error trap, the env
// outside Wasm with no frames (a stop-the-world returns at once) and the
// next call right.
func TestOutermostTrapHookPanics(t *testing.T) {
	inst, e := instantiateDebug(t, parse(t, `(module
  (func (export "div") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1))))`))
	s, env := inst.Store, inst.Store.Env()
	div := inst.ExportedFunc("div")
	call := func(a, b int32) ([]runtime.Value, error) {
		return div.Call([]runtime.Value{runtime.I32(a), runtime.I32(b)})
	}
	if res, err := call(7, 2); err != nil || int32(res[0].Bits) != 3 {
		t.Fatalf("div(7, 2) = %v, %v", res, err)
	}
	if handled, err := e.InvokeOutermost(env, div); !handled || err != nil { // 3 / 2, from the slots the call left
		t.Fatalf("div is not taken by the outermost path: handled %v, %v", handled, err)
	}
	hooked := 0
	env.OnTrap = func(*runtime.ExecEnv, error) error {
		hooked++
		panic("OnTrap panics on purpose")
	}
	_, err := call(7, 0)
	var trap *runtime.Trap
	if !errors.As(err, &trap) || !strings.Contains(trap.Msg, "internal error") || !strings.Contains(trap.Msg, "OnTrap panics on purpose") {
		t.Fatalf("div(7, 0) with a panicking OnTrap: %v, want an internal-error trap", err)
	}
	if hooked != 1 || env.Depth != 0 || nativeOf(env).depth != 0 {
		t.Fatalf("after the panic: OnTrap called %d times, %d frames, %d activations; want 1, 0, 0",
			hooked, env.Depth, nativeOf(env).depth)
	}
	done := make(chan struct{})
	go func() { s.StopTheWorld(); s.StartTheWorld(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("stop-the-world waits for the env: the panic left it running")
	}
	env.OnTrap = nil
	if res, err := call(-9, 2); err != nil || int32(res[0].Bits) != -4 {
		t.Fatalf("div(-9, 2) after the panic = %v, %v", res, err)
	}
}
