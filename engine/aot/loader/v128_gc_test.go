package loader

import (
	"errors"
	"math/rand/v2"
	"testing"

	"github.com/gcscope/gcscope/engine/aot/compile"
	"github.com/gcscope/gcscope/engine/interp"
	"github.com/gcscope/gcscope/engine/runtime"
	"github.com/gcscope/gcscope/engine/wasm"
)

// v128ObjWat keeps v128 values in GC objects and exception payloads
// through every instruction that can put them there or take them out,
// inline and through the op helper. $s mixes field sizes so that its
// second v128 sits at offset 40, 8- but not 16-aligned. Exports take
// (v128, v128, i32) or (i32) and are called with random arguments; the
// i32 picks indexes, so some calls trap out of bounds.
const v128ObjWat = `(module
  (type $s (struct (field $a (mut i8)) (field $v (mut v128)) (field $r (mut (ref null $s)))
                   (field $w v128) (field $d (mut f64))))
  (type $vs (array (mut v128)))
  (data $d "\00\01\02\03\04\05\06\07\08\09\0a\0b\0c\0d\0e\0f\10\11\12\13\14\15\16\17\18\19\1a\1b\1c\1d\1e\1f\f0\f1\f2\f3\f4\f5\f6\f7\f8\f9\fa\fb\fc\fd\fe\ff")
  (tag $e (param v128 i32 v128))
  (tag $e0 (param v128))
  (tag $e2 (param (ref null $s) v128))

  (func $mk (param $x v128) (param $y v128) (param $i i32) (param $next (ref null $s)) (result (ref $s))
    (struct.new $s (local.get $i) (local.get $x) (local.get $next) (local.get $y) (f64.const 1.5)))

  (func (export "struct") (param $x v128) (param $y v128) (param $i i32) (result v128 v128 i32 f64)
    (local $p (ref null $s))
    (local.set $p (call $mk (local.get $x) (local.get $y) (local.get $i) (ref.null $s)))
    (struct.set $s $v (local.get $p)
      (i32x4.add (struct.get $s $v (local.get $p)) (struct.get $s $w (local.get $p))))
    (struct.get $s $v (local.get $p))
    (struct.get $s $w (local.get $p))
    (struct.get_s $s $a (local.get $p))
    (struct.get $s $d (local.get $p)))
  (func (export "struct_default") (param $x v128) (param $y v128) (param $i i32) (result v128 v128 v128)
    (local $p (ref null $s))
    (local.set $p (struct.new_default $s))
    (struct.get $s $v (local.get $p))
    (struct.set $s $v (local.get $p) (local.get $x))
    (struct.get $s $v (local.get $p))
    (struct.get $s $w (local.get $p)))
  (func (export "struct_null") (param $x v128) (param $y v128) (param $i i32) (result v128)
    (local $p (ref null $s))
    (if (i32.and (local.get $i) (i32.const 1))
      (then (local.set $p (call $mk (local.get $x) (local.get $y) (i32.const 0) (ref.null $s)))))
    (struct.set $s $v (local.get $p) (local.get $y))
    (struct.get $s $v (local.get $p)))

  (func (export "array") (param $x v128) (param $y v128) (param $n i32) (result v128 v128 i32)
    (local $a (ref null $vs))
    (local.set $a (array.new $vs (local.get $x) (i32.and (local.get $n) (i32.const 15))))
    (array.set $vs (local.get $a) (i32.and (local.get $n) (i32.const 7)) (local.get $y))
    (array.get $vs (local.get $a) (i32.const 0))
    (array.get $vs (local.get $a) (i32.and (local.get $n) (i32.const 7)))
    (array.len (local.get $a)))
  (func (export "array_fixed") (param $x v128) (param $y v128) (param $i i32) (result v128 v128)
    (local $a (ref null $vs))
    (local.set $a (array.new_fixed $vs 3 (local.get $x) (local.get $y) (i64x2.add (local.get $x) (local.get $y))))
    (array.get $vs (local.get $a) (i32.rem_u (local.get $i) (i32.const 3)))
    (array.get $vs (array.new_default $vs (i32.const 2)) (i32.and (local.get $i) (i32.const 1))))
  (func (export "fill") (param $x v128) (param $y v128) (param $i i32) (result v128 v128 v128)
    (local $a (ref null $vs))
    (local.set $a (array.new $vs (local.get $y) (i32.const 8)))
    (array.fill $vs (local.get $a) (i32.and (local.get $i) (i32.const 7)) (local.get $x)
      (i32.shr_u (local.get $i) (i32.const 2)))
    (array.get $vs (local.get $a) (i32.const 0))
    (array.get $vs (local.get $a) (i32.const 3))
    (array.get $vs (local.get $a) (i32.const 7)))
  (func (export "copy") (param $x v128) (param $y v128) (param $i i32) (result v128 v128 v128 v128)
    (local $a (ref null $vs)) (local $b (ref null $vs))
    (local.set $a (array.new_fixed $vs 4 (local.get $x) (local.get $y) (v128.not (local.get $x)) (v128.not (local.get $y))))
    (local.set $b (array.new $vs (i8x16.add (local.get $x) (local.get $y)) (i32.const 6)))
    (array.copy $vs $vs (local.get $b) (i32.and (local.get $i) (i32.const 7)) (local.get $a) (i32.const 1) (i32.const 3))
    (array.copy $vs $vs (local.get $a) (i32.const 0) (local.get $a) (i32.const 1) (i32.const 3))
    (array.get $vs (local.get $b) (i32.const 1))
    (array.get $vs (local.get $b) (i32.const 3))
    (array.get $vs (local.get $a) (i32.const 0))
    (array.get $vs (local.get $a) (i32.const 2)))
  (func (export "data") (param $i i32) (result v128 v128)
    (local $a (ref null $vs))
    (local.set $a (array.new_data $vs $d (i32.and (local.get $i) (i32.const 15)) (i32.const 2)))
    (array.init_data $vs $d (local.get $a) (i32.const 1) (local.get $i) (i32.const 1))
    (array.get $vs (local.get $a) (i32.const 0))
    (array.get $vs (local.get $a) (i32.const 1)))

  ;; A list of structs and an array, both with v128s, live across
  ;; allocations (a collection at each under GC stress).
  (func (export "list") (param $x v128) (param $y v128) (param $n i32) (result v128 v128)
    (local $p (ref null $s)) (local $arr (ref null $vs)) (local $acc v128) (local $k i32)
    (local.set $arr (array.new $vs (local.get $x) (i32.const 5)))
    (loop $l
      (local.set $p (call $mk (local.get $x)
        (i64x2.add (local.get $y) (i64x2.splat (i64.extend_i32_u (local.get $k))))
        (local.get $k) (local.get $p)))
      (array.set $vs (local.get $arr) (i32.rem_u (local.get $k) (i32.const 5))
        (struct.get $s $w (local.get $p)))
      (drop (array.new $vs (local.get $y) (i32.const 3)))
      (br_if $l (i32.lt_u (local.tee $k (i32.add (local.get $k) (i32.const 1)))
                          (i32.and (local.get $n) (i32.const 63)))))
    (block $done (loop $w
      (br_if $done (ref.is_null (local.get $p)))
      (local.set $acc (i32x4.add (i32x4.add (local.get $acc) (struct.get $s $v (local.get $p)))
                                 (struct.get $s $w (local.get $p))))
      (local.set $p (struct.get $s $r (local.get $p)))
      (br $w)))
    (local.get $acc)
    (i64x2.add (array.get $vs (local.get $arr) (i32.const 0)) (array.get $vs (local.get $arr) (i32.const 4))))

  (func $throw (param $x v128) (param $i i32) (param $y v128)
    (throw $e (local.get $x) (local.get $i) (local.get $y)))
  (func (export "catch") (param $x v128) (param $y v128) (param $i i32) (result v128 i32 v128)
    (block $h (result v128 i32 v128)
      (try_table (catch $e $h) (call $throw (local.get $x) (local.get $i) (local.get $y)))
      (unreachable)))
  (func (export "catch_inline") (param $x v128) (param $y v128) (param $i i32) (result v128 i32 v128)
    (block $h (result v128 i32 v128)
      (drop (block $h0 (result v128)
        (try_table (catch $e0 $h0) (catch $e $h)
          (throw $e (local.get $y) (local.get $i) (local.get $x)))
        (unreachable)))
      (unreachable)))
  (func (export "catch_ref") (param $x v128) (param $y v128) (param $i i32) (result v128 i32 v128)
    (local $ex exnref)
    (block $h2 (result v128 i32 v128)
      (try_table (catch $e $h2)
        (block $h (result v128 i32 v128 exnref)
          (try_table (catch_ref $e $h) (call $throw (local.get $x) (local.get $i) (local.get $y)))
          (unreachable))
        (local.set $ex) (drop) (drop) (drop)
        (throw_ref (local.get $ex)))
      (unreachable)))
  (func (export "catch_all") (param $x v128) (param $y v128) (param $i i32) (result v128 v128)
    (local $ex exnref)
    (block $h
      (try_table (catch_all $h) (call $throw (local.get $x) (local.get $i) (local.get $y)))
      (unreachable))
    (block $h2 (result v128)
      (try_table (catch $e0 $h2)
        (local.set $ex (block $h (result exnref)
          (try_table (catch_all_ref $h) (throw $e0 (local.get $x)))
          (unreachable)))
        (throw_ref (local.get $ex)))
      (unreachable))
    (local.get $y))
  (func (export "legacy") (param $x v128) (param $y v128) (param $i i32) (result v128 i32 v128)
    (try (result v128 i32 v128)
      (do
        (try
          (do (call $throw (local.get $x) (local.get $i) (local.get $y)))
          (catch $e0 (drop))
          (catch $e (drop) (drop) (drop) (rethrow 0)))
        (unreachable))
      (catch $e)))
  (func (export "legacy_delegate") (param $x v128) (param $y v128) (param $i i32) (result v128 v128)
    (try (result v128 v128)
      (do
        (try (do (throw $e0 (i16x8.sub (local.get $x) (local.get $y)))) (delegate 0))
        (unreachable))
      (catch $e0 (local.get $y))
      (catch_all (local.get $x) (local.get $y))))
  (func (export "legacy_all") (param $x v128) (param $y v128) (param $i i32) (result v128)
    (try (result v128)
      (do (call $throw (local.get $x) (local.get $i) (local.get $y)) (local.get $x))
      (catch_all (local.get $y))))
  (func (export "uncaught") (param $x v128) (param $y v128) (param $i i32)
    (if (i32.and (local.get $i) (i32.const 1))
      (then (call $throw (local.get $x) (local.get $i) (local.get $y))))
    (throw $e0 (local.get $y)))
  ;; A payload with a struct (holding v128s) and a v128, the struct alive
  ;; through the exception's allocation and allocations after the catch.
  (func (export "exn_gc") (param $x v128) (param $y v128) (param $i i32) (result v128 v128 v128)
    (local $j i32) (local $p (ref null $s))
    (block $h (result (ref null $s) v128)
      (try_table (catch $e2 $h)
        (throw $e2 (call $mk (local.get $x) (local.get $y) (local.get $i) (ref.null $s)) (local.get $y)))
      (unreachable))
    (loop $l
      (drop (call $mk (local.get $y) (local.get $x) (local.get $j) (ref.null $s)))
      (br_if $l (i32.lt_u (local.tee $j (i32.add (local.get $j) (i32.const 1))) (i32.const 20))))
    (local.set $y)
    (local.set $p)
    (struct.get $s $v (local.get $p))
    (struct.get $s $w (local.get $p))
    (local.get $y))
)`

