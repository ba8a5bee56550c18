package bench

import (
	"os"
	"slices"
	"strings"
)

// reportOnlyEnv names the environment variable that limits TestReportAOT
// to some programs: a comma-separated list of example names without
// ".wat" (GCSCOPE_BENCH_AOT_ONLY=binary_trees,shapes). A partial report
// also skips the compile-time table, so one program can be re-measured in
// a minute instead of the whole report's ten.
const reportOnlyEnv = "GCSCOPE_BENCH_AOT_ONLY"

// reportSelected reports whether TestReportAOT measures file.
func reportSelected(file string) bool {
	only := os.Getenv(reportOnlyEnv)
	if only == "" {
		return true
	}
	return slices.Contains(strings.Split(only, ","), strings.TrimSuffix(file, ".wat"))
}
