package native

import (
	"testing"

	"github.com/gcscope/gcscope/examples"
)

// TestMainsMatchExamples checks that every C program returns what its
// Wasm example's main returns: the same work, checked the same way.
func TestMainsMatchExamples(t *testing.T) {
	if len(Mains) == 0 {
		t.Fatal("no C programs")
	}
	for file, main := range Mains {
		want, ok := examples.MainResults[file]
		if !ok {
			t.Errorf("%s: not an example with a known result", file)
			continue
		}
		// Twice: the second run reuses the buffers the first allocated.
		for run := range 2 {
			if got := main(); got != want {
				t.Errorf("%s run %d: main() = %d, want %d", file, run, got, want)
			}
		}
	}
}

// TestOtherInputs checks the C programs on the other inputs the examples
// document, so they compute the functions and not just one number.
func TestOtherInputs(t *testing.T) {
	checks := []struct {
		name      string
		got, want int64
	}{
		{"fib(20)", int64(Fib(20)), 6765},
		{"fib(30)", int64(Fib(30)), 832040},
		{"count_primes(100)", int64(Sieve(100)), 25},
		{"count_primes(1000000)", int64(Sieve(1000000)), 78498},
		{"count_primes(100) after a larger one", int64(Sieve(100)), 25},
		{"nbody run(0)", NBody(0), -169075163},
		{"binary_trees run(6)", int64(BinaryTrees(6)), 4398},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %d, want %d", c.name, c.got, c.want)
		}
	}
}

// BenchmarkMains times each C program's main, for a quick look without
// the Wasm engines (bench.BenchmarkAOT runs them side by side).
func BenchmarkMains(b *testing.B) {
	for file, main := range Mains {
		b.Run(file, func(b *testing.B) {
			for b.Loop() {
				if got := main(); got != examples.MainResults[file] {
					b.Fatalf("main() = %d", got)
				}
			}
		})
	}
}

// BenchmarkCgoCall measures what one call from Go into C costs (fib(1)
// returns at once): the overhead every timed C run carries, to compare
// with the runs' own times (bench/README.md).
func BenchmarkCgoCall(b *testing.B) {
	for b.Loop() {
		if Fib(1) != 1 {
			b.Fatal("fib(1) != 1")
		}
	}
}