// TestV128ObjectsAgainstInterpreter runs v128ObjWat natively (-O0, -O2,
// each with and without GC stress, and a -O0 debug build under stress)
// and on the interpreter with the same random arguments: results, trap
// messages and uncaught exceptions' payloads must agree, and the heap
// must verify after each build's calls.
func TestV128ObjectsAgainstInterpreter(t *testing.T) {
	ref := v128ObjInstance(t, interp.New(), runtime.Config{})
	for _, c := range []struct {
		name string
		opts compile.Options
		cfg  runtime.Config
	}{
		{"O0", compile.Options{OptLevel: 0}, runtime.Config{}},
		{"O2", compile.Options{OptLevel: 2}, runtime.Config{}},
		{"O0-stress", compile.Options{OptLevel: 0}, runtime.Config{GCStress: true}},
		{"O2-stress", compile.Options{OptLevel: 2}, runtime.Config{GCStress: true}},
		{"O0-debug-stress", compile.Options{OptLevel: 0, Debug: true}, runtime.Config{GCStress: true}},
	} {
		t.Run(c.name, func(t *testing.T) {
			s, e := newNativeStoreConfig(t, c.cfg, nil, func(e *Engine) {
				e.Options.OptLevel, e.Options.Debug = c.opts.OptLevel, c.opts.Debug
			})
			inst, err := s.Instantiate(parse(t, v128ObjWat), nil)
			if err != nil {
				t.Fatal(err)
			}
			if st, _ := e.native(inst); st == nil {
				t.Fatal("the module does not run natively")
			}
			v128ObjAgainst(t, inst, ref)
			if err := s.Heap.GC.Verify(); err != nil {
				t.Error(err)
			}
		})
	}
}

