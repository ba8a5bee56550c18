package bench

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/gcscope/gcscope/bench/native"
	"github.com/gcscope/gcscope/examples"
)

// TestAOTRunner checks what the AOT column measures: every example either
// runs natively and returns its documented result, or is refused as
// unsupported with a reason (never run on the interpreter instead).
func TestAOTRunner(t *testing.T) {
	for _, file := range aotPrograms(t) {
		bin, err := exampleBinary(file)
		if err != nil {
			t.Fatal(err)
		}
		r, err := newAOT(bin)
		var un *aotUnsupported
		switch {
		case errors.As(err, &un):
			if un.reason == "" || !strings.HasPrefix(err.Error(), "AOT: unsupported (") {
				t.Errorf("%s: refusal %q gives no reason", file, err)
			}
			continue
		case err != nil:
			t.Fatalf("%s: %v", file, err)
		}
		got, err := r.callMain()
		r.close()
		if err != nil || got != examples.MainResults[file] {
			t.Errorf("%s: AOT main() = %d, %v; want %d", file, got, err, examples.MainResults[file])
		}
	}
}

// TestKernelsHaveCVersions keeps the gcc column honest: the MVP kernels
// and binary_trees have C versions, and nothing else claims one.
func TestKernelsHaveCVersions(t *testing.T) {
	for file := range aotGoals {
		if _, err := newNative(file); err != nil {
			t.Error(err)
		}
	}
	for file := range native.Mains {
		if _, ok := aotGoals[file]; !ok {
			t.Errorf("%s has a C version but no goal in the report", file)
		}
	}
}

// TestV8Runner checks the V8 runner when Node.js 24 is installed: it
// returns times for correct results and reports a wrong one.
func TestV8Runner(t *testing.T) {
	node, why := node24()
	if node == "" {
		t.Skip(why)
	}
	p, err := startV8(node)
	if err != nil {
		t.Fatal(err)
	}
	defer p.close()
	for _, file := range []string{"sieve.wat", "shapes.wat"} {
		bin, err := exampleBinary(file)
		if err != nil {
			t.Fatal(err)
		}
		name := strings.TrimSuffix(file, ".wat")
		if err := p.load(name, bin, "main", examples.MainResults[file]); err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		if _, wall, err := p.run(name, 3); err != nil || wall <= 0 {
			t.Errorf("%s: run = %v, %v", file, wall, err)
		}
		if err := p.load(name+"-wrong", bin, "main", examples.MainResults[file]+1); err == nil {
			t.Errorf("%s: a wrong expected result was not reported", file)
		}
	}
	if _, _, err := p.run("never-loaded", 1); err == nil {
		t.Error("running a program that was never loaded did not fail")
	}
}

// TestNode24Missing checks that a missing or old node is a skip reason
// that says how to install the right one.
func TestNode24Missing(t *testing.T) {
	t.Setenv(node24Env, "/nonexistent/node")
	if path, why := node24(); path != "" || !strings.Contains(why, "make bench-setup") {
		t.Errorf("node24() = %q, %q", path, why)
	}
}

// TestPickLargest checks that the compile-time report spreads its picks
// over the compilers' folders, largest accepted first, and checks no more
// candidates than it needs.
func TestPickLargest(t *testing.T) {
	c := func(name string, size int) candidate { return candidate{name: name, size: size} }
	byFolder := func() map[string][]candidate {
		return map[string][]candidate{
			"a": {c("a/1", 10), c("a/2", 50), c("a/3", 40), c("a/big-refused", 90)},
			"b": {c("b/1", 20)},
			"c": {c("c/1", 5), c("c/2", 7)},
		}
	}
	var tried []string
	accept := func(c candidate) (compileModule, bool) {
		tried = append(tried, c.name)
		return compileModule{name: c.name, size: c.size}, !strings.Contains(c.name, "refused")
	}
	var got []string
	for _, m := range pickLargest(byFolder(), 5, accept) {
		got = append(got, m.name)
	}
	if want := []string{"a/2", "b/1", "c/2", "a/3", "c/1"}; !slices.Equal(got, want) {
		t.Errorf("pickLargest = %v, want %v", got, want)
	}
	if slices.Contains(tried, "a/1") {
		t.Errorf("tried %v: a/1 was not needed", tried)
	}
	if n := len(pickLargest(byFolder(), 10, accept)); n != 6 {
		t.Errorf("pickLargest(10) took %d modules, want the 6 accepted", n)
	}
}
