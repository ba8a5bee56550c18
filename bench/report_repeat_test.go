package bench

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/gcscope/gcscope/engine/aot/loader"
	"github.com/gcscope/gcscope/engine/runtime"
	"github.com/gcscope/gcscope/examples"
)

// v8RootBudgetFlags lift V8's Wasm inlining budget for the repeat table.
// TurboFan lets a function grow by inlining to wasm-inlining-factor (3)
// times its own graph size, or to wasm-inlining-min-budget (50 nodes) if
// that is larger. repeat_main is a few nodes, so with the defaults V8
// inlines main into it and then stops before main's own callees and
// virtual call targets, which it does inline when main is the root (as
// when JS calls main): shapes took ~62 ns per main from the loop against
// ~30 ns from JS (Node 24.21, 2026-11-26). With these flags the loop gets
// the inlining main gets as a root (shapes ~28-31 ns, i31_mix ~32 ns,
// linked_list unchanged), so the table compares against V8 at its best.
var v8RootBudgetFlags = []string{"--wasm-inlining-factor=100", "--wasm-inlining-min-budget=5000"}

// writeRepeatTable adds TestReportAOT's second table: every selected
// example's main called from a loop inside the module (repeatExport), on
// the interpreter, the AOT tier and V8 (run with v8RootBudgetFlags), so
// that the host's call into Wasm (cgo from Go, a TurboFan-compiled call
// from JS) is paid once per batch instead of once per main. A failing
// program fails the test; the others are still measured.
func writeRepeatTable(t *testing.T, report *strings.Builder, v8 *v8Proc) {
	fmt.Fprintf(report, "\nmain called by a loop in the module (%s), CPU time per main, median of %d runs of best-of-%d batches; V8 with %s\n",
		repeatExport, reportRuns(), bestOfRounds, strings.Join(v8RootBudgetFlags, " "))
	fmt.Fprintf(report, "%-13s %10s %10s %10s %8s\n", "program", "interp", "AOT", "V8", "AOT/V8")
	for _, file := range aotPrograms(t) {
		if !reportSelected(file) {
			continue
		}
		row, err := measureRepeatRow(file, v8)
		if err != nil {
			t.Errorf("%s in a loop: %v", file, err)
			row = fmt.Sprintf("%-13s failed: %v\n", strings.TrimSuffix(file, ".wat"), err)
		}
		report.WriteString(row)
	}
}

// The repeat table's engines, in column order.
const (
	repInterp = iota
	repAOT
	repV8
	nRepCols
)

// measureRepeatRow measures one example's repeat_main on every engine and
// formats its row of the repeat table.
func measureRepeatRow(file string, v8 *v8Proc) (string, error) {
	name := strings.TrimSuffix(file, ".wat")
	want := examples.MainResults[file]
	bin, i32, err := repeatBinary(file)
	if err != nil {
		return "", err
	}
	bs := make([]batcher, nRepCols)
	warm := make([]time.Duration, nRepCols)
	warm[repV8] = v8Warmup
	missing := []string{"", "", "skipped"}

	interp, err := newInWasmLoop(bin, i32, runtime.Config{}, want)
	if err != nil {
		return "", fmt.Errorf("interpreter: %w", err)
	}
	defer interp.close()
	bs[repInterp] = interp

	e := loader.New(nil)
	defer e.Close()
	aot, err := newInWasmLoop(bin, i32, runtime.Config{Engine: e}, want)
	var un *runtime.Unsupported
	switch {
	case errors.As(err, &un):
		missing[repAOT] = "unsupported"
	case err != nil:
		return "", fmt.Errorf("AOT: %w", err)
	default:
		defer aot.close()
		bs[repAOT] = aot
	}

	if v8 != nil {
		v8name := name + "-" + repeatExport
		if err := v8.load(v8name, bin, "main", want); err != nil {
			return "", err
		}
		bs[repV8] = inV8Loop{p: v8, name: v8name, want: want, i32: i32}
	}

	best, err := medianOfRuns(bs, warm, reportRuns())
	if err != nil {
		return "", err
	}
	cell := func(c int) string {
		if bs[c] == nil {
			return missing[c]
		}
		return fmtDuration(best[c])
	}
	ratio := "-"
	if bs[repAOT] != nil && bs[repV8] != nil {
		ratio = fmt.Sprintf("%.2fx", float64(best[repAOT])/float64(best[repV8]))
	}
	return fmt.Sprintf("%-13s %10s %10s %10s %8s\n", name, cell(repInterp), cell(repAOT), cell(repV8), ratio), nil
}
