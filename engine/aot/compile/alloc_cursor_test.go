package compile

import (
	"strings"
	"testing"
)

// TestCursorVariable: build loads the allocation cursor from the env once
// at entry (and again only after calls), and passes its variable to
// cons's clone, whose allocation reads it from there; a debug build
// reads the env word at the allocation.
func TestCursorVariable(t *testing.T) {
	const word = "getelementptr i64, i64* %env, i64 5" // envAllocCursor
	fns := funcsByName(t, leafListWat, Options{OptLevel: 2})
	build := fns["gcs_func_1"]
	if n := strings.Count(build.Blocks[0].LLString(), word); n != 1 {
		t.Errorf("build's entry block addresses the cursor %d times, want 1:\n%s", n, build.Blocks[0].LLString())
	}
	calls := 0
	for _, b := range build.Blocks[1:] {
		text := b.LLString()
		if strings.Contains(text, word) && !strings.Contains(text, "call ") {
			t.Errorf("build reads the cursor word in a block without a call:\n%s", text)
		}
		calls += strings.Count(text, "@"+leafSymbol(0, 1)+"(")
	}
	if calls == 0 {
		t.Fatal("build does not call cons's clone")
	}
	clone := fns[leafSymbol(0, 1)]
	text := clone.LLString()
	if p := clone.Params[len(clone.Params)-1]; p.Name() != "cursor" || !strings.Contains(text, "load i64, i64* %cursor") {
		t.Errorf("the clone does not read its caller's cursor:\n%s", text)
	}
	dbg := funcsByName(t, leafListWat, Options{OptLevel: 2, Debug: true})["gcs_func_0"].LLString()
	if strings.Contains(dbg, "%cursor") || !strings.Contains(dbg, word) {
		t.Errorf("a debug build's cons does not read the env word:\n%s", dbg)
	}
}
