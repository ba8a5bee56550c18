package compile

import (
	"os"
	"strings"
	"testing"

	"github.com/llir/llvm/ir"
)

// outlineWat is testdata/outline_allocs.wat with its first drop of
// big's list cells left out.
func outlineWat(t *testing.T, drop int) string {
	t.Helper()
	b, err := os.ReadFile("testdata/outline_allocs.wat")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, line := range strings.Split(string(b), "\n") {
		if drop > 0 && strings.Contains(line, "(local.set $p (struct.new $pt (i32.add") {
			drop--
			continue
		}
		out = append(out, line)
	}
	return strings.Join(out, "\n")
}

// TestOutlinedAllocs: at the threshold (testdata/outline_allocs.wat), big (function 0) calls its
// allocator (gcs_func_0_alloc) once per allocation instruction and has
// no inline bump (no store to the record's cursor word) and no cursor
// variable; small (function 1) keeps its inline allocations; a debug
// build inlines all unless it stores big's operands as pushed. With
// five cells fewer (below the threshold), none goes out of line.
func TestOutlinedAllocs(t *testing.T) {
	const allocs = 260 // 255 cells, then array.new, new_default, new_fixed, struct.new_default and the last struct.new
	if allocs < outlineAllocsMin || allocs-5 >= outlineAllocsMin {
		t.Fatalf("testdata/outline_allocs.wat's %d allocations no longer straddle outlineAllocsMin (%d)", allocs, outlineAllocsMin)
	}
	count := func(fn *ir.Func) (calls, cursorStores int) {
		for _, b := range fn.Blocks {
			for _, in := range b.Insts {
				switch in := in.(type) {
				case *ir.InstCall:
					if in.Callee.Ident() == "@"+allocSymbol(0) {
						calls++
					}
				case *ir.InstStore:
					if g, ok := in.Dst.(*ir.InstGetElementPtr); ok && g.Src.Ident() == "%env" && len(g.Indices) == 1 && g.Indices[0].Ident() == itoa(envAllocCursor) {
						cursorStores++
					}
				}
			}
		}
		return
	}
	for _, opts := range []Options{{OptLevel: 2}, {OptLevel: 0}} {
		fns := funcsByName(t, outlineWat(t, 0), opts)
		if calls, stores := count(fns["gcs_func_0"]); calls != allocs || stores != 0 {
			t.Errorf("%+v: big calls its allocator %d times (want %d) and stores the cursor %d times (want 0)", opts, calls, allocs, stores)
		}
		if fns[allocSymbol(0)] == nil || fns[allocSymbol(1)] != nil {
			t.Errorf("%+v: allocators %v, %v: want big's only", opts, fns[allocSymbol(0)] != nil, fns[allocSymbol(1)] != nil)
		}
		if calls, stores := count(fns["gcs_func_1"]); calls != 0 || stores == 0 {
			t.Errorf("%+v: small calls an allocator %d times, stores the cursor %d times: want inline allocations", opts, calls, stores)
		}
	}
	fns := funcsByName(t, outlineWat(t, 0), Options{OptLevel: 2, Debug: true})
	if fns[allocSymbol(0)] != nil {
		t.Error("a debug build has an allocator")
	}
	// A debug build that stores big's operands as they are pushed
	// (debug_operands.go) calls the allocator as release builds do.
	fns = funcsByName(t, outlineWat(t, 0), Options{OptLevel: 2, Debug: true, DebugOperandsWork: -1})
	if calls, stores := count(fns["gcs_func_0"]); calls != allocs || stores != 0 {
		t.Errorf("debug, operands stored as pushed: big calls its allocator %d times (want %d) and stores the cursor %d times (want 0)", calls, allocs, stores)
	}
	fns = funcsByName(t, outlineWat(t, 5), Options{OptLevel: 2})
	if fns[allocSymbol(0)] != nil {
		t.Errorf("big with %d allocations has an allocator", outlineAllocsMin-1)
	}
}
