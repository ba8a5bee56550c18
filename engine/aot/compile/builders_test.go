package compile

import (
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/llir/llvm/ir"
	"github.com/llir/llvm/ir/enum"
	"github.com/llir/llvm/ir/value"
)

// buildersWat is testdata/builders.wat.
func buildersWat(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("testdata/builders.wat")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestBuildersInlined: in an optimized release build $build (function
// 1) is alwaysinline and keeps the cursor in a variable, its calls of
// $pt going to clones; $loopy, $wide, $nested and $two are not, nor is
// anything at -O0 or in a debug build.
func TestBuildersInlined(t *testing.T) {
	inlined := func(opts Options) []string {
		var out []string
		for name, fn := range funcsByName(t, buildersWat(t), opts) {
			if strings.HasPrefix(name, "gcs_func_") && !strings.Contains(name, "_leaf") && hasAttr(fn.FuncAttrs, enum.FuncAttrAlwaysInline) {
				out = append(out, name)
			}
		}
		slices.Sort(out)
		return out
	}
	if got := inlined(Options{OptLevel: 2}); !slices.Equal(got, []string{"gcs_func_1"}) {
		t.Errorf("-O2: alwaysinline %v, want [gcs_func_1] ($build)", got)
	}
	for _, opts := range []Options{{OptLevel: 0}, {OptLevel: 2, Debug: true}} {
		if got := inlined(opts); len(got) != 0 {
			t.Errorf("%+v: alwaysinline %v, want none", opts, got)
		}
	}
	build := funcsByName(t, buildersWat(t), Options{OptLevel: 2})["gcs_func_1"]
	cloneCalls := 0
	for k, b := range build.Blocks {
		cursorLoads, calls := 0, false
		for _, in := range b.Insts {
			if ld, ok := in.(*ir.InstLoad); ok {
				if g, ok := ld.Src.(*ir.InstGetElementPtr); ok && len(g.Indices) == 1 && g.Indices[0].Ident() == itoa(envAllocCursor) && g.Src.Ident() == "%env" {
					cursorLoads++
				}
			}
			if c, ok := in.(*ir.InstCall); ok {
				calls = true
				if strings.Contains(c.Callee.Ident(), "gcs_func_0_leaf") {
					cloneCalls++
				}
			}
		}
		// The variable is loaded at entry, and again only after a call
		// (a slow path's helper, which may refill the buffer).
		if k == 0 && cursorLoads != 1 || k > 0 && cursorLoads > 0 && !calls {
			t.Errorf("$build's block %d reads the cursor word %d times:\n%s", k, cursorLoads, b.LLString())
		}
	}
	if cloneCalls != 3 {
		t.Errorf("$build calls $pt's clones %d times, want 3:\n%s", cloneCalls, build.LLString())
	}
}

// TestImmutableGlobalsInvariant: in a release build $pt's read of the
// immutable $k is an invariant load, and $build's read of the mutable
// $m is not; a debug build marks neither.
func TestImmutableGlobalsInvariant(t *testing.T) {
	// globalLoads lists, for each load of a global's value (through the
	// global's pointer, read from the table at the record's globals
	// word), whether it is invariant.
	globalLoads := func(fn *ir.Func) []bool {
		envWordLoad := func(v value.Value, w int) bool {
			ld, ok := v.(*ir.InstLoad)
			if !ok {
				return false
			}
			g, ok := ld.Src.(*ir.InstGetElementPtr)
			return ok && g.Src.Ident() == "%env" && len(g.Indices) == 1 && g.Indices[0].Ident() == itoa(w)
		}
		// through reports whether v is inttoptr of a load of entry 0 or 1
		// (the module's two globals) of a table that table reports true
		// for; the instance data words after them are loaded likewise.
		through := func(v value.Value, table func(value.Value) bool) bool {
			p, ok := v.(*ir.InstIntToPtr)
			if !ok {
				return false
			}
			ld, ok := p.From.(*ir.InstLoad)
			if !ok {
				return false
			}
			g, ok := ld.Src.(*ir.InstGetElementPtr)
			return ok && len(g.Indices) == 1 && (g.Indices[0].Ident() == "0" || g.Indices[0].Ident() == "1") && table(g.Src)
		}
		var out []bool
		for _, b := range fn.Blocks {
			for _, in := range b.Insts {
				ld, ok := in.(*ir.InstLoad)
				if !ok {
					continue
				}
				g, ok := ld.Src.(*ir.InstGetElementPtr)
				if ok && through(g.Src, func(tbl value.Value) bool {
					p, ok := tbl.(*ir.InstIntToPtr)
					return ok && envWordLoad(p.From, envGlobals)
				}) {
					out = append(out, strings.Contains(ld.LLString(), "invariant.load"))
				}
			}
		}
		return out
	}
	fns := funcsByName(t, buildersWat(t), Options{OptLevel: 2})
	if got := globalLoads(fns["gcs_func_0"]); !slices.Equal(got, []bool{true}) {
		t.Errorf("-O2: $pt's reads of $k invariant: %v, want [true]:\n%s", got, fns["gcs_func_0"].LLString())
	}
	if got := globalLoads(fns["gcs_func_1"]); !slices.Equal(got, []bool{false}) {
		t.Errorf("-O2: $build's reads of $m invariant: %v, want [false]:\n%s", got, fns["gcs_func_1"].LLString())
	}
	// A debug build translates a function more than once (its levels);
	// no read is invariant in any.
	fns = funcsByName(t, buildersWat(t), Options{OptLevel: 2, Debug: true})
	for _, name := range []string{"gcs_func_0", "gcs_func_1"} {
		if got := globalLoads(fns[name]); len(got) == 0 || slices.Contains(got, true) {
			t.Errorf("debug: %s's global reads invariant: %v, want some, none invariant", name, got)
		}
	}
}
