package loader

import (
	"strings"
	"testing"

	"github.com/gcscope/gcscope/engine/interp"
	"github.com/gcscope/gcscope/engine/runtime"
	"github.com/gcscope/gcscope/examples"
)

// BenchmarkFibVariants measures what exceptions and tail calls cost code
// that uses neither: fib(30) as is (no test after calls, C convention),
// in a module with a tag and a handler (every call tests the
// pending-exception word), as the target of a tail call (fib uses
// tailcc) and in a module with a tail call elsewhere (fib keeps the C
// convention).
func BenchmarkFibVariants(b *testing.B) {
	src, err := examples.FS.ReadFile("fib.wat")
	if err != nil {
		b.Fatal(err)
	}
	base := string(src)
	last := strings.LastIndex(base, ")")
	with := func(extra string) string { return base[:last] + extra + base[last:] }
	for _, c := range []struct{ name, src string }{
		{"plain", base},
		{"catching", with(`(tag $unused) (func $handler (block $h (try_table (catch_all $h) (nop))))`)},
		{"tailcc", with(`(func $unused (result i32) (return_call $fib (i32.const 1)))`)},
		{"tailcall-elsewhere", with(`(func $g (param i32) (result i32) (local.get 0))
			(func $unused (result i32) (return_call $g (i32.const 1)))`)},
	} {
		b.Run(c.name, func(b *testing.B) {
			e := New(nil)
			defer e.Close()
			s, err := runtime.NewStore(runtime.Config{Engine: e})
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			inst, err := s.Instantiate(parse(b, c.src), nil)
			if err != nil {
				b.Fatal(err)
			}
			f := inst.ExportedFunc("fib")
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if res, err := f.Call([]runtime.Value{runtime.I32(30)}); err != nil || res[0].Bits != 832040 {
					b.Fatalf("fib(30) = %v, %v", res, err)
				}
			}
		})
	}
}

// BenchmarkThrowCatch throws and catches 1000 exceptions per op, across
// a native call, on both tiers: a throw and each clause tested are a cgo
// callback in native code.
func BenchmarkThrowCatch(b *testing.B) {
	const src = `(module
	  (tag $e (param i32))
	  (func $t (param i32) (throw $e (local.get 0)))
	  (func (export "run") (result i32)
	    (local $i i32) (local $sum i32)
	    (loop $l
	      (block $h (result i32)
	        (try_table (catch $e $h) (call $t (local.get $i)))
	        (i32.const 0))
	      (local.set $sum (i32.add (local.get $sum)))
	      (local.set $i (i32.add (local.get $i) (i32.const 1)))
	      (br_if $l (i32.lt_u (local.get $i) (i32.const 1000))))
	    (local.get $sum)))`
	for _, c := range []struct {
		name string
		eng  func() runtime.Engine
	}{{"interp", func() runtime.Engine { return interp.New() }}, {"aot", func() runtime.Engine { return New(nil) }}} {
		b.Run(c.name, func(b *testing.B) {
			eng := c.eng()
			if e, ok := eng.(*Engine); ok {
				defer e.Close()
			}
			inst, closeStore := benchInstance(b, eng, src)
			defer closeStore()
			f := inst.ExportedFunc("run")
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if res, err := f.Call(nil); err != nil || res[0].Bits != 499500 {
					b.Fatalf("run() = %v, %v", res, err)
				}
			}
		})
	}
}
