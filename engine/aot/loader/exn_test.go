package loader

import (
	"errors"
	"testing"

	"github.com/gcscope/gcscope/engine/interp"
	"github.com/gcscope/gcscope/engine/runtime"
	"github.com/gcscope/gcscope/engine/wasm"
)

// exnWat throws and catches within native code, through a host function
// both ways (host → native throw, host throw → native catch) and out to
// the embedder.
const exnWat = `(module
  (import "host" "call_back" (func $call_back (param i32) (result i32)))
  (import "host" "host_throw" (func $host_throw (param i32)))
  (import "host" "e" (tag $he (param i32)))
  (tag $e (export "e") (param i32))
  (tag $f (param i64 f64))
  (func $thrower (export "thrower") (param i32) (result i32)
    (if (i32.eqz (local.get 0)) (then (return (i32.const 7))))
    (throw $e (local.get 0)))
  ;; native throw, native catch of the payload.
  (func (export "catch") (param i32) (result i32)
    (block $h (result i32)
      (try_table (result i32) (catch $e $h)
        (call $thrower (local.get 0)))
      (return))
    (i32.add (i32.const 100)))
  ;; an exception of another tag goes past catch $e to catch_all.
  (func (export "other") (param i32) (result i32)
    (block $all
      (block $h (result i32)
        (try_table (catch $e $h) (catch_all $all)
          (throw $f (i64.const 1) (f64.const 2)))
        (return (i32.const -1)))
      (return))
    (i32.const 55))
  ;; catch_ref then throw_ref, caught again outside.
  (func (export "rethrow_ref") (param i32) (result i32)
    (block $outer (result i32)
      (try_table (result i32) (catch $e $outer)
        (block $h (result i32 exnref)
          (try_table (result i32) (catch_ref $e $h)
            (call $thrower (local.get 0)))
          (return))
        (drop (i32.const 0))
        (throw_ref)))
    (i32.const 1000)
    (i32.add))
  ;; legacy try/catch/rethrow, caught by an outer legacy try.
  (func (export "legacy") (param i32) (result i32)
    (try (result i32)
      (do
        (try (result i32)
          (do (call $thrower (local.get 0)))
          (catch $e (drop) (rethrow 0))))
      (catch $e (i32.const 2000) (i32.add))))
  ;; native → host → native: the host calls "thrower", gets the exception
  ;; as an error and returns it; native code catches it.
  (func (export "via_host") (param i32) (result i32)
    (block $h (result i32)
      (try_table (result i32) (catch $e $h)
        (call $call_back (local.get 0)))
      (return))
    (i32.const 3000)
    (i32.add))
  ;; the host throws its own tag, native code catches it.
  (func (export "host_throws") (param i32) (result i32)
    (block $h (result i32)
      (try_table (catch $he $h)
        (call $host_throw (local.get 0)))
      (return (i32.const -1)))
    (i32.const 4000)
    (i32.add))
  ;; uncaught: through a native frame, out to the embedder.
  (func (export "uncaught") (param i32) (result i32)
    (i32.add (call $thrower (local.get 0)) (i32.const 1)))
)`

// hostThrower makes s a host instance "host" with a tag "e" (param i32)
// and a function "host_throw" (param i32) that throws it, its argument
// the payload; the caller registers it.
func hostThrower(t *testing.T, s *runtime.Store) *runtime.Instance {
	t.Helper()
	host := s.NewHostInstance("host")
	htag, err := host.DefineTag("e", []wasm.ValType{wasm.I32})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := host.DefineFunc("host_throw", wasm.CompositeType{Kind: wasm.CompFunc, Params: []wasm.ValType{wasm.I32}},
		func(_ *runtime.Instance, a []runtime.Value) ([]runtime.Value, error) {
			r, err := s.Heap.AllocExn(htag)
			if err != nil {
				return nil, err
			}
			s.Heap.SetField(r, 0, a[0].Bits)
			return nil, &runtime.Exception{Tag: htag, Ref: r, Payload: a}
		}); err != nil {
		t.Fatal(err)
	}
	return host
}

