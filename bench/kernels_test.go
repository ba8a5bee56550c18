package bench

import (
	"fmt"
	"io/fs"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/gcscope/gcscope/examples"
)

// kernels are the MVP examples (no GC), which both engines run: each
// benchmark calls main, whose input is fixed by the example (fib(25),
// primes below 100000, 1000 n-body steps).
var kernels = []struct{ name, file string }{
	{"fib", "fib.wat"},
	{"sieve", "sieve.wat"},
	{"nbody", "nbody.wat"},
}

// BenchmarkKernels runs the MVP kernels on gcscope's interpreter and on
// wazero's, as sub-benchmarks KERNEL/ENGINE with the same binary and
// input: compare them with benchstat, or run TestReportRatios.
func BenchmarkKernels(b *testing.B) {
	for _, k := range kernels {
		for _, e := range engines {
			b.Run(k.name+"/"+e.name, func(b *testing.B) { benchMain(b, k.file, e.new) })
		}
	}
}

// BenchmarkExamples runs main of every other example (the GC programs,
// which wazero cannot run) on gcscope's interpreter.
func BenchmarkExamples(b *testing.B) {
	for _, file := range gcExamples(b) {
		name := strings.TrimSuffix(file, ".wat")
		b.Run(name+"/gcscope-interp", func(b *testing.B) { benchMain(b, file, engines[0].new) })
	}
}

// gcExamples lists the examples that are not kernels.
func gcExamples(tb testing.TB) []string {
	files, err := fs.Glob(examples.FS, "*.wat")
	if err != nil {
		tb.Fatal(err)
	}
	return slices.DeleteFunc(files, func(f string) bool {
		return slices.ContainsFunc(kernels, func(k struct{ name, file string }) bool { return k.file == f })
	})
}

// ratioGoal is how many times faster than wazero's interpreter gcscope's
// must be on the kernels.
const ratioGoal = 3.0

// ratioRounds is how many times each engine runs each kernel, the two
// engines alternating; the fastest round counts.
const ratioRounds = 5

// TestReportRatios measures each kernel on both engines in one run and
// prints time per call and the ratio wazero/gcscope (above 1: gcscope is
// faster). Time is the calling thread's CPU time, so other processes on
// a busy machine disturb it less than wall time; the engines alternate
// and each keeps its fastest of ratioRounds batches of at least 100 ms.
// It runs only when GCSCOPE_BENCH_RATIOS is set, since it takes several
// seconds: `GCSCOPE_BENCH_RATIOS=1 go test ./bench -run TestReportRatios -v
// -count=1` (-count=1: go test would otherwise replay a cached report).
func TestReportRatios(t *testing.T) {
	if os.Getenv("GCSCOPE_BENCH_RATIOS") == "" {
		t.Skip("set GCSCOPE_BENCH_RATIOS=1 to measure")
	}
	var report strings.Builder
	fmt.Fprintf(&report, "%-8s %14s %14s %8s  (CPU time per call of main; goal: ratio >= %.0f)\n",
		"kernel", "gcscope", "wazero", "ratio", ratioGoal)
	for _, k := range kernels {
		best, err := measureKernel(k.file)
		if err != nil {
			t.Fatalf("%s: %v", k.name, err)
		}
		ratio := float64(best[1]) / float64(best[0])
		verdict := "met"
		if ratio < ratioGoal {
			verdict = "NOT met"
		}
		fmt.Fprintf(&report, "%-8s %14v %14v %7.2fx  %s\n", k.name, best[0], best[1], ratio, verdict)
	}
	t.Log("\n" + report.String())
}
