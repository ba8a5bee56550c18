package loader

import (
	"strings"
	"testing"

	"github.com/gcscope/gcscope/engine/runtime"
	"github.com/gcscope/gcscope/examples"
)

// BenchmarkFibVariants measures what exceptions and tail calls cost code
// that uses neither: fib(30) as is (no test after calls, C convention),
// in a module with a tag and a handler (every call tests the
// pending-exception word) and in a module with a tail call (every
// function uses tailcc).
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
