package conformance

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"
)

// This file generates random modules with binaryen's fuzzer (wasm-opt
// -ttf, "translate to fuzz", from the npm package binaryen run by node)
// and records what binaryen's interpreter prints when it runs them
// (--fuzz-exec-before), for the differential test.

// binaryenVersion is the npm package `make setup` installs.
const binaryenVersion = "132.0.0"

// fuzzProfile is a set of features binaryen's fuzzer may use.
type fuzzProfile struct {
	name     string
	features []string
}

// sliceFeatures are what the AOT compiler's first slice covers.
var sliceFeatures = strings.Fields(`--enable-bulk-memory --enable-bulk-memory-opt --enable-nontrapping-float-to-int
	--enable-multivalue --enable-sign-ext --enable-mutable-globals --enable-reference-types --enable-extended-const`)

// fuzzProfiles are the feature sets seeds cycle through: the AOT slice
// (so that the compiler is exercised today); the slice plus one family
// each that a branch is adding to the compiler (GC; exceptions and tail
// calls; SIMD; memory64 and multiple memories), so that each family is
// compared as soon as it lands; and everything at once. Modules the
// compiler refuses are counted by reason, not run natively.
var fuzzProfiles = []fuzzProfile{
	{"slice", sliceFeatures},
	{"gc", with("--enable-gc")},
	{"exn", with("--enable-exception-handling", "--enable-tail-call")},
	{"simd", with("--enable-simd")},
	{"mem", with("--enable-memory64", "--enable-multimemory")},
	{"all", with("--enable-gc", "--enable-exception-handling", "--enable-tail-call",
		"--enable-simd", "--enable-memory64", "--enable-multimemory")},
}

// selectProfiles returns the profiles named in the comma-separated list
// (all when it is empty), or an error naming an unknown one.
func selectProfiles(list string) ([]fuzzProfile, error) {
	if list == "" {
		return fuzzProfiles, nil
	}
	var out []fuzzProfile
	for _, name := range strings.Split(list, ",") {
		found := false
		for _, p := range fuzzProfiles {
			if p.name == name {
				out, found = append(out, p), true
			}
		}
		if !found {
			return nil, fmt.Errorf("no fuzz profile %q", name)
		}
	}
	return out, nil
}

// with is sliceFeatures plus more.
func with(more ...string) []string {
	return append(append([]string{}, sliceFeatures...), more...)
}

// binaryenWasmOpt returns the wasm-opt script of the npm package binaryen:
// under $GCSCOPE_BINARYEN (a node_modules folder holding it), else
// $BINARYEN_NODE_MODULES (as testdata/binaryen/gen.sh), else where `make
// setup` installs it, ~/.cache/gcscope/binaryen/node_modules. It also
// returns why it cannot be used, if so.
func binaryenWasmOpt() (string, error) {
	dir := os.Getenv("GCSCOPE_BINARYEN")
	if dir == "" {
		dir = os.Getenv("BINARYEN_NODE_MODULES")
	}
	if dir == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", err
		}
		dir = filepath.Join(home, ".cache", "gcscope", "binaryen", "node_modules")
	}
	if _, err := exec.LookPath("node"); err != nil {
		return "", fmt.Errorf("node is not on PATH")
	}
	script := filepath.Join(dir, "binaryen", "bin", "wasm-opt")
	if _, err := os.Stat(script); err != nil {
		return "", fmt.Errorf("binaryen@%s not installed (make setup): %w", binaryenVersion, err)
	}
	return script, nil
}

// fuzzModule is one generated module.
type fuzzModule struct {
	seed    int
	profile string
	path    string // the .wasm file
	want    string // what binaryen's interpreter printed
	err     error  // the generator failed
}

func (f *fuzzModule) name() string { return fmt.Sprintf("%s%d", f.profile, f.seed) }

// fuzzInputBlocks is the size of the fuzzer's input in SHA-256 blocks:
// 16 KiB, four times the size of those gen.sh made, give modules about
// three times as large (the fuzzer falls back to trivial code once the
// input runs out) for little more than node's start-up time; 64 KiB
// gave ten times as large, but the test took over a minute of CPU.
const fuzzInputBlocks = 512

// fuzzInput is the fuzzer's input for a seed: SHA-256 blocks of
// "gcscope-diff-SEED-i", so a seed always gives the same module.
func fuzzInput(seed int) []byte {
	var b bytes.Buffer
	for i := range fuzzInputBlocks {
		s := sha256.Sum256(fmt.Appendf(nil, "gcscope-diff-%d-%d", seed, i))
		b.Write(s[:])
	}
	return b.Bytes()
}

// generateFuzzModules generates the modules of seeds first..first+n-1
// into dir, seed s with profile s mod len(profiles), running one node
// per core at once (each takes about a second, mostly starting
// binaryen.js).
func generateFuzzModules(wasmOpt, dir string, profiles []fuzzProfile, first, n int) []*fuzzModule {
	mods := make([]*fuzzModule, n)
	work := make(chan int)
	var wg sync.WaitGroup
	for range max(1, runtime.GOMAXPROCS(0)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				seed := first + i
				p := profiles[seed%len(profiles)]
				f := &fuzzModule{seed: seed, profile: p.name}
				f.path = filepath.Join(dir, f.name()+".wasm")
				f.want, f.err = runFuzzer(wasmOpt, fuzzInput(seed), p.features, f.path)
				mods[i] = f
			}
		}()
	}
	for i := range n {
		work <- i
	}
	close(work)
	wg.Wait()
	return mods
}

// runFuzzer turns input into a module at out with wasm-opt -ttf and
// returns what --fuzz-exec-before printed. -g keeps binaryen's names (a
// name section), which its exception messages use for tags.
func runFuzzer(wasmOpt string, input []byte, features []string, out string) (string, error) {
	in := out + ".input"
	if err := os.WriteFile(in, input, 0o600); err != nil {
		return "", err
	}
	defer os.Remove(in)
	args := append([]string{wasmOpt, in, "-ttf"}, features...)
	return runWasmOpt(append(args, "-g", "-o", out, "--fuzz-exec-before"), "wasm-opt -ttf")
}

// runWasmOpt runs binaryen's wasm-opt.js (args start with its path)
// under node and returns what it printed; what names the run in errors.
func runWasmOpt(args []string, what string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	// Binaryen's interpreter recurses deeply on some modules: a 4 MB JS
	// stack (below the usual 8 MB thread stack) instead of node's ~1 MB.
	cmd := exec.CommandContext(ctx, "node", append([]string{"--stack-size=4000"}, args...)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("%s: %v: %s", what, err, nodeError(stderr.String()))
	}
	return stdout.String(), nil
}

// nodeError picks the line naming the error out of node's report (which
// starts with the minified script's source line and ends with a stack).
func nodeError(stderr string) string {
	for _, l := range strings.Split(stderr, "\n") {
		if strings.Contains(l, "Error") || strings.Contains(l, "Aborted") {
			return strings.TrimSpace(l)
		}
	}
	s := strings.TrimSpace(stderr)
	if len(s) > 300 {
		s = "..." + s[len(s)-300:]
	}
	return s
}
