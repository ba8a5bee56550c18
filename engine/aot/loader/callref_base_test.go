package loader

import (
	"fmt"
	"testing"

	"github.com/gcscope/gcscope/engine/aot/compile"
	"github.com/gcscope/gcscope/engine/runtime"
)

// callRefModule defines three functions of type $f, each returning its
// argument plus a constant of its own, and calls (call_ref) or tail-calls
// (return_call_ref) whatever funcref it is given. With alloc, each
// function first allocates, so that under GC stress a collection runs
// between finding the callee and returning.
func callRefModule(k int) string {
	return fmt.Sprintf(`(module
  (type $f (func (param i32) (result i32)))
  (type $box (struct (field i32)))
  (func $a (export "a") (type $f) (struct.get $box 0 (struct.new $box (i32.add (local.get 0) (i32.const %d)))))
  (func $b (export "b") (type $f) (i32.add (local.get 0) (i32.const %d)))
  (func $c (export "c") (type $f) (struct.get $box 0 (struct.new $box (i32.add (local.get 0) (i32.const %d)))))
  (func (export "call") (param (ref $f)) (param i32) (result i32)
    (call_ref $f (local.get 1) (local.get 0)))
  (func (export "tail") (param (ref $f)) (param i32) (result i32)
    (return_call_ref $f (local.get 1) (local.get 0))))`, 100*k+1, 100*k+2, 100*k+3)
}

// TestCallRefFindsCalleeByAddress: call_ref and return_call_ref find a
// funcref of their own instance from its address (InstFuncRefBase), and
// send funcrefs of the instances made before and after theirs (whose
// funcref objects lie right below and right above its range) to the
// helper, which calls the right function. Each case runs with the word
// set and with it cleared (all ones: the funcref's number is read instead),
// with and without GC stress.
func TestCallRefFindsCalleeByAddress(t *testing.T) {
	for _, stress := range []bool{false, true} {
		for _, scattered := range []bool{false, true} {
			t.Run(fmt.Sprintf("stress=%v/scattered=%v", stress, scattered), func(t *testing.T) {
				s, e := newNativeStoreConfig(t, runtime.Config{GCStress: stress}, nil, nil)
				var insts [3]*runtime.Instance
				for k := range insts {
					inst, err := s.Instantiate(parse(t, callRefModule(k)), nil)
					if err != nil {
						t.Fatal(err)
					}
					insts[k] = inst
				}
				mid := insts[1]
				st, err := e.native(mid)
				if err != nil || st == nil {
					t.Fatalf("the module does not run natively: %v", err)
				}
				word := &st.globals.Words()[len(mid.Globals)+compile.InstFuncRefBase]
				if *word == ^uint64(0) {
					t.Fatal("instantiation left the funcrefs scattered: the test would not run the address path")
				}
				if scattered {
					*word = ^uint64(0)
				}
				for k, inst := range insts {
					for j, name := range []string{"a", "b", "c"} {
						fr := inst.ExportedFunc(name).Ref()
						want := uint64(100*k + j + 1 + 7)
						for _, via := range []string{"call", "tail"} {
							res, err := mid.ExportedFunc(via).Call([]runtime.Value{fr, runtime.I32(7)})
							if err != nil || len(res) != 1 || res[0].Bits != want {
								t.Errorf("%s(instance %d's %s, 7) = %v, %v; want %d", via, k, name, res, err, want)
							}
						}
					}
				}
			})
		}
	}
}

// TestFuncRefBaseChecksTheRun: the word is the first defined function's
// funcref when they are consecutive, and all ones for a module without
// defined functions.
func TestFuncRefBaseChecksTheRun(t *testing.T) {
	s, _ := newNativeStore(t, nil, nil)
	inst, err := s.Instantiate(parse(t, callRefModule(0)), nil)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := funcRefBase(inst), inst.ExportedFunc("a").Ref().Bits; got != want {
		t.Errorf("funcRefBase = %#x, want a's funcref %#x", got, want)
	}
	s.Register("m", inst)
	imp, err := s.Instantiate(parse(t, `(module (import "m" "a" (func (param i32) (result i32))))`), nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := funcRefBase(imp); got != ^uint64(0) {
		t.Errorf("funcRefBase of a module without defined functions = %#x, want all ones", got)
	}
}
