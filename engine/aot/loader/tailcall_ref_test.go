package loader

import (
	"errors"
	"testing"

	"github.com/gcscope/gcscope/engine/runtime"
)

// tailRefWat builds a list by tail recursion through return_call_ref and
// sums it the same way: the list lives only in the parameters the tail
// calls pass on, so it survives a collection only if each callee, whose
// frame took over its caller's, roots its own references.
const tailRefWat = `(module
  (type $node (struct (field i64) (field (ref null $node))))
  (type $f (func (param i64 (ref null $node)) (result i64)))
  (elem declare func $build $sum)
  (func $build (type $f)
    (if (result i64) (i64.eqz (local.get 0))
      (then (return_call_ref $f (i64.const 0) (local.get 1) (ref.func $sum)))
      (else (return_call_ref $f (i64.sub (local.get 0) (i64.const 1))
        (struct.new $node (local.get 0) (local.get 1)) (ref.func $build)))))
  (func $sum (type $f)
    (if (result i64) (ref.is_null (local.get 1))
      (then (local.get 0))
      (else (return_call_ref $f (i64.add (local.get 0) (struct.get $node 0 (local.get 1)))
        (struct.get $node 1 (local.get 1)) (ref.func $sum)))))
  (func (export "run") (param i64) (result i64)
    (return_call_ref $f (local.get 0) (ref.null $node) (ref.func $build)))
  (func (export "null") (result i64)
    (return_call_ref $f (i64.const 0) (ref.null $node) (ref.null $f)))
)`

func TestReturnCallRef(t *testing.T) {
	for _, c := range []struct {
		name   string
		stress bool
		n      uint64
	}{{"deep", false, 1_000_000}, {"gc-stress", true, 300}} {
		t.Run(c.name, func(t *testing.T) {
			e := New(nil)
			s, err := runtime.NewStore(runtime.Config{Engine: e, GCStress: c.stress})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { s.Close(); e.Close() })
			inst, err := s.Instantiate(parse(t, tailRefWat), nil)
			if err != nil {
				t.Fatal(err)
			}
			if st, _ := e.native(inst); st == nil {
				t.Fatal("the module does not run natively")
			}
			res, err := inst.ExportedFunc("run").Call([]runtime.Value{runtime.I64(int64(c.n))})
			if want := c.n * (c.n + 1) / 2; err != nil || res[0].Bits != want {
				t.Fatalf("run(%d) = %v, %v; want %d", c.n, res, err, want)
			}
			_, err = inst.ExportedFunc("null").Call(nil)
			var tr *runtime.Trap
			if !errors.As(err, &tr) || tr.Msg != "null function reference" {
				t.Fatalf("null: %v, want the trap \"null function reference\"", err)
			}
		})
	}
}

// TestReturnCallRefForeign: return_call_ref of a function of another
// instance takes call_ref's helper and returns its result; an exception
// it raises leaves the tail-calling function (its handler no longer
// covers the call) and is caught by the caller's.
func TestReturnCallRefForeign(t *testing.T) {
	s, e := newNativeStore(t, nil, nil)
	a, err := s.Instantiate(parse(t, `(module
	  (type $f (func (param i32) (result i32)))
	  (tag $e (export "e") (param i32))
	  (func (export "g") (type $f)
	    (if (local.get 0) (then (throw $e (local.get 0))))
	    (i32.const 42)))`), nil)
	if err != nil {
		t.Fatal(err)
	}
	s.Register("a", a)
	b, err := s.Instantiate(parse(t, `(module
	  (type $f (func (param i32) (result i32)))
	  (import "a" "e" (tag $e (param i32)))
	  (import "a" "g" (func $g (type $f)))
	  (elem declare func $g)
	  (func $tc (param i32) (result i32)
	    (block $h (result i32)
	      (try_table (catch $e $h)
	        (return_call_ref $f (local.get 0) (ref.func $g)))
	      (unreachable))
	    (i32.const 1000) (i32.add))
	  (func (export "f") (param i32) (result i32)
	    (block $h (result i32)
	      (try_table (result i32) (catch $e $h) (call $tc (local.get 0)))
	      (return))
	    (i32.const 2000) (i32.add)))`), nil)
	if err != nil {
		t.Fatal(err)
	}
	if st, _ := e.native(b); st == nil {
		t.Fatal("the calling module does not run natively")
	}
	for _, c := range [][2]int32{{0, 42}, {5, 2005}} {
		res, err := b.ExportedFunc("f").Call([]runtime.Value{runtime.I32(c[0])})
		if err != nil || int32(res[0].Bits) != c[1] {
			t.Errorf("f(%d) = %v, %v; want %d", c[0], res, err, c[1])
		}
	}
}
