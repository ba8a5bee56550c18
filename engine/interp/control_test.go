package interp

import (
	"errors"
	"strings"
	"testing"

	"github.com/gcscope/gcscope/engine/runtime"
	"github.com/gcscope/gcscope/engine/wasm"
)

func TestControlAndCalls(t *testing.T) {
	s := newStore(t, runtime.Config{})
	inst := instantiate(t, s, `(module
	  (func $sum (export "sum") (param $n i32) (result i32) (local $acc i32)
	    (block $done
	      (loop $next
	        (br_if $done (i32.eqz (local.get $n)))
	        (local.set $acc (i32.add (local.get $acc) (local.get $n)))
	        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
	        (br $next)))
	    (local.get $acc))
	  (func (export "table") (param i32) (result i32)
	    (block (block (block (br_table 0 1 2 (local.get 0))) (return (i32.const 10)))
	      (return (i32.const 11)))
	    (i32.const 12))
	  (func $fib (export "fib") (param i32) (result i32)
	    (if (result i32) (i32.lt_u (local.get 0) (i32.const 2))
	      (then (local.get 0))
	      (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1)))
	                     (call $fib (i32.sub (local.get 0) (i32.const 2)))))))
	  (func $runaway (export "runaway") (call $runaway))
	  (func $count (export "count") (param i64) (result i64)
	    (if (result i64) (i64.eqz (local.get 0)) (then (i64.const 42))
	      (else (return_call $count (i64.sub (local.get 0) (i64.const 1))))))
	  (func $multi (param i32) (result i32 i32) (local.get 0) (i32.const 1))
	  (func (export "multi") (result i32) (call $multi (i32.const 5)) (i32.sub))
	  (func $inner (export "trap") (unreachable)))`)
	if got := mustCall(t, inst, "sum", runtime.I32(100)); got != 5050 {
		t.Errorf("sum = %d", got)
	}
	for i, want := range []uint64{10, 11, 12, 12} {
		if got := mustCall(t, inst, "table", runtime.I32(int32(i))); got != want {
			t.Errorf("table(%d) = %d, want %d", i, got, want)
		}
	}
	if got := mustCall(t, inst, "fib", runtime.I32(20)); got != 6765 {
		t.Errorf("fib = %d", got)
	}
	if got := mustCall(t, inst, "multi"); got != 4 {
		t.Errorf("multi = %d", got)
	}
	tr := wantTrap(t, inst, "runaway", "call stack exhausted")
	if len(tr.Backtrace) == 0 || !strings.Contains(tr.Error(), "runaway") {
		t.Errorf("exhaustion backtrace: %v", tr)
	}
	// A million tail calls must run in constant frame stack space.
	if got := mustCall(t, inst, "count", runtime.I64(1_000_000)); got != 42 {
		t.Errorf("count = %d", got)
	}
	tr = wantTrap(t, inst, "trap", "unreachable")
	if len(tr.Backtrace) != 1 || tr.Backtrace[0].Name != "inner" || tr.Backtrace[0].Offset == 0 {
		t.Errorf("backtrace = %+v", tr.Backtrace)
	}
	if s.Env().Depth != 0 {
		t.Errorf("frames left after traps: %d", s.Env().Depth)
	}
}

func TestInterrupt(t *testing.T) {
	s := newStore(t, runtime.Config{})
	inst := instantiate(t, s, `(module (func (export "spin") (loop (br 0))))`)
	s.Env().Interrupt.Store(1)
	wantTrap(t, inst, "spin", "interrupted")
	if s.Env().Interrupt.Load() != 0 {
		t.Error("interrupt word not cleared")
	}
	// With a handler, the handler decides.
	n := 0
	stop := errors.New("stop")
	s.Env().OnInterrupt = func(env *runtime.ExecEnv) error {
		n++
		if n < 3 {
			return nil
		}
		env.Interrupt.Store(0)
		return stop
	}
	s.Env().Interrupt.Store(1)
	if _, err := call(t, inst, "spin"); !errors.Is(err, stop) || n != 3 {
		t.Errorf("got %v after %d interrupts", err, n)
	}
}

func TestHostFunctions(t *testing.T) {
	s := newStore(t, runtime.Config{})
	host := s.NewHostInstance("env")
	var back *runtime.Func
	i32 := runtime.I32(0).Type
	if _, err := host.DefineFunc("twice", ftype(i32, wasm.ValType{}, i32), func(_ *runtime.Instance, args []runtime.Value) ([]runtime.Value, error) {
		// Call back into Wasm from the host.
		res, err := back.Call([]runtime.Value{args[0]})
		if err != nil {
			return nil, err
		}
		return []runtime.Value{runtime.I32(int32(res[0].Bits) * 2)}, nil
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := host.DefineFunc("fail", ftype(i32), func(*runtime.Instance, []runtime.Value) ([]runtime.Value, error) {
		return nil, &runtime.Trap{Msg: "host says no"}
	}); err != nil {
		t.Fatal(err)
	}
	s.Register("env", host)
	inst := instantiate(t, s, `(module
	  (import "env" "twice" (func $twice (param i32) (result i32)))
	  (import "env" "fail" (func $fail (param i32)))
	  (func (export "inc") (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))
	  (func (export "go") (param i32) (result i32) (i32.add (call $twice (local.get 0)) (i32.const 100)))
	  (func (export "fail") (call $fail (i32.const 0))))`)
	back = inst.ExportedFunc("inc")
	if got := mustCall(t, inst, "go", runtime.I32(4)); got != 110 {
		t.Errorf("go = %d", got)
	}
	wantTrap(t, inst, "fail", "host says no")
	if _, err := inst.ExportedFunc("go").Call(nil); err == nil {
		t.Error("wrong argument count accepted")
	}
}

func TestHostErrorsHaveAPlace(t *testing.T) {
	s := newStore(t, runtime.Config{})
	host := s.NewHostInstance("env")
	boom := errors.New("disk on fire")
	if _, err := host.DefineFunc("io", ftype(), func(*runtime.Instance, []runtime.Value) ([]runtime.Value, error) {
		return nil, boom
	}); err != nil {
		t.Fatal(err)
	}
	s.Register("env", host)
	inst := instantiate(t, s, `(module (import "env" "io" (func $io)) (func $caller (export "f") (call $io)))`)
	tr := wantTrap(t, inst, "f", "host function io failed")
	if !errors.Is(tr, boom) || len(tr.Backtrace) != 2 || !tr.Backtrace[0].Host || tr.Backtrace[1].Name != "caller" {
		t.Errorf("trap = %v, backtrace %+v", tr, tr.Backtrace)
	}
}

// A runaway recursion's trap message stays short.
func TestExhaustionMessageIsShort(t *testing.T) {
	s := newStore(t, runtime.Config{MaxCallDepth: 5000})
	inst := instantiate(t, s, `(module (func $r (export "r") (call $r)))`)
	tr := wantTrap(t, inst, "r", "call stack exhausted")
	if len(tr.Backtrace) < 4999 {
		t.Errorf("backtrace has %d frames", len(tr.Backtrace))
	}
	if msg := tr.Error(); strings.Count(msg, "\n") > 30 || !strings.Contains(msg, "more frames") {
		t.Errorf("message has %d lines", strings.Count(msg, "\n"))
	}
}
