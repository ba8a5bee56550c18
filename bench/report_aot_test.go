package bench

import (
	"errors"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gcscope/gcscope/engine/runtime"
	"github.com/gcscope/gcscope/examples"
)

// aotGoals is the goal for AOT time / gcc -O2 time, per program
// with a C version.
var aotGoals = map[string]float64{
	"fib.wat":          1.2,
	"sieve.wat":        1.2,
	"nbody.wat":        1.2,
	"binary_trees.wat": 2.0,
}

// The report's engines, in column order.
const (
	colInterp = iota
	colAOT
	colGCC
	colV8
	nCols
)

// aotPrograms lists every example, the MVP kernels first.
func aotPrograms(tb testing.TB) []string {
	var files []string
	for _, k := range kernels {
		files = append(files, k.file)
	}
	return append(files, gcExamples(tb)...)
}

// TestReportAOT measures every example on the interpreter, the AOT tier,
// the C version (gcc -O2, where there is one) and V8 (Node.js 24, where
// installed) in one run, and prints time per call of main, AOT/gcc and
// AOT/V8, then the AOT compile time per KB of Wasm. Times are CPU times
// (the calling thread's for the in-process engines, the node process's
// for V8), the median over GCSCOPE_BENCH_AOT_RUNS runs (default 3) of
// the fastest of bestOfRounds alternating batches of ~100 ms; V8 is
// measured after v8Warmup of calls (steady state). It runs only when
// GCSCOPE_BENCH_AOT is set: `GCSCOPE_BENCH_AOT=1 go test ./bench -run
// TestReportAOT -v -count=1 -timeout 30m`.
func TestReportAOT(t *testing.T) {
	if os.Getenv("GCSCOPE_BENCH_AOT") == "" {
		t.Skip("set GCSCOPE_BENCH_AOT=1 to measure")
	}
	var v8 *v8Proc
	node, why := node24()
	if node != "" {
		var err error
		if v8, err = startV8(node); err != nil {
			t.Fatal(err)
		}
		defer v8.close()
	}
	var report, notes strings.Builder
	fmt.Fprintf(&report, "CPU time per call of main, median of %d runs of best-of-%d batches; V8 after %v warm-up\n",
		reportRuns(), bestOfRounds, v8Warmup)
	fmt.Fprintf(&report, "%-13s %10s %10s %10s %10s %8s %8s  %s\n",
		"program", "interp", "AOT", "gcc -O2", "V8", "AOT/gcc", "AOT/V8", "goal (AOT/gcc)")
	for _, file := range aotPrograms(t) {
		if !reportSelected(file) {
			continue
		}
		row, note, err := measureRow(file, v8)
		if err != nil {
			// A wrong result or a failing engine fails the test; the other
			// programs are still measured.
			t.Errorf("%s: %v", file, err)
			row = fmt.Sprintf("%-13s failed: %v\n", strings.TrimSuffix(file, ".wat"), err)
		}
		report.WriteString(row)
		notes.WriteString(note)
	}
	if v8 == nil {
		fmt.Fprintf(&notes, "V8 skipped: %s\n", why)
	}
	report.WriteString(notes.String())
	var v8Loop *v8Proc
	if node != "" {
		var err error
		if v8Loop, err = startV8(node, v8RootBudgetFlags...); err != nil {
			t.Fatal(err)
		}
		defer v8Loop.close()
	}
	writeRepeatTable(t, &report, v8Loop)
	// Printed now: compiling takes minutes and may fail.
	t.Log("\n" + report.String())
	if os.Getenv(reportOnlyEnv) != "" {
		return // a partial report: the compile times are not wanted either
	}
	var compileReport strings.Builder
	err := reportCompileTimes(t, &compileReport)
	t.Log("\n" + compileReport.String())
	if err != nil {
		t.Fatal(err)
	}
}

