package conformance

import (
	"bufio"
	"errors"
	"fmt"
	"maps"
	"os"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/gcscope/gcscope/engine/aot/compile"
	"github.com/gcscope/gcscope/engine/aot/loader"
	"github.com/gcscope/gcscope/engine/runtime"
)

// diffKnownFile lists the differences the differential test tolerates,
// one "CHECK REASON" or "CHECK:LINE,LINE REASON" a line ('#' starts a
// comment; see splitKnown); a listed check or line that agrees fails the
// test, so the list stays true.
const diffKnownFile = "testdata/binaryen_diff_known.txt"

// TestBinaryenDifferential generates random modules with binaryen's
// fuzzer from fixed seeds (36 by default, six per profile;
// $GCSCOPE_DIFF_COUNT from seed $GCSCOPE_DIFF_FIRST, default 1, of the
// profiles $GCSCOPE_DIFF_PROFILES, default all, e.g. "slice,simd"), runs
// every export of each on the interpreter and on the AOT tier as
// binaryen's --fuzz-exec does, and compares line for line — results, traps (trap or not, and the trap's
// message class: binaryen's wording for the spec's message) and the
// values the module logs through the fuzzing-support imports — three
// ways (binaryen's output is that of the module in memory as its fuzzer
// made it, or, when one of ours differs from that, of the binary it
// wrote; see binaryenReference):
//
//	interp/NAME       the interpreter against binaryen's interpreter
//	aot/NAME          the AOT tier against binaryen's interpreter
//	aot-interp/NAME   the AOT tier against the interpreter, exactly but
//	                  for arithmetic NaNs (compareTiers)
//
// The rounds of profiles are compiled in turn at -O2 and -O0, as one
// LLVM module and in chunks (compile.Options.ChunkInstrs). Modules the
// compiler refuses (*compile.Unsupported) are counted by reason and not
// run natively; they are compared as soon as the compiler accepts them. A mismatch fails the test unless diffKnownFile lists the
// check with a reason. Needs node and the npm package binaryen (`make
// setup`); skipped without them, unless $GCSCOPE_BINARYEN (set by
// .ci/run) names where they must be. $GCSCOPE_DIFF_OUT keeps the modules.
func TestBinaryenDifferential(t *testing.T) {
	if testing.Short() {
		t.Skip("runs node and llc for every module")
	}
	wasmOpt, err := binaryenWasmOpt()
	switch {
	case err != nil && os.Getenv("GCSCOPE_BINARYEN") != "":
		t.Fatalf("no binaryen fuzzer at $GCSCOPE_BINARYEN: %v", err) // CI asks for it
	case err != nil:
		t.Skipf("no binaryen fuzzer: %v", err)
	}
	first, n := envInt(t, "GCSCOPE_DIFF_FIRST", 1), envInt(t, "GCSCOPE_DIFF_COUNT", 36)
	dir := os.Getenv("GCSCOPE_DIFF_OUT")
	if dir == "" {
		dir = t.TempDir()
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	profiles, err := selectProfiles(os.Getenv("GCSCOPE_DIFF_PROFILES"))
	if err != nil {
		t.Fatal(err)
	}
	known, err := readKnownDiffs(diffKnownFile)
	if err != nil {
		t.Fatal(err)
	}
	known, byLines, err := splitKnown(known)
	if err != nil {
		t.Fatalf("%s: %v", diffKnownFile, err)
	}
	// No fallback: the native tier or nothing. The rounds of profiles
	// take turns: -O2 whole, -O2 in chunks of about 150 instructions (so
	// calls across chunks, and the linker resolving them, meet random
	// code), -O0 whole, -O0 in chunks.
	var engines [4]*loader.Engine
	for k := range engines {
		e := loader.New(nil)
		if k >= 2 {
			e.Options.OptLevel = 0
		}
		if k%2 == 1 {
			e.Options.ChunkInstrs = 150
		}
		engines[k] = e
		t.Cleanup(e.Close) // after the stores, which close first
	}

	var s diffSummary
	s.refused = map[string]int{}
	ran, generated := map[string]bool{}, map[string]bool{}
	check := func(name string, f func(r *report)) {
		ran[name] = true
		tolerated := 0
		if k, ok := byLines[name]; ok {
			inner := f
			f = func(r *report) { tolerated = tolerateLines(r, k, inner) }
		}
		passed := runCheck(t, known, name, f)
		switch _, whole := known[name]; {
		case !passed && whole:
			s.known = append(s.known, name)
		case !passed:
			s.mismatches = append(s.mismatches, name)
		case tolerated > 0:
			s.known = append(s.known, fmt.Sprintf("%s (%d lines)", name, tolerated))
		}
	}
	for _, f := range generateFuzzModules(wasmOpt, dir, profiles, first, n) {
		if f.err != nil {
			s.genFailed++
			t.Logf("%s: binaryen failed, skipped: %v", f.name(), f.err)
			continue
		}
		s.generated++
		generated[f.name()] = true
		m, err := loadWasm(f.path)
		if err != nil {
			check("load/"+f.name(), func(r *report) { r.Errorf("binaryen's module: %v", err) })
			continue
		}
		interp := fuzzExec(t, runtime.Config{}, f.path)
		s.interp++
		outs := []string{interp}
		compiled := false
		if _, err := compile.GenerateIR(m); err != nil {
			var un *compile.Unsupported
			if errors.As(err, &un) {
				s.refused[refusalReason(un)]++
			} else {
				check("aot/"+f.name(), func(r *report) { r.Errorf("compiler: %v", err) })
			}
		} else {
			eng := engines[f.seed/len(profiles)%len(engines)]
			outs = append(outs, fuzzExec(t, runtime.Config{Engine: eng}, f.path))
			compiled = true
		}
		want, fromBinary, err := binaryenReference(wasmOpt, f, outs...)
		switch {
		case err != nil:
			t.Logf("%s: binaryen on the written binary: %v", f.name(), err)
		case fromBinary:
			s.rerun++
			t.Logf("%s: binaryen prints %d lines differently on the written binary than in memory; compared with the binary's",
				f.name(), differingLines(want, f.want))
		}
		check("interp/"+f.name(), func(r *report) { compareLines(r, interp, want) })
		if !compiled {
			continue
		}
		native := outs[1]
		s.aot++
		check("aot/"+f.name(), func(r *report) { compareLines(r, native, want) })
		check("aot-interp/"+f.name(), func(r *report) { compareTiers(r, native, interp, want) })
	}
	// An entry about a module of this run must name a check it ran;
	// entries about other seeds' modules wait for runs that make them.
	names := slices.Collect(maps.Keys(known))
	for name := range byLines {
		names = append(names, name)
	}
	for _, name := range names {
		_, mod, _ := strings.Cut(name, "/")
		if generated[mod] && !ran[name] {
			t.Errorf("%s lists %q, which is not a check", diffKnownFile, name)
		}
	}
	t.Log(s.String())
}

// diffSummary counts what the differential test did.
type diffSummary struct {
	generated, genFailed int
	interp, aot          int
	rerun                int            // modules binaryen printed differently on the binary
	refused              map[string]int // by reason
	mismatches           []string       // failed checks not in the known list
	known                []string       // failed checks the list tolerates
}

func (s *diffSummary) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "modules generated %d (binaryen failed on %d); compared interp vs binaryen %d; AOT vs binaryen and interp %d",
		s.generated, s.genFailed, s.interp, s.aot)
	nRef := 0
	var reasons []string
	for r, k := range s.refused {
		nRef += k
		reasons = append(reasons, fmt.Sprintf("%d %s", k, r))
	}
	sort.Strings(reasons)
	fmt.Fprintf(&b, "; AOT refused %d", nRef)
	if nRef > 0 {
		fmt.Fprintf(&b, " (%s)", strings.Join(reasons, ", "))
	}
	fmt.Fprintf(&b, "; binaryen output from the binary %d", s.rerun)
	fmt.Fprintf(&b, "; new mismatches %d %v; known differences %d %v", len(s.mismatches), s.mismatches, len(s.known), s.known)
	return b.String()
}

