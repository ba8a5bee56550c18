package loader

import (
	"testing"

	"github.com/gcscope/gcscope/engine/interp"
	"github.com/gcscope/gcscope/engine/runtime"
	"github.com/gcscope/gcscope/examples"
)

// benchExample calls export fn of an example with args on the given
// engine, b.N times. The AOT engine compiles once, at instantiation,
// before the timer starts.
func benchExample(b *testing.B, eng runtime.Engine, file, fn string, args ...runtime.Value) {
	src, err := examples.FS.ReadFile(file)
	if err != nil {
		b.Fatal(err)
	}
	s, err := runtime.NewStore(runtime.Config{Engine: eng})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	inst, err := s.Instantiate(parse(b, string(src)), nil)
	if err != nil {
		b.Fatal(err)
	}
	f := inst.ExportedFunc(fn)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := f.Call(args); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkTiers runs fib(30), the sieve's, nbody's and binary_trees' main on the
// interpreter and natively; compare the ns/op of the pairs.
func BenchmarkTiers(b *testing.B) {
	cases := []struct {
		name, file, fn string
		args           []runtime.Value
	}{
		{"fib30", "fib.wat", "fib", []runtime.Value{runtime.I32(30)}},
		{"sieve", "sieve.wat", "main", nil},
		{"nbody", "nbody.wat", "main", nil},
		{"binary_trees", "binary_trees.wat", "main", nil},
	}
	for _, c := range cases {
		b.Run(c.name+"/interp", func(b *testing.B) { benchExample(b, interp.New(), c.file, c.fn, c.args...) })
		b.Run(c.name+"/aot", func(b *testing.B) {
			e := New(nil)
			defer e.Close()
			benchExample(b, e, c.file, c.fn, c.args...)
		})
	}
	// What linking frame headers costs the call-heaviest program: the
	// ratio to aot should stay near 1 (DESIGN.md section 5).
	b.Run("fib30/aot-noheaders", func(b *testing.B) {
		e := New(nil)
		e.Options.NoFrameHeaders = true
		defer e.Close()
		benchExample(b, e, "fib.wat", "fib", runtime.I32(30))
	})
}
