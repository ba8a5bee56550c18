package loader

import (
	goruntime "runtime"
	"syscall"
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
	inst, closeStore := benchInstance(b, eng, string(src))
	defer closeStore()
	f := inst.ExportedFunc(fn)
	// The calls run on this OS thread: its CPU time (cpu-ns/op) is what
	// they cost, much less disturbed than ns/op by a loaded machine.
	goruntime.LockOSThread()
	defer goruntime.UnlockOSThread()
	cpu0 := threadCPU()
	b.ResetTimer()
	// CallAppend reusing res: the call's own cost, without a result slice
	// allocated per call.
	var res []runtime.Value
	for i := 0; i < b.N; i++ {
		if res, err = f.CallAppend(res[:0], args); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(threadCPU()-cpu0)/float64(b.N), "cpu-ns/op")
}

// benchInstance instantiates the WAT module src in a new store on eng.
// The caller defers the close function it returns, which closes the
// store: before the engine is closed.
func benchInstance(b *testing.B, eng runtime.Engine, src string) (*runtime.Instance, func()) {
	b.Helper()
	s, err := runtime.NewStore(runtime.Config{Engine: eng})
	if err != nil {
		b.Fatal(err)
	}
	inst, err := s.Instantiate(parse(b, src), nil)
	if err != nil {
		s.Close()
		b.Fatal(err)
	}
	return inst, func() { s.Close() }
}

// threadCPU is the calling OS thread's user+system CPU time in ns.
func threadCPU() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(1 /* RUSAGE_THREAD */, &ru); err != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}

// benchCase is one example call the benchmarks time.
type benchCase struct {
	name, file, fn string
	args           []runtime.Value
}

// mvpBenchCases are the MVP kernels: fib(30), the sieve's and nbody's main.
var mvpBenchCases = []benchCase{
	{"fib30", "fib.wat", "fib", []runtime.Value{runtime.I32(30)}},
	{"sieve", "sieve.wat", "main", nil},
	{"nbody", "nbody.wat", "main", nil},
}

// BenchmarkTiers runs fib(30), the sieve's, nbody's and binary_trees' main on the
// interpreter and natively; compare the ns/op of the pairs.
func BenchmarkTiers(b *testing.B) {
	cases := append(mvpBenchCases[:len(mvpBenchCases):len(mvpBenchCases)], gcBenchCases[0]) // binary_trees
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
