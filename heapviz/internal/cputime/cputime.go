// Package cputime reports the CPU time a benchmark used per operation,
// next to ns/op: on the shared machine the team builds on, wall time
// depends on what everyone else runs, while CPU time measures the code.
package cputime

import "testing"

// Measure runs op b.N times (through b.Loop) and reports the process's CPU
// time (user plus system, all threads, so the collector's work counts) per
// operation as "cpu-ms/op". Where the platform cannot tell, only the loop
// runs.
func Measure(b *testing.B, op func()) {
	start, ok := processCPU()
	n := 0
	for b.Loop() {
		op()
		n++
	}
	if end, ok2 := processCPU(); ok && ok2 && n > 0 {
		b.ReportMetric(float64(end-start)/1e6/float64(n), "cpu-ms/op")
	}
}