// exnStore instantiates exnWat on engine eng with the host functions.
func exnStore(t *testing.T, eng runtime.Engine) *runtime.Instance {
	t.Helper()
	s, err := runtime.NewStore(runtime.Config{Engine: eng})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	host := hostThrower(t, s)
	var inst *runtime.Instance
	i32 := []wasm.ValType{wasm.I32}
	if _, err := host.DefineFunc("call_back", wasm.CompositeType{Kind: wasm.CompFunc, Params: i32, Results: i32},
		func(_ *runtime.Instance, a []runtime.Value) ([]runtime.Value, error) {
			return inst.ExportedFunc("thrower").Call(a)
		}); err != nil {
		t.Fatal(err)
	}
	s.Register("host", host)
	inst, err = s.Instantiate(parse(t, exnWat), nil)
	if err != nil {
		t.Fatal(err)
	}
	return inst
}

func TestExceptions(t *testing.T) {
	e := New(nil) // no fallback: the module must run natively
	t.Cleanup(e.Close)
	inst := exnStore(t, e)
	cases := []struct {
		fn       string
		arg, res int32
	}{
		{"catch", 5, 105}, {"catch", 0, 7},
		{"other", 0, 55},
		{"rethrow_ref", 9, 1009}, {"rethrow_ref", 0, 7},
		{"legacy", 3, 2003}, {"legacy", 0, 7},
		{"via_host", 4, 3004}, {"via_host", 0, 7},
		{"host_throws", 6, 4006},
	}
	for _, c := range cases {
		res, err := inst.ExportedFunc(c.fn).Call([]runtime.Value{runtime.I32(c.arg)})
		if err != nil {
			t.Errorf("%s(%d): %v", c.fn, c.arg, err)
			continue
		}
		if got := int32(res[0].Bits); got != c.res {
			t.Errorf("%s(%d) = %d, want %d", c.fn, c.arg, got, c.res)
		}
	}
	if env := inst.Store.Env(); env.Pending != 0 {
		t.Errorf("an exception is still pending after being caught: %#x", env.Pending)
	}
}

// TestUncaughtException: an exception leaving native code is the
// interpreter's *runtime.Exception: same tag, payload and message.
func TestUncaughtException(t *testing.T) {
	e := New(nil)
	t.Cleanup(e.Close)
	errOf := func(inst *runtime.Instance) (*runtime.Exception, error) {
		_, err := inst.ExportedFunc("uncaught").Call([]runtime.Value{runtime.I32(42)})
		var ex *runtime.Exception
		if !errors.As(err, &ex) {
			t.Fatalf("got %v, want an uncaught exception", err)
		}
		return ex, err
	}
	inst := exnStore(t, e)
	ex, err := errOf(inst)
	iex, ierr := errOf(exnStore(t, interp.New()))
	if len(ex.Payload) != 1 || ex.Payload[0] != runtime.I32(42) {
		t.Errorf("payload %v, want [42]", ex.Payload)
	}
	if tag, _ := inst.Export("e").(*runtime.Tag); tag == nil || ex.Tag != tag {
		t.Errorf("tag %p, want the module's tag e", ex.Tag)
	}
	if err.Error() != ierr.Error() {
		t.Errorf("aot says\n%v\ninterpreter says\n%v", err, ierr)
	}
	if len(iex.Payload) != len(ex.Payload) {
		t.Errorf("payloads differ: %v and %v", ex.Payload, iex.Payload)
	}
	// The store still works, and nothing stays pending wrongly.
	if res, err := inst.ExportedFunc("catch").Call([]runtime.Value{runtime.I32(1)}); err != nil || int32(res[0].Bits) != 101 {
		t.Errorf("catch after an uncaught exception: %v %v", res, err)
	}
}

func TestThrowRefNull(t *testing.T) {
	inst, _ := instantiate(t, parse(t, `(module (tag) (func (export "f") (throw_ref (ref.null exn))))`))
	_, err := inst.ExportedFunc("f").Call(nil)
	var tr *runtime.Trap
	if !errors.As(err, &tr) || tr.Msg != "null exception reference" {
		t.Fatalf("got %v, want the trap \"null exception reference\"", err)
	}
}

