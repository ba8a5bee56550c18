package loader

import (
	"testing"

	"github.com/gcscope/gcscope/engine/runtime"
)

// TestOutlinedAllocsRun: engine/aot/compile testdata/outline_allocs.wat,
// whose big allocates out of line (compile's alloc_outline.go), gives the
// interpreter's results in every build, with and without a collection
// at every allocation (every allocator call then takes the helper, and
// the list built so far must be rooted by big's commits), the heap
// verified after; an array.new of 3000 elements (above the inline size)
// takes the slow path in every mode; an empty array's read (after all
// the allocations) and a negative length trap with the interpreter's
// messages and backtraces, and the next call is right. deep's 300
// structs wait on the operand stack for its array.new_fixed, rooted only
// by its commits (which store each operand once, commit_elide.go
// slotHolds).
func TestOutlinedAllocsRun(t *testing.T) {
	i32 := runtime.I32
	inLeafBuilds(t, compileTestdata(t, "outline_allocs.wat"), func(t *testing.T, ref, got *runtime.Instance) {
		for _, n := range []int32{1, 9, 3000} {
			sameResults(t, ref, got, "big", []runtime.Value{i32(n)})
			sameResults(t, ref, got, "small", []runtime.Value{i32(n)})
			sameResults(t, ref, got, "deep", []runtime.Value{i32(n)})
		}
		for _, n := range []int32{0, -1} {
			args := []runtime.Value{i32(n)}
			want, tr := trapOf(t, ref, "big", args), trapOf(t, got, "big", args)
			if tr.Msg != want.Msg || !sameFrames(tr.Backtrace, want.Backtrace) {
				t.Fatalf("big(%d): %q at\n%v\nthe interpreter: %q at\n%v", n, tr.Msg, tr.Backtrace, want.Msg, want.Backtrace)
			}
		}
		sameResults(t, ref, got, "big", []runtime.Value{i32(5)})
	})
}
