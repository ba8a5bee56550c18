package bench

import (
	"testing"

	"github.com/gcscope/gcscope/examples"
)

// readyRunner makes newRunner's runner for an example and calls main once
// before the clock starts (lazy compilation and the first memory growth
// are not what the benchmarks measure). It gives the example's documented
// (V8) result, which every timed call is checked against; the caller
// closes the runner.
func readyRunner(b *testing.B, file string, newRunner func([]byte) (runner, error)) (runner, int64) {
	b.Helper()
	want, ok := examples.MainResults[file]
	if !ok {
		b.Fatalf("%s: no expected result", file)
	}
	bin, err := exampleBinary(file)
	if err != nil {
		b.Fatal(err)
	}
	r, err := newRunner(bin)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := r.callMain(); err != nil {
		r.close()
		b.Fatal(err)
	}
	return r, want
}

// checkMain calls main once and fails unless it returns want.
func checkMain(b *testing.B, r runner, file string, want int64) {
	got, err := r.callMain()
	if err != nil {
		b.Fatal(err)
	}
	if got != want {
		b.Fatalf("%s: main() = %d, want %d", file, got, want)
	}
}