// TestExceptionFromInterpreter: a native caller catches an exception
// thrown by a module running on the interpreter fallback (a function
// with more locals than the compiler takes), and an exception it does not
// catch reaches the embedder.
func TestExceptionFromInterpreter(t *testing.T) {
	s, e := newNativeStore(t, interp.New(), nil)
	a, err := s.Instantiate(parse(t, `(module
	  (tag $e (export "e") (param i32))
	  (func (local`+refusedLocals+`))
	  (func (export "throw") (param i32) (throw $e (local.get 0))))`), nil)
	if err != nil {
		t.Fatal(err)
	}
	if st, _ := e.native(a); st != nil {
		t.Fatal("the module with too many locals runs natively; the test needs it interpreted")
	}
	s.Register("a", a)
	b, err := s.Instantiate(parse(t, `(module
	  (import "a" "e" (tag $e (param i32)))
	  (import "a" "throw" (func $throw (param i32)))
	  (func (export "catch") (param i32) (result i32)
	    (block $h (result i32)
	      (try_table (catch $e $h) (call $throw (local.get 0)))
	      (return (i32.const -1)))
	    (i32.const 10)
	    (i32.mul))
	  (func (export "pass") (param i32) (call $throw (local.get 0))))`), nil)
	if err != nil {
		t.Fatal(err)
	}
	if st, _ := e.native(b); st == nil {
		t.Fatal("the catching module is not native")
	}
	res, err := b.ExportedFunc("catch").Call([]runtime.Value{runtime.I32(7)})
	if err != nil || int32(res[0].Bits) != 70 {
		t.Errorf("catch(7) = %v, %v; want 70", res, err)
	}
	_, err = b.ExportedFunc("pass").Call([]runtime.Value{runtime.I32(8)})
	var ex *runtime.Exception
	if !errors.As(err, &ex) || len(ex.Payload) != 1 || ex.Payload[0] != runtime.I32(8) {
		t.Errorf("pass(8): %v, want an uncaught exception (8)", err)
	}
}

// TestCaughtExnrefSurvivesCollections holds an exnref in a local while
// later throws allocate (a collection at each under GC stress), then
// rethrows it: its payload must be intact.
func TestCaughtExnrefSurvivesCollections(t *testing.T) {
	s := stressStore(t)
	inst, err := s.Instantiate(parse(t, `(module
	  (tag $e (param i32))
	  (func $t (param i32) (throw $e (local.get 0)))
	  (func (export "keep") (result i32)
	    (local $x exnref) (local $i i32)
	    (local.set $x (block $h (result exnref)
	      (try_table (catch_all_ref $h) (call $t (i32.const 1234)))
	      (unreachable)))
	    (loop $l
	      (block $h2
	        (try_table (catch_all $h2) (call $t (local.get $i))))
	      (local.set $i (i32.add (local.get $i) (i32.const 1)))
	      (br_if $l (i32.lt_u (local.get $i) (i32.const 200))))
	    (block $h3 (result i32)
	      (try_table (catch $e $h3) (throw_ref (local.get $x)))
	      (unreachable))))`), nil)
	if err != nil {
		t.Fatal(err)
	}
	res, err := inst.ExportedFunc("keep").Call(nil)
	if err != nil || int32(res[0].Bits) != 1234 {
		t.Errorf("keep() = %v, %v; want 1234", res, err)
	}
}

