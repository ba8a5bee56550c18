package compile

import (
	"regexp"
	"strings"
	"testing"
)

// TestDebugLeafCallsGoToClones: in a debug build, build's call of cons
// calls cons's debug clone (leafSymbol(0, 0): it owes no references of
// its own, the commit goes in the debug level parameters) when the kept
// word is zero and cons itself otherwise; build's entry check covers
// cons's frame; the clone is alwaysinline, has no entry check of its
// own, numbers its stops as cons does (its break table bytes: the same
// constant offsets) and stores the owed commit only where it calls a
// helper (its allocation's slow path or a stop's).
func TestDebugLeafCallsGoToClones(t *testing.T) {
	opts := Options{OptLevel: 2, Debug: true}
	fns := funcsByName(t, leafListWat, opts)
	clone := fns[leafSymbol(0, 0)]
	if clone == nil {
		t.Fatalf("no debug clone %s", leafSymbol(0, 0))
	}
	build := fns["gcs_func_1"].LLString()
	if !strings.Contains(build, "@"+leafSymbol(0, 0)+"(") || !strings.Contains(build, "@gcs_func_0(") {
		t.Fatalf("build does not call both the clone and cons:\n%s", build)
	}
	if !regexp.MustCompile(`getelementptr i64, i64\* %top, i64 add \(i64 \d+, i64 5\)`).MatchString(build) {
		t.Errorf("build's entry check does not cover cons's frame:\n%s", build)
	}
	text := clone.LLString()
	head, _, _ := strings.Cut(text, "{")
	if !strings.Contains(head, "alwaysinline") {
		t.Errorf("the clone is not alwaysinline: %s", head)
	}
	if strings.Contains(text, "@llvm.read_register") {
		t.Errorf("the clone has an entry check:\n%s", text)
	}
	stops := regexp.MustCompile(`getelementptr i8, i8\* %\S+, i64 (\d+)`)
	cons := fns["gcs_func_0"].LLString()
	if a, b := stops.FindAllStringSubmatch(cons, -1), stops.FindAllStringSubmatch(text, -1); len(a) == 0 || len(a) != len(b) {
		t.Errorf("cons tests %d break bytes, its clone %d", len(a), len(b))
	} else {
		for k := range a {
			if a[k][1] != b[k][1] {
				t.Errorf("break byte %d: cons %s, the clone %s", k, a[k][1], b[k][1])
			}
		}
	}
	paid := 0
	for _, b := range clone.Blocks {
		s := b.LLString()
		if !strings.Contains(s, "store i64 %owedword") {
			continue
		}
		paid++
		if !strings.Contains(s, "store i1 true, i1* %paidout") {
			t.Errorf("block %s pays without flagging it:\n%s", b.Ident(), s)
		}
	}
	if paid == 0 {
		t.Errorf("the clone never pays its caller's commit:\n%s", text)
	}
}
