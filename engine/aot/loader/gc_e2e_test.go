package loader

import (
	"errors"
	"testing"

	"github.com/gcscope/gcscope/engine/interp"
	"github.com/gcscope/gcscope/engine/runtime"
	"github.com/gcscope/gcscope/examples"
)

// gcExamples are the examples that allocate on the GC heap.
var gcExamples = []string{"binary_trees.wat", "linked_list.wat", "shapes.wat", "i31_mix.wat"}

// TestGCExamples runs the GC examples natively, normally and with a
// collection at every allocation (GC stress): a reference the frames fail
// to root is freed at once and the result (or the heap check after it)
// goes wrong.
func TestGCExamples(t *testing.T) {
	for _, name := range gcExamples {
		for _, stress := range []bool{false, true} {
			label := name
			if stress {
				label += "/stress"
			}
			t.Run(label, func(t *testing.T) {
				if stress && name == "binary_trees.wat" && testing.Short() {
					t.Skip("slow under GC stress")
				}
				src, err := examples.FS.ReadFile(name)
				if err != nil {
					t.Fatal(err)
				}
				e := New(nil)
				s, err := runtime.NewStore(runtime.Config{Engine: e, GCStress: stress})
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { s.Close(); e.Close() })
				inst, err := s.Instantiate(parse(t, string(src)), nil)
				if err != nil {
					t.Fatal(err)
				}
				if got, want := mainResult(t, inst), examples.MainResults[name]; got != want {
					t.Fatalf("main = %d, want %d", got, want)
				}
				if err := s.Heap.GC.Verify(); err != nil {
					t.Fatalf("heap after main: %v", err)
				}
				st := s.Heap.GC.Stats()
				if stress && st.Collections == 0 && name != "i31_mix.wat" {
					t.Fatalf("no collection under GC stress: %+v", st)
				}
				if st.BadRefs != 0 {
					t.Fatalf("the collector met %d bad references", st.BadRefs)
				}
			})
		}
	}
}

// TestGCTraps checks the GC traps' messages and that the backtrace names
// the trapping instruction's function.
func TestGCTraps(t *testing.T) {
	inst, _ := instantiate(t, parse(t, `(module
  (type $s (struct (field (mut i32))))
  (type $a (array (mut i8)))
  (type $sub (sub (struct)))
  (type $sub2 (sub $sub (struct (field i32))))
  (func (export "nullget") (result i32) (struct.get $s 0 (ref.null $s)))
  (func (export "oob") (result i32) (array.get_u $a (array.new_default $a (i32.const 3)) (i32.const 3)))
  (func (export "cast") (result i32) (ref.cast (ref $s) (struct.new_default $sub)) (drop) (i32.const 0))
  (func (export "subok") (result i32) (ref.test (ref $sub) (struct.new_default $sub2)))
  (func (export "i31") (result i32) (i31.get_s (ref.null i31)))
  (func (export "callnull") (result i32) (call_ref $ft (ref.null $ft)))
  (type $ft (func (result i32)))
  (func (export "asnn") (result i32) (ref.as_non_null (ref.null any)) (drop) (i32.const 0)))`))
	cases := []struct{ fn, msg string }{
		{"nullget", "null structure reference"},
		{"oob", "out of bounds array access"},
		{"cast", "cast failure"},
		{"i31", "null i31 reference"},
		{"callnull", "null function reference"},
		{"asnn", "null reference"},
	}
	for _, c := range cases {
		_, err := inst.ExportedFunc(c.fn).Call(nil)
		var tr *runtime.Trap
		if !errors.As(err, &tr) || tr.Msg != c.msg {
			t.Errorf("%s: got %v, want the trap %q", c.fn, err, c.msg)
			continue
		}
		if len(tr.Backtrace) == 0 || tr.Backtrace[0].Offset == 0 {
			t.Errorf("%s: backtrace %+v does not name the instruction", c.fn, tr.Backtrace)
		}
	}
	res, err := inst.ExportedFunc("subok").Call(nil)
	if err != nil || int32(res[0].Bits) != 1 {
		t.Errorf("ref.test of a subtype: %v %v, want 1", res, err)
	}
}

// BenchmarkGCExamples runs the GC examples' main on the interpreter and
// natively; compare the ns/op of the pairs.
func BenchmarkGCExamples(b *testing.B) {
	for _, name := range gcExamples {
		b.Run(name+"/interp", func(b *testing.B) { benchExample(b, interp.New(), name, "main") })
		b.Run(name+"/aot", func(b *testing.B) {
			e := New(nil)
			defer e.Close()
			benchExample(b, e, name, "main")
		})
	}
}

// BenchmarkRefCommits measures what committing references costs the most
// call-bound program: fib(27) plain, and with a reference parameter live
// across both recursive calls (stored to its slot at each call).
func BenchmarkRefCommits(b *testing.B) {
	const wat = `(module
  (type $box (struct (field i32)))
  (func $fib (export "fib") (param i32) (result i32)
    (if (result i32) (i32.lt_u (local.get 0) (i32.const 2)) (then (local.get 0))
      (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1)))
                     (call $fib (i32.sub (local.get 0) (i32.const 2)))))))
  (func $fibr (param i32) (param (ref $box)) (result i32)
    (if (result i32) (i32.lt_u (local.get 0) (i32.const 2))
      (then (i32.add (local.get 0) (struct.get $box 0 (local.get 1))))
      (else (i32.add (call $fibr (i32.sub (local.get 0) (i32.const 1)) (local.get 1))
                     (call $fibr (i32.sub (local.get 0) (i32.const 2)) (local.get 1))))))
  (func (export "fibref") (param i32) (result i32)
    (call $fibr (local.get 0) (struct.new $box (i32.const 0)))))`
	for _, fn := range []string{"fib", "fibref"} {
		b.Run(fn, func(b *testing.B) {
			inst, _ := instantiate(b, parse(b, wat))
			f := inst.ExportedFunc(fn)
			args := []runtime.Value{runtime.I32(27)}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if res, err := f.Call(args); err != nil || int32(res[0].Bits) != 196418 {
					b.Fatalf("%s(27) = %v %v", fn, res, err)
				}
			}
		})
	}
}