func v128ObjInstance(t *testing.T, eng runtime.Engine, cfg runtime.Config) *runtime.Instance {
	t.Helper()
	cfg.Engine = eng
	s, err := runtime.NewStore(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	inst, err := s.Instantiate(parse(t, v128ObjWat), nil)
	if err != nil {
		t.Fatal(err)
	}
	return inst
}

func v128ObjAgainst(t *testing.T, native, ref *runtime.Instance) {
	r := rand.New(rand.NewPCG(3, 4))
	for _, ex := range native.Module.Exports {
		if ex.Kind != wasm.ExternFunc {
			continue
		}
		fn, rf := native.ExportedFunc(ex.Name), ref.ExportedFunc(ex.Name)
		traps := 0
		for range 60 {
			var args []runtime.Value
			for _, p := range fn.Type.Comp.Params {
				args = append(args, randArg(r, p))
			}
			got, gerr := fn.Call(args)
			want, werr := rf.Call(args)
			if werr != nil {
				traps++
				if msg := sameFailure(gerr, werr); msg != "" {
					t.Fatalf("%s%v: %s", ex.Name, args, msg)
				}
				continue
			}
			if gerr != nil || len(got) != len(want) {
				t.Fatalf("%s%v: native %v, %v; interpreter %v", ex.Name, args, got, gerr, want)
			}
			for k := range want {
				if !sameResult(got[k], want[k], 0) {
					t.Fatalf("%s%v: native %v, interpreter %v", ex.Name, args, got, want)
				}
			}
		}
		// Every export must return for some arguments (its reads are
		// compared), except the one that always throws.
		if traps == 60 && ex.Name != "uncaught" {
			t.Errorf("%s: every call failed", ex.Name)
		}
	}
}

// sameFailure compares a native call's error with the interpreter's: the
// same trap message, or the same uncaught exception payload. It returns
// what differs ("" when they agree).
func sameFailure(gerr, werr error) string {
	var gx, wx *runtime.Exception
	if errors.As(werr, &wx) {
		// The tags are different stores' instances: the payloads say
		// which one was thrown.
		if !errors.As(gerr, &gx) || len(gx.Payload) != len(wx.Payload) {
			return "native " + errString(gerr) + ", interpreter " + werr.Error()
		}
		for k := range wx.Payload {
			if gx.Payload[k] != wx.Payload[k] {
				return "native payload " + errString(gerr) + ", interpreter " + werr.Error()
			}
		}
		return ""
	}
	var gt, wt *runtime.Trap
	if !errors.As(gerr, &gt) || !errors.As(werr, &wt) || gt.Msg != wt.Msg {
		return "native error " + errString(gerr) + ", interpreter " + werr.Error()
	}
	return ""
}

func errString(err error) string {
	if err == nil {
		return "<nil>"
	}
	return err.Error()
}

// TestV128PayloadAcrossTiers: native code catches a v128 payload thrown
// by the interpreter fallback (a module with more locals than the
// compiler takes) through the exception object both tiers read and
// write, and its own uncaught throw leaves with the payload whole.
func TestV128PayloadAcrossTiers(t *testing.T) {
	s, e := newNativeStore(t, interp.New(), nil)
	a, err := s.Instantiate(parse(t, `(module
	  (tag $e (export "e") (param v128 i32 v128))
	  (func (export "throw") (param v128 i32 v128) (local`+refusedLocals+`)
	    (throw $e (local.get 0) (local.get 1) (local.get 2))))`), nil)
	if err != nil {
		t.Fatal(err)
	}
	if st, _ := e.native(a); st != nil {
		t.Fatal("the throwing module runs natively; the test needs it interpreted")
	}
	s.Register("a", a)
	b, err := s.Instantiate(parse(t, `(module
	  (import "a" "e" (tag $e (param v128 i32 v128)))
	  (import "a" "throw" (func $throw (param v128 i32 v128)))
	  (func (export "catch") (param v128 i32 v128) (result v128 i32 v128)
	    (block $h (result v128 i32 v128)
	      (try_table (catch $e $h) (call $throw (local.get 0) (local.get 1) (local.get 2)))
	      (unreachable)))
	  (func (export "throw") (param v128 i32 v128)
	    (throw $e (local.get 0) (local.get 1) (local.get 2))))`), nil)
	if err != nil {
		t.Fatal(err)
	}
	if st, _ := e.native(b); st == nil {
		t.Fatal("the catching module is not native")
	}
	args := []runtime.Value{
		{Type: wasm.V128, Bits: 0x0123456789abcdef, Hi: 0xfedcba9876543210},
		runtime.I32(-7),
		{Type: wasm.V128, Bits: 0x8000000000000001, Hi: 0x7ff8000000000000},
	}
	got, err := b.ExportedFunc("catch").Call(args)
	if err != nil || len(got) != 3 || got[0] != args[0] || got[1] != args[1] || got[2] != args[2] {
		t.Errorf("catch%v = %v, %v; want the arguments back", args, got, err)
	}
	// Uncaught, the native throw's payload reaches the embedder whole.
	_, err = b.ExportedFunc("throw").Call(args)
	var ex *runtime.Exception
	if !errors.As(err, &ex) || len(ex.Payload) != 3 || ex.Payload[0] != args[0] || ex.Payload[1] != args[1] || ex.Payload[2] != args[2] {
		t.Errorf("throw%v: %v, want an uncaught exception with the arguments", args, err)
	}
}
