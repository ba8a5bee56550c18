package compile

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/llir/llvm/ir"
)

const leafListWat = `(module
  (type $cell (struct (field i32) (field (ref null $cell))))
  (func $cons (param i32) (param (ref null $cell)) (result (ref $cell))
    (struct.new $cell (local.get 0) (local.get 1)))
  (func $build (export "build") (param $n i32) (result (ref null $cell))
    (local $l (ref null $cell))
    (block $done
      (loop $more
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $l (call $cons (local.get $n) (local.get $l)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $more)))
    (local.get $l))
  (func $weighted (export "weighted") (param $rest (ref null $cell)) (result i32)
    (local $c (ref $cell)) (local $pos i32) (local $total i32)
    (block $done
      (loop $walk
        (local.set $c (br_on_null $done (local.get $rest)))
        (local.set $pos (i32.add (local.get $pos) (i32.const 1)))
        (local.set $total (i32.add (local.get $total)
          (i32.mul (local.get $pos) (struct.get $cell 0 (local.get $c)))))
        (local.set $rest (struct.get $cell 1 (local.get $c)))
        (br $walk)))
    (local.get $total)))`

// funcsByName generates the module's IR with opts and indexes it.
func funcsByName(t *testing.T, wat string, opts Options) map[string]*ir.Func {
	t.Helper()
	mod, err := GenerateIRFor(parse(t, []byte(wat)), opts)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]*ir.Func{}
	for _, fn := range mod.Funcs {
		out[fn.Name()] = fn
	}
	return out
}

// TestLeafCallsGoToClones: in an optimized release build, build's call
// of cons calls cons's clone owing build's header and its one live
// reference (the list); the clone has no entry check, is alwaysinline,
// and stores what it owes only on its allocation's slow path, next to
// its own commit; build's entry check covers cons's frame too (its
// own frame's words and cons's 5). -O0 builds call cons.
func TestLeafCallsGoToClones(t *testing.T) {
	fns := funcsByName(t, leafListWat, Options{OptLevel: 2})
	clone := fns[leafSymbol(0, 1)]
	if clone == nil {
		t.Fatalf("no clone %s", leafSymbol(0, 1))
	}
	build := fns["gcs_func_1"].LLString()
	if !strings.Contains(build, "call i32 @"+leafSymbol(0, 1)+"(") || strings.Contains(build, "@gcs_func_0(") {
		t.Fatalf("build does not call the clone:\n%s", build)
	}
	if !regexp.MustCompile(`getelementptr i64, i64\* %top, i64 add \(i64 \d+, i64 5\)`).MatchString(build) {
		t.Errorf("build's entry check does not cover cons's frame:\n%s", build)
	}
	text := clone.LLString()
	head, _, _ := strings.Cut(text, "{")
	if !strings.Contains(head, "alwaysinline") {
		t.Errorf("the clone is not alwaysinline: %s", head)
	}
	if strings.Contains(text, "load volatile") {
		t.Errorf("the clone has an entry check:\n%s", text)
	}
	// The owed header (build's word at the call) and reference are
	// stored in the block that calls the allocation helper, and only
	// there.
	for _, b := range clone.Blocks {
		owed := strings.Contains(b.LLString(), "store i64 %owedword") && strings.Contains(b.LLString(), "store i64 %owedref0")
		calls := false
		for _, in := range b.Insts {
			if _, ok := in.(*ir.InstCall); ok {
				calls = true
			}
		}
		if owed != calls {
			t.Errorf("block %s stores the owed commit: %v, calls a helper: %v\n%s", b.Ident(), owed, calls, b.LLString())
		}
	}
	for _, o := range []Options{{OptLevel: 0}} { // debug builds: debug_leaf_test.go
		fns := funcsByName(t, leafListWat, o)
		if fns[leafSymbol(0, 1)] != nil || !strings.Contains(fns["gcs_func_1"].LLString(), "@gcs_func_0(") {
			t.Errorf("%+v: build calls a clone", o)
		}
	}
}