// digits are replaced in refusal reasons so that "reference type (ref 3)"
// and "(ref 7)" count as one reason.
var digits = regexp.MustCompile(`\b[0-9]+\b`)

func refusalReason(un *compile.Unsupported) string {
	return digits.ReplaceAllString(un.Msg, "N")
}

// compareTiers reports the lines where two of our runs, AOT and
// interpreter, differ, except where they differ only in NaNs binaryen's
// output (ref) shows to be arithmetic results: each equals binaryen's
// line or matches it through arithmeticNaNsDiffer, so both are
// arithmetic NaNs where binaryen printed its canonical NaN. The spec lets an operation give any
// arithmetic NaN when an operand is not canonical, and the tiers may
// choose differently: f64.add and f64.mul of two NaNs return the second
// operand natively at -O2 (LLVM commutes them) and the first at -O0,
// and the interpreter follows whatever Go compiled. Every other
// difference counts, NaNs whose bits binaryen kept included (copysign,
// loads and reinterpretations must keep a NaN's bits in every tier).
func compareTiers(r *report, aot, interp, ref string) {
	a := strings.Split(aot, "\n")
	in := strings.Split(interp, "\n")
	b := strings.Split(ref, "\n")
	for i := range max(len(a), len(in)) {
		al, il := lineAt(a, i, "(end)"), lineAt(in, i, "(end)")
		if al == il {
			continue
		}
		bl := lineAt(b, i, "(end)")
		if (al == bl || arithmeticNaNsDiffer(al, bl)) && (il == bl || arithmeticNaNsDiffer(il, bl)) {
			continue
		}
		r.LineErrorf(i+1, "line %d: AOT %q, interpreter %q", i+1, al, il)
	}
}

// readKnownDiffs reads the known-differences list: "CHECK REASON" lines.
func readKnownDiffs(path string) (map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	known := map[string]string{}
	sc := bufio.NewScanner(f)
	for ln := 1; sc.Scan(); ln++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		name, reason, _ := strings.Cut(line, " ")
		if strings.TrimSpace(reason) == "" {
			return nil, fmt.Errorf("%s:%d: %s has no reason", path, ln, name)
		}
		known[name] = strings.TrimSpace(reason)
	}
	return known, sc.Err()
}

// envInt reads a positive integer from the environment, or def.
func envInt(t *testing.T, name string, def int) int {
	s := os.Getenv(name)
	if s == "" {
		return def
	}
	v, err := strconv.Atoi(s)
	if err != nil || v < 1 {
		t.Fatalf("$%s=%q is not a positive integer", name, s)
	}
	return v
}
