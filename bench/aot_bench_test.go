package bench

import (
	"errors"
	goruntime "runtime"
	"strings"
	"testing"
	"time"

	"github.com/gcscope/gcscope/bench/native"
	"github.com/gcscope/gcscope/engine/runtime"
	"github.com/gcscope/gcscope/examples"
)

// BenchmarkAOT runs main of every example side by side on gcscope's
// interpreter, the AOT tier, the C version (gcc -O2, bench/native) and V8
// (Node.js 24), as sub-benchmarks PROGRAM/ENGINE with ENGINE one of
// interp, aot, gcc-O2, v8. Besides ns/op (wall time) each reports
// cpu-ns/op, the CPU time per call, which a busy machine disturbs less.
// A program the AOT compiler refuses is skipped with the reason; v8 is
// skipped when Node.js 24 is not installed (`make bench-setup`). The v8 ns/op is the wall time per call measured inside
// node after v8Warmup of calls (steady state; cpu-ns/op is the node
// process's CPU time), so node's start-up and the pipe are not in it.
// TestReportAOT prints the same comparison as one table with ratios.
func BenchmarkAOT(b *testing.B) {
	node, why := node24()
	var v8 *v8Proc
	b.Cleanup(func() {
		if v8 != nil {
			v8.close()
		}
	})
	warm := map[string]bool{}
	for _, file := range aotPrograms(b) {
		name := strings.TrimSuffix(file, ".wat")
		b.Run(name+"/interp", func(b *testing.B) {
			benchCPU(b, file, func(bin []byte) (runner, error) { return newGcscope(bin, runtime.Config{}) })
		})
		b.Run(name+"/aot", func(b *testing.B) {
			benchCPU(b, file, func(bin []byte) (runner, error) {
				r, err := newAOT(bin)
				if un := (*aotUnsupported)(nil); errors.As(err, &un) {
					b.Skip(un)
				}
				return r, err
			})
		})
		if _, ok := native.Mains[file]; ok {
			b.Run(name+"/gcc-O2", func(b *testing.B) {
				benchCPU(b, file, func([]byte) (runner, error) { return newNative(file) })
			})
		}
		b.Run(name+"/v8", func(b *testing.B) {
			if node == "" {
				b.Skip("V8: " + why)
			}
			// Starting node, loading and warming up are not what is measured;
			// untimed, they also keep the first b.N from being the last.
			b.StopTimer()
			if v8 == nil {
				var err error
				if v8, err = startV8(node); err != nil {
					b.Fatal(err)
				}
			}
			if !warm[name] {
				if err := warmV8(v8, file); err != nil {
					b.Fatal(err)
				}
				warm[name] = true
			}
			b.StartTimer()
			cpu, wall, err := v8.run(name, b.N)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(float64(wall)/float64(b.N), "ns/op")
			b.ReportMetric(float64(cpu)/float64(b.N), "cpu-ns/op")
		})
	}
}

// warmV8 loads an example into the V8 runner and calls its main until
// v8Warmup of CPU time has passed.
func warmV8(v8 *v8Proc, file string) error {
	name := strings.TrimSuffix(file, ".wat")
	bin, err := exampleBinary(file)
	if err != nil {
		return err
	}
	if err := v8.load(name, bin, "main", examples.MainResults[file]); err != nil {
		return err
	}
	var spent time.Duration
	for n := 1; spent < v8Warmup; n *= 2 {
		cpu, _, err := v8.run(name, n)
		if err != nil {
			return err
		}
		spent += cpu
	}
	return nil
}

// benchCPU is benchMain (every result checked) plus cpu-ns/op: the
// calling thread's CPU time per call, the thread locked for the loop.
func benchCPU(b *testing.B, file string, newRunner func([]byte) (runner, error)) {
	r, want := readyRunner(b, file, newRunner)
	defer r.close()
	goruntime.LockOSThread()
	defer goruntime.UnlockOSThread()
	start := threadCPU()
	for b.Loop() {
		checkMain(b, r, file, want)
	}
	b.ReportMetric(float64(threadCPU()-start)/float64(b.N), "cpu-ns/op")
}