// TestLeafCallOwesAtMostMax: a call with more live references than
// leafMaxOwed passes leafMaxOwed and commits the rest itself.
func TestLeafCallOwesAtMostMax(t *testing.T) {
	fns := funcsByName(t, `(module
  (type $cell (struct (field i32) (field (ref null $cell))))
  (func $cons (param i32) (param (ref null $cell)) (result (ref $cell))
    (struct.new $cell (local.get 0) (local.get 1)))
  (func (export "six") (param $a (ref null $cell)) (param $b (ref null $cell)) (param $c (ref null $cell))
      (param $d (ref null $cell)) (param $e (ref null $cell)) (result (ref null $cell))
    (local.get $a) (local.get $b) (local.get $c) (local.get $d) (local.get $e)
    (drop (call $cons (i32.const 1) (ref.null $cell)))
    (drop) (drop) (drop) (drop)))`, Options{OptLevel: 2})
	if fns[leafSymbol(0, leafMaxOwed)] == nil {
		t.Fatalf("no clone owing %d references", leafMaxOwed)
	}
	six := fns["gcs_func_1"].LLString()
	if n := strings.Count(six, "store i64"); n == 0 {
		t.Fatalf("six commits nothing itself:\n%s", six)
	}
}

// TestUnrolledLoopTestsOnce: weighted's loop is translated twice (two
// multiplications) with one interrupt test between them; build's loop,
// whose leaf call is a clone, too. -O0 keeps one copy.
func TestUnrolledLoopTestsOnce(t *testing.T) {
	fns := funcsByName(t, leafListWat, Options{OptLevel: 2})
	w := fns["gcs_func_2"].LLString()
	if n := strings.Count(w, " mul i32 "); n != 2 {
		t.Errorf("weighted has %d multiplications, want 2 (two copies):\n%s", n, w)
	}
	// Interrupt tests: volatile loads of the interrupt word (env word
	// 10); the entry check loads the guard (word 21).
	word := "getelementptr i64, i64* %env, i64 10"
	if n := strings.Count(w, word); n != 1 {
		t.Errorf("weighted tests the interrupt word %d times, want 1:\n%s", n, w)
	}
	b := fns["gcs_func_1"].LLString()
	if n := strings.Count(b, "call i32 @"+leafSymbol(0, 1)+"("); n != 2 {
		t.Errorf("build calls cons's clone %d times, want 2", n)
	}
	fns = funcsByName(t, leafListWat, Options{OptLevel: 0})
	if n := strings.Count(fns["gcs_func_2"].LLString(), " mul i32 "); n != 1 {
		t.Errorf("-O0: weighted has %d multiplications, want 1", n)
	}
}

// TestCallRefTargetClones: a call_ref's switch calls the clones of its
// leaf targets of at most leafTargetInstrs instructions (the stub's
// clone, and the stub itself), the function for a larger target; a
// call_ref whose cloneable targets pass leafSiteBudget together calls
// the functions.
func TestCallRefTargetClones(t *testing.T) {
	big := strings.Repeat("(i32.add (i32.const 1)) ", 6) // 12 more instructions
	var many strings.Builder
	for k := range 8 {
		fmt.Fprintf(&many, "(func $w%d (type $n) (i32.xor (local.get 1) (i32.add (i32.mul (local.get 0) (i32.const %d)) (i32.sub (local.get 0) (i32.const 1)))))\n", k, k+2) // 10 instructions each
	}
	fns := funcsByName(t, `(module
  (type $m (func (param i32) (result i32)))
  (type $n (func (param i32 i32) (result i32)))
  (func $small (type $m) (i32.mul (local.get 0) (i32.const 3)))
  (func $large (type $m) (local.get 0) `+big+`)
  (func $stub (param $f (ref $m)) (param $x i32) (result i32)
    (call_ref $m (local.get $x) (local.get $f)))
  (func (export "go") (param $f (ref $m)) (param $x i32) (result i32)
    (call $stub (local.get $f) (local.get $x)))
  `+many.String()+`
  (func (export "wide") (param $f (ref $n)) (result i32)
    (call_ref $n (i32.const 1) (i32.const 2) (local.get $f))))`, Options{OptLevel: 2})
	// The clones owe the call_ref's commit: its funcref operand, and in
	// the stub's clone also go's header (callref_owed.go).
	small, smallOuter, large := leafSymbol(0, 1), leafSymbol(0, leafCode(1, 0)), leafSymbol(1, 0)
	stub := fns["gcs_func_2"].LLString()
	if !strings.Contains(stub, "@"+small+"(") || !strings.Contains(stub, "@gcs_func_1(") || strings.Contains(stub, "@"+large+"(") {
		t.Errorf("stub's switch does not call small's clone and large itself:\n%s", stub)
	}
	if c := fns[leafSymbol(2, 0)]; c == nil || !strings.Contains(c.LLString(), "@"+smallOuter+"(") {
		t.Errorf("go does not call the stub's clone, or it does not call small's clone owing go's header")
	}
	wide := fns["gcs_func_12"].LLString()
	if strings.Contains(wide, "_leaf") {
		t.Errorf("wide's switch (8 targets of 10 instructions) calls clones:\n%s", wide)
	}
}
