package loader

import (
	"os"
	"testing"

	"github.com/gcscope/gcscope/engine/runtime"
)

// TestBuildersRun: the builders module (engine/aot/compile
// testdata/builders.wat), whose $build optimized release builds inline
// into its callers (compile's inlineBuilders), gives the interpreter's
// results in every build, with and without a collection at every
// allocation (the heap verified after), and a trap inside the inlined
// $build ($pt's third call divides by n = 0) reports the interpreter's
// message and backtrace: $build's frame between $pt's caller and sum.
func TestBuildersRun(t *testing.T) {
	i32 := runtime.I32
	inLeafBuilds(t, compileTestdata(t, "builders.wat"), func(t *testing.T, ref, got *runtime.Instance) {
		for _, c := range []struct {
			fn   string
			args []runtime.Value
		}{
			{"sum", []runtime.Value{i32(1)}}, {"sum", []runtime.Value{i32(-7)}},
			{"sum2", []runtime.Value{i32(3)}}, {"sum", []runtime.Value{i32(50)}},
			{"wides", nil}, {"others", []runtime.Value{i32(9)}},
		} {
			sameResults(t, ref, got, c.fn, c.args)
		}
		for _, fn := range []string{"sum", "sum2", "others"} {
			args := []runtime.Value{i32(0)}
			want, tr := trapOf(t, ref, fn, args), trapOf(t, got, fn, args)
			if tr.Msg != want.Msg || !sameFrames(tr.Backtrace, want.Backtrace) || len(tr.Backtrace) < 2 {
				t.Fatalf("%s(0): %q at\n%v\nthe interpreter: %q at\n%v", fn, tr.Msg, tr.Backtrace, want.Msg, want.Backtrace)
			}
		}
		sameResults(t, ref, got, "sum", []runtime.Value{i32(2)})
	})
}

// compileTestdata is the text of engine/aot/compile's testdata file name,
// a module whose IR that package's tests check and whose runs these do.
func compileTestdata(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile("../compile/testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
