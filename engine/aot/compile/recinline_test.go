package compile

import (
	"strings"
	"testing"

	"github.com/gcscope/gcscope/examples"
)

// TestRecLevelsChosen: fib gets levels in optimized builds (fewer in
// debug builds), a function with one self-call site gets none, and no
// function of a module with tail calls gets any.
func TestRecLevelsChosen(t *testing.T) {
	src, err := examples.FS.ReadFile("fib.wat")
	if err != nil {
		t.Fatal(err)
	}
	fib := parse(t, src)
	// fib's last site is not a tail call (an add follows), so level 0
	// inlines both sites: the most levels whose 2^k - 1 copies fit.
	want := 1
	for want < recMaxLevels && (1<<(want+1)-1)*len(fib.Funcs[0].Body) <= recBudget {
		want++
	}
	if got := recLevels(fib, Options{OptLevel: 2}, nil); len(got) != 2 || got[0] != want || got[1] != 0 {
		t.Fatalf("fib at -O2: levels %v, want [%d 0]", got, want)
	}
	if got := recLevels(fib, Options{OptLevel: 2, Debug: true}, nil); got[0] < 2 || got[0] >= recMaxLevels {
		t.Fatalf("fib's debug build: levels %v, want 2..%d for fib", got, recMaxLevels-1)
	}
	for _, o := range []Options{{OptLevel: 0}, {OptLevel: 1}, {OptLevel: 2, NoFrameHeaders: true}} {
		if got := recLevels(fib, o, nil); got != nil {
			t.Fatalf("%+v: levels %v, want none", o, got)
		}
	}
	one := parse(t, []byte(`(module (func $f (param i32) (result i32)
	  (if (result i32) (local.get 0) (then (call $f (i32.sub (local.get 0) (i32.const 1)))) (else (i32.const 0)))))`))
	if got := recLevels(one, Options{OptLevel: 2}, nil); got[0] != 0 {
		t.Fatalf("one self-call site: levels %v", got)
	}
	tail := parse(t, append(src[:len(src)-2:len(src)-2], []byte(`
	  (func $t (param i32) (result i32) (return_call $fib (local.get 0))))`)...))
	if got := recLevels(tail, Options{OptLevel: 2}, nil); got != nil {
		t.Fatalf("a module with return_call: levels %v, want none", got)
	}
}

// TestRecLevelsInlined: the levels are in the IR, and LLVM inlined all
// of them (the compile did not fall back to a module without levels,
// which would make the loader's recursive-inlining tests test nothing).
func TestRecLevelsInlined(t *testing.T) {
	src, err := examples.FS.ReadFile("fib.wat")
	if err != nil {
		t.Fatal(err)
	}
	m := parse(t, src)
	for _, o := range []Options{{OptLevel: 2}, {OptLevel: 3}, {OptLevel: 2, Debug: true}, {OptLevel: 2, ChunkInstrs: 1, Workers: 2}} {
		mod, _, err := generate(m, o)
		if err != nil {
			t.Fatal(err)
		}
		n, fast := 0, 0
		for _, f := range mod.Funcs {
			if isCloneSymbol(f.Name()) && strings.HasPrefix(f.Name(), specSymbol(0)) {
				fast++ // a debug build's fast version (debug_spec.go)
			} else if isCloneSymbol(f.Name()) {
				n++
			}
		}
		want := recLevels(m, o, nil)[0] // the levels below and the probe (recprobe.go)
		if n != want || want < 1 {
			t.Fatalf("%+v: %d levels below fib in the IR, want %d", o, n, want)
		}
		if wantFast := recLevels(m, Options{OptLevel: o.OptLevel}, nil)[0]; o.Debug && fast != wantFast || !o.Debug && fast != 0 {
			t.Fatalf("%+v: %d levels below fib's fast version, want %d in debug builds", o, fast, wantFast)
		}
		if !strings.Contains(mod.String(), "call ghccc i32 @"+recSymbol(0)) { // fib fits GHC's registers (callconv.go)
			t.Fatalf("%+v: the deepest level does not call %s", o, recSymbol(0))
		}
		obj, err := toLinkedObject(m, mod, o)
		if err != nil {
			t.Fatal(err)
		}
		if name := recLeftover(obj); name != "" {
			t.Fatalf("%+v: LLVM left level %s uninlined", o, name)
		}
		if _, ok := obj.syms[funcSymbol(0)]; !ok {
			t.Fatalf("%+v: no symbol %s for the deepest level to call", o, funcSymbol(0))
		}
	}
}

func TestIsCloneSymbol(t *testing.T) {
	for name, want := range map[string]bool{"gcs_func_3_r1": true, "gcs_func_12_r7": true, "gcs_func_3": false,
		"gcs_func_3_rec": false, "gcs_entry_3": false, "gcs_func_3_r": false} {
		if got := isCloneSymbol(name); got != want {
			t.Errorf("isCloneSymbol(%q) = %v", name, got)
		}
	}
}