// TestExceptionWithoutHandlers: in a module with no try or try_table the
// code does not test for exceptions; one raised by a throw or coming out
// of a host function ends the native run at once (no side effect after
// it), as the interpreter's uncaught exception.
func TestExceptionWithoutHandlers(t *testing.T) {
	const src = `(module
	  (import "host" "host_throw" (func $host_throw (param i32)))
	  (tag $e (param i32))
	  (global $g (export "g") (mut i32) (i32.const 0))
	  (func $t (param i32) (throw $e (local.get 0)))
	  (func (export "native") (param i32) (result i32)
	    (call $t (local.get 0)) (global.set $g (i32.const 1)) (i32.const 5))
	  (func (export "host") (param i32) (result i32)
	    (call $host_throw (local.get 0)) (global.set $g (i32.const 2)) (i32.const 6)))`
	run := func(eng runtime.Engine, fn string) (uint64, error) {
		s, err := runtime.NewStore(runtime.Config{Engine: eng})
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		s.Register("host", hostThrower(t, s))
		inst, err := s.Instantiate(parse(t, src), nil)
		if err != nil {
			t.Fatal(err)
		}
		_, err = inst.ExportedFunc(fn).Call([]runtime.Value{runtime.I32(3)})
		return inst.Export("g").(*runtime.Global).Bits, err
	}
	e := New(nil)
	t.Cleanup(e.Close)
	for _, fn := range []string{"native", "host"} {
		g, err := run(e, fn)
		_, ierr := run(interp.New(), fn)
		var ex *runtime.Exception
		if !errors.As(err, &ex) || len(ex.Payload) != 1 || ex.Payload[0] != runtime.I32(3) {
			t.Errorf("%s: %v, want an uncaught exception (3)", fn, err)
			continue
		}
		if g != 0 {
			t.Errorf("%s: the code after the raising call ran (g = %d)", fn, g)
		}
		if ierr == nil || err.Error() != ierr.Error() {
			t.Errorf("%s: aot says\n%v\ninterpreter says\n%v", fn, err, ierr)
		}
	}
}

// TestDeferredTest: after a call no handler of its function covers, the
// test for a pending exception waits while only pure code follows; it
// must still come before any effect (a global store, a trap, a call, a
// branch), in every arm.
func TestDeferredTest(t *testing.T) {
	inst, _ := instantiate(t, parse(t, `(module
	  (tag $e (param i32))
	  (global $g (export "g") (mut i32) (i32.const 0))
	  (func $t (param i32) (result i32)
	    (if (local.get 0) (then (throw $e (local.get 0))))
	    (i32.const 1))
	  ;; effects after pure code, block ends and if arms
	  (func $after (param i32) (result i32)
	    (local $x i32)
	    (local.set $x (i32.add (call $t (local.get 0)) (i32.const 2)))
	    (block (local.set $x (i32.mul (local.get $x) (i32.const 3))))
	    (if (result i32) (local.get $x)
	      (then (i32.add (call $t (local.get 0)) (i32.const 4)))
	      (else (i32.const 5)))
	    (global.set $g (i32.add (global.get $g) (i32.const 1)))
	    (drop (i32.div_u (i32.const 1) (i32.sub (local.get $x) (local.get $x)))))
	  (func (export "run") (param i32) (result i32)
	    (block $h (result i32)
	      (try_table (result i32) (catch $e $h) (call $after (local.get 0)))
	      (return))
	    (i32.add (i32.const 100)))
	  (func (export "loop") (param i32) (result i32)
	    (block $h (result i32)
	      (try_table (result i32) (catch $e $h)
	        (loop $l (result i32)
	          (drop (call $t (local.get 0)))
	          (global.set $g (i32.add (global.get $g) (i32.const 10)))
	          (br_if $l (i32.eqz (global.get $g)))
	          (i32.const 0)))
	      (return))
	    (i32.add (i32.const 200))))`))
	g := inst.Export("g").(*runtime.Global)
	res, err := inst.ExportedFunc("run").Call([]runtime.Value{runtime.I32(7)})
	if err != nil || int32(res[0].Bits) != 107 || g.Bits != 0 {
		t.Errorf("run(7) = %v, %v, g = %d; want 107 with g = 0", res, err, g.Bits)
	}
	res, err = inst.ExportedFunc("loop").Call([]runtime.Value{runtime.I32(8)})
	if err != nil || int32(res[0].Bits) != 208 || g.Bits != 0 {
		t.Errorf("loop(8) = %v, %v, g = %d; want 208 with g = 0", res, err, g.Bits)
	}
	// Without an exception the code runs on to its trap (x = 9: 1/0).
	_, err = inst.ExportedFunc("run").Call([]runtime.Value{runtime.I32(0)})
	var tr *runtime.Trap
	if !errors.As(err, &tr) || tr.Msg != "integer divide by zero" || g.Bits != 1 {
		t.Errorf("run(0): %v, g = %d; want the trap \"integer divide by zero\" with g = 1", err, g.Bits)
	}
}