// measureRow measures one example on every engine it runs on and formats
// its table row, plus notes on what did not run.
func measureRow(file string, v8 *v8Proc) (row, note string, err error) {
	name := strings.TrimSuffix(file, ".wat")
	want := examples.MainResults[file]
	bin, err := exampleBinary(file)
	if err != nil {
		return "", "", err
	}
	bs := make([]batcher, nCols)
	warm := make([]time.Duration, nCols)
	warm[colV8] = v8Warmup
	missing := make([]string, nCols)

	interp, err := newGcscope(bin, runtime.Config{})
	if err != nil {
		return "", "", fmt.Errorf("interpreter: %w", err)
	}
	defer interp.close()
	bs[colInterp] = inProcess{interp, want}

	var un *aotUnsupported
	switch aot, err := newAOT(bin); {
	case errors.As(err, &un):
		missing[colAOT] = "unsupported"
		note += fmt.Sprintf("%s: %v\n", name, err)
	case err != nil:
		return "", "", fmt.Errorf("AOT: %w", err)
	default:
		defer aot.close()
		bs[colAOT] = inProcess{aot, want}
	}

	if c, err := newNative(file); err == nil {
		bs[colGCC] = inProcess{c, want}
	} else {
		missing[colGCC] = "-"
	}

	if v8 != nil {
		if err := v8.load(name, bin, "main", want); err != nil {
			return "", "", err
		}
		bs[colV8] = inV8{v8, name}
	} else {
		missing[colV8] = "skipped"
	}

	best, err := medianOfRuns(bs, warm, reportRuns())
	if err != nil {
		return "", "", err
	}
	cell := func(c int) string {
		if bs[c] == nil {
			return missing[c]
		}
		return fmtDuration(best[c])
	}
	ratio := func(num, den int) string {
		if bs[num] == nil || bs[den] == nil {
			return "-"
		}
		return fmt.Sprintf("%.2fx", float64(best[num])/float64(best[den]))
	}
	goal := ""
	if g, ok := aotGoals[file]; ok {
		goal = fmt.Sprintf("<= %.1fx", g)
		switch {
		case bs[colAOT] == nil:
			goal += " (no AOT yet)"
		case float64(best[colAOT])/float64(best[colGCC]) <= g:
			goal += " met"
		default:
			goal += " NOT met"
		}
	}
	row = fmt.Sprintf("%-13s %10s %10s %10s %10s %8s %8s  %s\n", name, cell(colInterp), cell(colAOT),
		cell(colGCC), cell(colV8), ratio(colAOT, colGCC), ratio(colAOT, colV8), goal)
	return row, note, nil
}

// fmtDuration prints d with three significant digits.
func fmtDuration(d time.Duration) string {
	switch {
	case d >= time.Second:
		return fmt.Sprintf("%.3gs", d.Seconds())
	case d >= time.Millisecond:
		return fmt.Sprintf("%.3gms", float64(d)/float64(time.Millisecond))
	case d >= time.Microsecond:
		return fmt.Sprintf("%.3gµs", float64(d)/float64(time.Microsecond))
	}
	return fmt.Sprintf("%dns", d.Nanoseconds())
}

// defaultReportRuns is how many times TestReportAOT measures each program
// (each time best of bestOfRounds) before taking the median.
const defaultReportRuns = 3

// reportRuns returns $GCSCOPE_BENCH_AOT_RUNS if it is a positive number,
// else defaultReportRuns.
func reportRuns() int {
	if n, err := strconv.Atoi(os.Getenv("GCSCOPE_BENCH_AOT_RUNS")); err == nil && n > 0 {
		return n
	}
	return defaultReportRuns
}

// medianOfRuns runs measureBest runs times and returns, per batcher, the
// median of its best times. Only the first run warms up: the engines
// stay loaded (and V8's code tiered up) between runs.
func medianOfRuns(bs []batcher, warm []time.Duration, runs int) ([]time.Duration, error) {
	all := make([][]time.Duration, len(bs))
	for r := range runs {
		if r > 0 {
			warm = make([]time.Duration, len(bs))
		}
		best, err := measureBest(bs, warm)
		if err != nil {
			return nil, err
		}
		for i, d := range best {
			all[i] = append(all[i], d)
		}
	}
	med := make([]time.Duration, len(bs))
	for i, ds := range all {
		slices.Sort(ds)
		med[i] = ds[len(ds)/2]
	}
	return med, nil
}
