package examples

import "embed"

// FS holds the example programs (*.wat), so tools and benchmarks can load
// them without knowing where the source tree is.
//
//go:embed *.wat
var FS embed.FS

// MainResults is what each example's exported main returns, as its header
// comment documents (checked with V8). Runners and benchmarks compare
// against it; main returns an i32 or i64, both listed here as int64.
var MainResults = map[string]int64{
	"fib.wat":          75025,
	"sieve.wat":        9592,
	"nbody.wat":        -169087605,
	"binary_trees.wat": 135854,
	"linked_list.wat":  338350,
	"shapes.wat":       646809,
	"i31_mix.wat":      5000000414,
}
